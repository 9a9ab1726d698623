// Issue 16's first screens of the Schedule, Feed, Summary and Actions tabs for the large demo
// portal's big rep, from the portal copy: HubSpot calls and latency once the copy is loaded.
import { generateDemoPortal } from '@tiller/hubspot-sandbox/generator';
import { pino } from 'pino';
import { backend, percentile, round, sandbox, signedGet, type ScenarioResult } from './harness';
import { sandboxCounters } from './sandbox-stats';
import type { BenchContext } from './scenarios-gateway';
import { createCrmGateway } from '../src/backend/crm/gateway';
import { createDatabase } from '../src/backend/storage';
import { runFirstLoad } from '../src/backend/sync/first-load';
import { LIFTED_LIMITS, LIFTED_SANDBOX_LIMITS } from '../tests/helpers/copy';

// Each screen's reads as its tab makes them when it opens (src/extensions/workspace/…).
const SCREENS = [
  { name: 'schedule-week', path: '/api/v1/schedule?view=week' },
  { name: 'schedule-month', path: '/api/v1/schedule?view=month' },
  { name: 'feed', path: '/api/v1/feed?limit=25' },
  // The Summary: its task buckets (TasksSection), today's schedule (TodaySchedule) and reports.
  { name: 'summary-tasks', path: '/api/v1/tasks/buckets?limit=5' },
  { name: 'summary-today', path: '/api/v1/summary/schedule' },
  { name: 'summary-reports', path: '/api/v1/summary/reports' },
  // The Actions tab: its default view (due today, mine) and the saved views.
  { name: 'actions-tasks', path: '/api/v1/actions/tasks?view=due-today&owner=me&limit=25' },
  { name: 'actions-views', path: '/api/v1/actions/views' },
] as const;

export async function tabsWarm(ctx: BenchContext): Promise<ScenarioResult> {
  // TABS_PORTAL=small: the same on the small demo portal.
  const size = process.env.TABS_PORTAL === 'small' ? 'small' : 'large';
  const { fixture, meta } = generateDemoPortal({ seed: ctx.seed, size, now: new Date() });
  // The first load is not this scenario's subject (first-load's is): HubSpot's limits and ours
  // lifted and no latency, so it takes minutes rather than a quarter hour; then the bench's latency.
  const sb = await sandbox({ fixtures: [fixture], latencyMs: 0, rateLimit: LIFTED_SANDBOX_LIMITS });
  const db = await createDatabase({});
  try {
    const rep = meta.bigRep;
    const tokens = new Map(sb.portals.map((p) => [p.id, p.accessToken]));
    const loader = createCrmGateway({
      basePath: sb.url,
      tokens: { accessToken: async (id) => tokens.get(id) ?? null },
      limits: LIFTED_LIMITS,
    });
    const loadStarted = performance.now();
    const loaded = await runFirstLoad({ db, crm: loader, logger: pino({ level: 'silent' }), now: Date.now }, meta.portalId);
    if (!loaded.ready) throw new Error(`tabs-warm: the first load failed: ${JSON.stringify(loaded.errors)}`);
    const loadMs = performance.now() - loadStarted;
    await loader.close();
    sb.control.setLatency(ctx.latencyMs);
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
        // The first answer after the load (nothing cached yet), then the steady state.
        figures[`${screen.name}FirstMs`] = round(first.ms, 1);
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
        what: `the first screens of the Schedule (week, month), Feed, Summary and Actions tabs of the ${size} portal's big rep, from the portal copy (PGlite), 200 sequential requests each`,
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
