// Issue 16's first screens of the Schedule and Feed tabs for the large demo portal's big rep, from
// the portal copy: HubSpot calls and latency once the copy is loaded.
import { generateDemoPortal } from '@tiller/hubspot-sandbox/generator';
import { pino } from 'pino';
import { backend, percentile, round, sandbox, signedGet, type ScenarioResult } from './harness';
import { sandboxCounters } from './sandbox-stats';
import type { BenchContext } from './scenarios-gateway';
import { createDatabase } from '../src/backend/storage';
import { runFirstLoad } from '../src/backend/sync/first-load';

const SCREENS = [
  { name: 'schedule-week', path: '/api/v1/schedule?view=week' },
  { name: 'schedule-month', path: '/api/v1/schedule?view=month' },
  { name: 'feed', path: '/api/v1/feed?limit=25' },
] as const;

export async function tabsWarm(ctx: BenchContext): Promise<ScenarioResult> {
  // TABS_PORTAL=small: the same on the small demo portal (its first load takes seconds, the large one's ~14 min).
  const size = process.env.TABS_PORTAL === 'small' ? 'small' : 'large';
  const { fixture, meta } = generateDemoPortal({ seed: ctx.seed, size, now: new Date() });
  const sb = await sandbox({ fixtures: [fixture], latencyMs: ctx.latencyMs });
  const db = await createDatabase({});
  try {
    const rep = meta.bigRep;
    const loader = await backend(sb, { db });
    const loadStarted = performance.now();
    const loaded = await runFirstLoad({ db, crm: loader.crm, logger: pino({ level: 'silent' }), now: Date.now }, meta.portalId);
    if (!loaded.ready) throw new Error(`tabs-warm: the first load failed: ${JSON.stringify(loaded.errors)}`);
    const loadMs = performance.now() - loadStarted;
    await loader.close();
    const be = await backend(sb, { db });
    try {
      const figures: Record<string, number> = { firstLoadS: round(loadMs / 1000, 1) };
      const targets: ScenarioResult['targets'] = [];
      for (const screen of SCREENS) {
        const before = sandboxCounters(sb);
        const first = await signedGet(be.url, screen.path, meta.portalId, rep.userId);
        if (first.status !== 200)
          throw new Error(`tabs-warm: ${screen.path} HTTP ${first.status} ${JSON.stringify(first.body).slice(0, 300)}`);
        for (let i = 0; i < 30; i++) await signedGet(be.url, screen.path, meta.portalId, rep.userId, { parse: false }); // JIT warm-up
        const times: number[] = [];
        for (let i = 0; i < 200; i++) times.push((await signedGet(be.url, screen.path, meta.portalId, rep.userId, { parse: false })).ms);
        const calls = sandboxCounters(sb).total - before.total;
        const p95 = percentile(times, 95);
        const body = first.body as { counts?: { meetings: number; tasks: number }; total?: number; contacts?: number };
        figures[`${screen.name}P50Ms`] = round(percentile(times, 50), 2);
        figures[`${screen.name}P95Ms`] = round(p95, 2);
        figures[`${screen.name}Kb`] = Math.round(first.bytes / 1024);
        if (body.counts) figures[`${screen.name}Items`] = body.counts.meetings + body.counts.tasks;
        if (body.total !== undefined) figures[`${screen.name}Items`] = body.total;
        if (body.contacts !== undefined) figures[`${screen.name}Contacts`] = body.contacts;
        targets.push(
          { name: `${screen.name} calls`, target: '0 HubSpot calls', actual: String(calls), pass: calls === 0 },
          { name: `${screen.name} p95`, target: '≤ 50 ms', actual: `${round(p95, 2)} ms`, pass: p95 <= 50 },
        );
      }
      return {
        scenario: 'tabs-warm',
        what: `the Schedule (week, month) and Feed first screens of the ${size} portal's big rep, from the portal copy (PGlite), 200 sequential requests each`,
        figures,
        targets,
      };
    } finally {
      await be.close();
    }
  } finally {
    await db.close();
    await sb.close();
  }
}
