// Issue #14 on the sandbox, through the real gateway and database: two portals side by side.
//   - Isolation: for every route of the route table, a portal's answers never carry the other
//     portal's rows (portal B's records are all marked), and ids of B asked for by A are not found.
//   - Faults: with HubSpot failing 20 % of calls (429, 5xx, timeouts), every answer of every GET
//     route is either the fault-free answer or says `partial`, and none is a 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrmGateway, type CrmGateway } from '../../src/backend/crm/gateway';
import { loadHealthCopy } from '../helpers/copy';
import { createHealthScheduler, type HealthScheduler } from '../../src/backend/jobs/health-scheduler';
import { generateDemoPortal } from '@tiller/hubspot-sandbox/generator';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { createDatabase, type Database } from '../../src/backend/storage';
import { pino } from 'pino';
import { listen, type RawResponse, type RawServer } from '../helpers/raw-client';
import { fillPath, routeTable, type RouteEntry } from '../helpers/route-table';
import { testApp } from '../helpers/test-app';
import { loadCopy } from '../helpers/copy';
import { createSequenceResolver, type SequenceResolver } from '../../src/backend/services/sequences';

const LONG = process.env.TILLER_SUITE === 'long';
const A = 71_001;
const B = 71_002;
const MARK = 'Zq9B'; // every name-like value of portal B starts with this
const NAME_PROPS = [
  'name',
  'firstname',
  'lastname',
  'dealname',
  'hs_task_subject',
  'subject',
  'hs_meeting_title',
  'hs_call_title',
  'hs_email_subject',
  'hs_note_body',
  'domain',
  'email',
  'content',
];

let sb: Sandbox;
let crm: CrmGateway;
let db: Database;
let scheduler: HealthScheduler;
let server: RawServer;
let routes: RouteEntry[];
let sequenceResolver: SequenceResolver;
const people: Record<number, { rep: number; manager: number; companies: string[] }> = {};

beforeAll(async () => {
  const now = new Date();
  const a = generateDemoPortal({ seed: 11, size: 'small', now, portalId: A }).fixture;
  const b = generateDemoPortal({ seed: 12, size: 'small', now, portalId: B }).fixture;
  b.portal = { ...b.portal, accessToken: 'token-b' };
  for (const records of Object.values(b.objects ?? {})) {
    for (const r of records as { properties?: Record<string, string | null> }[]) {
      for (const p of NAME_PROPS) if (r.properties?.[p]) r.properties[p] = `${MARK}${r.properties[p]}`;
    }
  }
  sb = await startSandbox({ port: 0, fixtures: [a, b], timeoutHoldMs: 300 });
  const tokens = new Map(sb.portals.map((p) => [p.id, p.accessToken]));
  crm = createCrmGateway({ basePath: sb.url, tokens: { accessToken: async (id) => tokens.get(id) ?? null }, callTimeoutMs: 1_000 });
  db = await createDatabase({});
  const logger = pino({ level: 'silent' });
  scheduler = createHealthScheduler({ db, crm, logger, now: Date.now, portals: async () => [A, B], intervalMinutes: 360 });
  for (const p of sb.portals) {
    const manager = Number(p.users.find((u) => u.superAdmin)!.id);
    const rep = Number(p.users.find((u) => !u.superAdmin && u.ownerId)!.id);
    const fixture = p.id === A ? a : b;
    people[p.id] = { rep, manager, companies: ((fixture.objects?.companies ?? []) as { id: string }[]).slice(0, 3).map((c) => c.id) };
  }
  sequenceResolver = createSequenceResolver({ db, crm, now: Date.now, logger });
  const app = testApp({
    crm,
    db,
    logger,
    installed: [A, B],
    managers: [people[A]!.manager, people[B]!.manager],
    healthScheduler: scheduler,
    sequenceResolver,
  });
  // Both portals copied: the answers computed from the copy (guided actions, tasks) hold rows of both.
  for (const portalId of [A, B]) await loadCopy({ db, crm, portalId });
  routes = routeTable(app).filter((r) => r.path.startsWith('/api/'));
  server = await listen(app);
  // Both portals copied and scored, so the health endpoints read stored rows of both.
  await Promise.all([loadHealthCopy({ db, crm, portalId: A }), loadHealthCopy({ db, crm, portalId: B })]);
  expect(await Promise.all([scheduler.runDue(A), scheduler.runDue(B)])).toEqual(['ran', 'ran']);
  await scheduler.idle();
}, 300_000);

afterAll(async () => {
  await server?.close();
  await scheduler?.stop();
  await crm?.close();
  await db?.close();
  await sb?.close();
});

const get = (portalId: number, userId: number, target: string) =>
  server.send({ target: `${target}${target.includes('?') ? '&' : '?'}portalId=${portalId}&userId=${userId}` });

function targetsOf(route: RouteEntry, portalId: number): string[] {
  const { companies } = people[portalId]!;
  return companies.map((objectId) => fillPath(route.path, (name) => ({ objectType: 'companies', objectId, id: 'default' })[name] ?? '1'));
}

describe('two portals side by side', () => {
  it('a portal never reads the other portal’s rows, on any GET route, as a rep or a manager', async () => {
    let checked = 0;
    for (const route of routes.filter((r) => r.method === 'GET')) {
      for (const target of targetsOf(route, A)) {
        for (const user of [people[A]!.rep, people[A]!.manager]) {
          for (const scope of ['', '?scope=portal']) {
            const res = await get(A, user, target + (scope && !target.includes('?') ? scope : ''));
            checked += 1;
            expect(res.status, `${route.path} ${res.text.slice(0, 200)}`).toBeLessThan(500);
            expect(res.text, `${target} leaked portal B`).not.toContain(MARK);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    // And B's own answers do carry its marked rows (the check above can see a leak).
    const own = await get(B, people[B]!.manager, '/api/v1/health/customers?scope=portal');
    expect(own.status).toBe(200);
    expect(own.text).toContain(MARK);
  }, 120_000);

  it('a portal cannot reach the other portal’s runs, profiles or actions by id', async () => {
    const bRun = await server.send({ method: 'POST', target: `/api/v1/health/runs?portalId=${B}&userId=${people[B]!.manager}` });
    expect(bRun.status).toBe(202);
    const runId = (bRun.json as { runId: string }).runId;
    expect((await get(A, people[A]!.manager, `/api/v1/health/runs/${runId}`)).status).toBe(404);

    const created = await server.send({
      method: 'POST',
      target: `/api/v1/health/profiles?portalId=${B}&userId=${people[B]!.manager}`,
      body: JSON.stringify({
        profile: {
          name: `${MARK} only`,
          groups: [
            {
              id: 'g',
              label: 'G',
              maxPoints: 100,
              criteria: [{ id: 'c', label: 'C', kind: 'daysSince', property: 'notes_last_updated', bands: [{ points: 10 }] }],
            },
          ],
        },
      }),
    });
    expect(created.status).toBe(201);
    const profileId = (created.json as { profile: { id: string } }).profile.id;
    expect((await get(A, people[A]!.manager, `/api/v1/health/profiles/${profileId}`)).status).toBe(404);
    expect((await get(A, people[A]!.manager, '/api/v1/health/profiles')).text).not.toContain(MARK);
    const del = await server.send({
      method: 'DELETE',
      target: `/api/v1/health/profiles/${profileId}?portalId=${A}&userId=${people[A]!.manager}`,
    });
    expect(del.status).toBe(404);

    // Feedback sent by portal A on an id of B's actions (the same rep id exists in both demo
    // portals, so A may have an action of that id too): B's action is left as it was.
    type Actions = { actions: { id: string; feedback?: unknown }[] };
    const before = (await get(B, people[B]!.rep, '/api/v1/guided-actions')).json as Actions;
    const target = before.actions.find((x) => x.feedback == null);
    expect(target).toBeDefined();
    const fb = await server.send({
      method: 'POST',
      target: `/api/v1/guided-actions/${target!.id}/feedback?portalId=${A}&userId=${people[B]!.rep}`,
      body: '{"answer":"NOT_REALLY"}',
    });
    expect([204, 404]).toContain(fb.status);
    const after = (await get(B, people[B]!.rep, '/api/v1/guided-actions')).json as Actions;
    expect(after.actions.find((x) => x.id === target!.id)?.feedback ?? null).toBeNull();
    await scheduler.idle();
  }, 120_000);
});

const VOLATILE = new Set(['computedAt', 'expiresAt', 'requestedAt', 'startedAt', 'finishedAt', 'stats', 'dataAsOf', 'lagSeconds']);
/** An answer without what changes from one call to the next, keys sorted (stored JSON reorders them). */
function stable(res: RawResponse): string {
  return JSON.stringify(res.json, (k, v: unknown) => {
    if (VOLATILE.has(k)) return undefined;
    if (v && typeof v === 'object' && !Array.isArray(v))
      return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)));
    return v;
  });
}

describe('HubSpot failing 20 % of calls', () => {
  it(
    'every answer is the fault-free one or says partial, and none is a 5xx',
    async () => {
      const calls: { target: string; user: number }[] = [];
      for (const route of routes.filter((r) => r.method === 'GET' && !r.path.includes('/runs/'))) {
        for (const target of targetsOf(route, A).slice(0, 1)) {
          calls.push({ target, user: people[A]!.rep }, { target, user: people[A]!.manager });
        }
      }
      const baseline = new Map<string, string>();
      const partialBaseline: typeof calls = [];
      for (const c of calls) {
        const res = await get(A, c.user, c.target);
        if (res.status === 200) baseline.set(`${c.user} ${c.target}`, stable(res));
        if ((res.json as { partial?: boolean } | undefined)?.partial === true) partialBaseline.push(c);
      }
      // A partial answer is not the fault-free one: the sequence cards (SW-2) name the enrollments a
      // first load left pending in the background; once it is done, their answer is the baseline.
      await sequenceResolver.idle();
      for (const c of partialBaseline) {
        const res = await get(A, c.user, c.target);
        if (res.status === 200) baseline.set(`${c.user} ${c.target}`, stable(res));
      }
      sb.control.setFaultRate(0.2);
      const tally = { answers: 0, exact: 0, partial: 0, errors4xx: 0, errors5xx: 0, wrong: [] as string[] };
      try {
        const rounds = LONG ? 20 : 3;
        for (let round = 0; round < rounds; round += 1) {
          crm.invalidate(A); // read HubSpot again, through the faults
          for (const c of calls) {
            const res = await get(A, c.user, c.target);
            tally.answers += 1;
            if (res.status >= 500) {
              tally.errors5xx += 1;
              tally.wrong.push(`${res.status} ${c.target} ${res.text.slice(0, 200)}`);
            } else if (res.status >= 400) tally.errors4xx += 1;
            else if ((res.json as { partial?: boolean }).partial === true) tally.partial += 1;
            else if (stable(res) === baseline.get(`${c.user} ${c.target}`)) tally.exact += 1;
            else
              tally.wrong.push(
                `not flagged partial yet different: ${c.target}\n${stable(res).slice(0, 600)}\n${baseline.get(`${c.user} ${c.target}`)?.slice(0, 600)}`,
              );
          }
        }
      } finally {
        sb.control.setFaultRate(0);
      }
      process.stdout.write(
        `faults suite: ${tally.answers} answers under 20 % faults: ${tally.exact} exact, ${tally.partial} partial, ${tally.errors4xx} 4xx (429 busy), ${tally.errors5xx} 5xx\n`,
      );
      expect(tally.wrong).toEqual([]);
    },
    LONG ? 600_000 : 120_000,
  );
});
