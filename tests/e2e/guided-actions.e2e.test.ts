// End to end through the real sandbox: the generator's demo portal plants, for every demo rep,
// a record that triggers each of the 18 rules and near-misses for each criterion. The backend
// copies it over HTTP with the real gateway (the first load), evaluates from the copy, remembers,
// and answers the API.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import type { GuidedAction, GuidedActionsResponse } from '../../src/backend/contract/api';
import { createCrmGateway, type CrmGateway } from '../../src/backend/crm/gateway';
import { TEST_PUBLIC_BASE_URL as PUBLIC, TEST_SECRET as SECRET, testApp } from '../helpers/test-app';
import { generateDemoPortal, type DemoPortalMeta, type PlantedCase } from '@tiller/hubspot-sandbox/generator';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { createDatabase, type Database } from '../../src/backend/storage';
import { loadCopy, LIFTED_LIMITS, LIFTED_SANDBOX_LIMITS } from '../helpers/copy';
import { proxiedRequest, type ProxyCall } from '../helpers/hubspot-proxy';

let sb: Sandbox;
let crm: CrmGateway;
let db: Database;
let app: Express;
let meta: DemoPortalMeta;

function call(c: ProxyCall & { userId: number }) {
  const r = proxiedRequest(PUBLIC, SECRET, { portalId: meta.portalId, ...c });
  const req = request(app)[r.method.toLowerCase() as 'get' | 'post'](r.pathAndQuery).set(r.headers);
  return r.body ? req.send(r.body) : req;
}

// Grouped rules (7, 12) make one action per rep; its category is the group's (deal when any
// member is on an open deal), while the generator states each member's own category.
const GROUPED = new Set(['LOG_CALL_OUTCOME', 'PRIORITY_TASKS_TODAY']);

/** Is this action about the planted record (its record or one of its grouped members)? */
const covers = (a: GuidedAction, c: PlantedCase) =>
  a.rule === c.rule &&
  ((a.record.objectType === c.record.objectType && a.record.objectId === c.record.id) ||
    a.members.some((m) => m.objectType === c.record.objectType && m.objectId === c.record.id));

beforeAll(async () => {
  // `now` = the real clock: the backend evaluates at wall-clock time, within each case's holdsForMs.
  const demo = generateDemoPortal({ seed: 7, size: 'small', now: new Date() });
  meta = demo.meta;
  sb = await startSandbox({ port: 0, fixtures: [demo.fixture], rateLimit: LIFTED_SANDBOX_LIMITS });
  crm = createCrmGateway({
    basePath: sb.url,
    tokens: { accessToken: async (id) => (id === meta.portalId ? meta.accessToken : null) },
    limits: LIFTED_LIMITS,
  });
  db = await createDatabase({});
  await loadCopy({ db, crm, portalId: meta.portalId });
  app = testApp({ crm, db, installed: [meta.portalId], exposeMetering: true });
}, 120_000);

afterAll(async () => {
  await crm?.close();
  await db?.close();
  await sb?.close();
});

describe('guided actions end to end on the demo portal', () => {
  const byRep = new Map<string, GuidedActionsResponse>();
  const actionsOf = async (userId: string) => {
    let body = byRep.get(userId);
    if (!body) {
      const res = await call({ path: '/api/v1/guided-actions', query: { limit: '500' }, userId: Number(userId) });
      expect(res.status).toBe(200);
      const b = res.body as GuidedActionsResponse & { total: number };
      expect(b.total).toBe(b.actions.length); // nothing cut off by the limit
      body = b;
      byRep.set(userId, body);
    }
    return body;
  };

  it('answers completely (not partial) for every demo rep', async () => {
    for (const rep of meta.demoReps) {
      const body = await actionsOf(rep.userId);
      expect(body.partial, JSON.stringify(body.warnings)).toBeUndefined();
    }
  }, 120_000);

  it('each planted trigger produces its action, with the expected category', async () => {
    const misses: string[] = [];
    for (const c of meta.cases.filter((x) => x.kind === 'trigger')) {
      const body = await actionsOf(c.userId);
      const a = body.actions.find((x) => covers(x, c));
      if (!a) misses.push(`${c.rule} ${c.record.objectType}/${c.record.id} for ${c.userId}: ${c.why}`);
      else if (c.category && !GROUPED.has(c.rule) && a.category !== c.category)
        misses.push(`${c.rule} ${c.record.id}: category ${a.category}, expected ${c.category}`);
    }
    expect(misses).toEqual([]);
  }, 120_000);

  it('no planted near-miss produces an action', async () => {
    const wrong: string[] = [];
    for (const c of meta.cases.filter((x) => x.kind === 'near-miss')) {
      const body = await actionsOf(c.userId);
      if (body.actions.some((x) => covers(x, c))) wrong.push(`${c.rule} ${c.record.objectType}/${c.record.id}: ${c.why}`);
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('every rule fires at least once for each demo rep, with a reason and HubSpot links', async () => {
    for (const rep of meta.demoReps) {
      const body = await actionsOf(rep.userId);
      expect(new Set(body.actions.map((a) => a.rule)).size).toBe(18);
      for (const a of body.actions) {
        expect(a.reason.length).toBeGreaterThan(10);
        expect(a.links.length).toBeGreaterThan(0);
        for (const l of a.links) expect(l.href).toMatch(new RegExp(`^https://app(-eu1)?\\.hubspot\\.com/[a-z-]+/${meta.portalId}(/|$)`));
      }
    }
  }, 120_000);

  it('remembers: a second evaluation keeps ids and first-seen times; feedback round-trips', async () => {
    const rep = meta.demoReps[1]!;
    const first = await actionsOf(rep.userId);
    const target = first.actions[0]!;
    const fb = await call({
      method: 'POST',
      path: `/api/v1/guided-actions/${target.id}/feedback`,
      userId: Number(rep.userId),
      body: { answer: 'NOT_REALLY' },
    });
    expect(fb.status).toBe(204);
    const again = await call({ path: '/api/v1/guided-actions', userId: Number(rep.userId) });
    const same = (again.body as GuidedActionsResponse).actions.find((a) => a.id === target.id);
    expect(same?.feedback).toBe('NOT_REALLY');
    expect(same?.firstSeenAt).toBe(target.firstSeenAt);
  }, 60_000);
});
