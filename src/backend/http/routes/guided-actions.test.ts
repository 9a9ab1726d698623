// The guided-actions API on the copy of the sandbox's small demo portal, on PGlite and PostgreSQL.
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Express } from 'express';
import type { GuidedActionsResponse } from '../../contract/api';
import { createCrmGateway, type CrmGateway } from '../../crm/gateway';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { describeEachDatabase, truncateAll } from '../../storage/testing';
import { loadCopy, LIFTED_LIMITS, LIFTED_SANDBOX_LIMITS } from '../../../../tests/helpers/copy';
import { proxiedRequest, type ProxyCall } from '../../../../tests/helpers/hubspot-proxy';
import { TEST_PUBLIC_BASE_URL as PUBLIC, TEST_SECRET as SECRET, testApp } from '../../../../tests/helpers/test-app';

let sb: Sandbox;
let crm: CrmGateway;
let portalId: number;
let rep: number;
let manager: number;

beforeAll(async () => {
  sb = await startSandbox({ port: 0, seed: 1, size: 'small', rateLimit: LIFTED_SANDBOX_LIMITS });
  const portal = sb.portals[0]!;
  portalId = portal.id;
  rep = Number(portal.users.find((u) => u.firstName === 'Maya')!.id);
  manager = Number(portal.users.find((u) => u.superAdmin)!.id);
  crm = createCrmGateway({
    basePath: sb.url,
    tokens: { accessToken: async (id) => (id === portalId ? portal.accessToken : null) },
    limits: LIFTED_LIMITS,
  });
}, 60_000);

afterAll(async () => {
  await crm?.close();
  await sb?.close();
});

describeEachDatabase('guided-actions API', (getDb) => {
  let app: Express;
  const call = (c: ProxyCall) => {
    const r = proxiedRequest(PUBLIC, SECRET, { portalId, userId: rep, ...c });
    const req = request(app)[r.method.toLowerCase() as 'get' | 'post'](r.pathAndQuery).set(r.headers);
    return r.body ? req.send(r.body) : req;
  };
  const list = async (query: Record<string, string> = {}, userId = rep) => {
    const res = await call({ path: '/api/v1/guided-actions', query: { limit: '800', ...query }, userId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as GuidedActionsResponse & { total: number; counts: Record<string, number> };
  };

  beforeAll(async () => {
    await truncateAll(getDb());
    await loadCopy({ db: getDb(), crm, portalId });
  }, 120_000);

  beforeEach(async () => {
    await getDb().exec('truncate guided_action_state, guided_action_feedback, portal_settings');
    // A new app per test: an empty evaluation cache, the shared database (the copy loaded once).
    app = testApp({ crm, db: getDb(), installed: [portalId], managers: [manager], exposeMetering: true });
  });

  it("lists the rep's actions, most urgent first, in the API shape, from the copy (no HubSpot call)", async () => {
    const res = await call({ path: '/api/v1/guided-actions', query: { limit: '800' } });
    expect(res.status).toBe(200);
    const body = res.body as GuidedActionsResponse;
    expect(body.partial).toBeUndefined();
    expect(Date.parse(body.dataAsOf!)).toBeGreaterThan(0);
    expect(body.syncing).toBeUndefined();
    expect(res.headers['x-tiller-hubspot-calls'] ?? '0').toBe('0');
    expect(body.actions.length).toBeGreaterThan(18);
    const a = body.actions[0]!;
    expect(Object.keys(a).sort()).toEqual(
      [
        'associated',
        'category',
        'expiresAt',
        'facts',
        'feedback',
        'firstSeenAt',
        'id',
        'links',
        'members',
        'reason',
        'record',
        'rule',
        'title',
      ].sort(),
    );
    expect(a.id).toMatch(/^ga_/);
    expect(new Set(body.actions.map((x) => x.id)).size).toBe(body.actions.length);
  });

  it('filters by category', async () => {
    const all = await list({ category: 'all' });
    const deal = await list({ category: 'deal' });
    const prospecting = await list({ category: 'prospecting' });
    expect(deal.actions.length).toBeGreaterThan(0);
    expect(prospecting.actions.length).toBeGreaterThan(0);
    expect(deal.actions.every((a) => a.category === 'deal')).toBe(true);
    expect(prospecting.actions.every((a) => a.category === 'prospecting')).toBe(true);
    expect(deal.actions.length + prospecting.actions.length).toBe(all.actions.length);
    expect(all.counts).toEqual({ all: all.actions.length, deal: deal.actions.length, prospecting: prospecting.actions.length });
    expect(deal.total).toBe(deal.actions.length);
  });

  it('limits the list (250 by default, most urgent first) and still counts everything', async () => {
    const all = await list();
    const byDefault = (await call({ path: '/api/v1/guided-actions' })).body as typeof all;
    expect(byDefault.actions.map((a) => a.id)).toEqual(all.actions.slice(0, 250).map((a) => a.id));
    const first = await list({ limit: '3' });
    expect(first.actions.map((a) => a.id)).toEqual(all.actions.slice(0, 3).map((a) => a.id));
    expect(first.total).toBe(all.actions.length);
    expect(first.counts).toEqual(all.counts);
  });

  it('filters by record: the actions about it (record, members or associated)', async () => {
    const all = await list();
    const meetingOnDeal = all.actions.find((a) => a.rule === 'MEETING_FOLLOW_UP' && a.associated.some((r) => r.objectType === 'deals'))!;
    const dealRef = meetingOnDeal.associated.find((r) => r.objectType === 'deals')!;
    const onDeal = await list({ objectType: 'deals', objectId: dealRef.objectId });
    expect(onDeal.actions.map((a) => a.id)).toContain(meetingOnDeal.id);
    for (const a of onDeal.actions) {
      const refs = [a.record, ...a.members, ...a.associated];
      expect(refs.some((r) => r.objectType === 'deals' && r.objectId === dealRef.objectId)).toBe(true);
    }
    const contact = all.actions.find((a) => a.record.objectType === 'contacts')!;
    const onContact = await list({ objectType: 'contacts', objectId: contact.record.objectId, category: contact.category });
    expect(onContact.actions.map((a) => a.id)).toContain(contact.id);
    expect((await list({ objectType: 'contacts', objectId: '999999999' })).actions).toEqual([]);
  });

  it.each([
    [{ category: 'urgent' }, 'category'],
    [{ objectType: 'contacts' }, 'objectId'],
    [{ objectId: '12' }, 'objectId'],
    [{ objectType: 'tickets', objectId: '12' }, 'objectType'],
    [{ objectType: 'deals', objectId: 'abc' }, 'objectId'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '801' }, 'limit'],
    [{ sort: 'oldest' }, 'query'],
  ])('answers 400 for %o, naming %s', async (query, field) => {
    const res = await call({ path: '/api/v1/guided-actions', query });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
    expect(JSON.stringify(res.body.error.details)).toContain(field);
  });

  it('stores feedback (204), shows it on the action, idempotent, last answer wins — also after the cache', async () => {
    const [a, b] = (await list()).actions;
    const post = (id: string, body: unknown) => call({ method: 'POST', path: `/api/v1/guided-actions/${id}/feedback`, body });
    expect((await post(a!.id, { answer: 'YES_CONTINUE' })).status).toBe(204);
    expect((await post(a!.id, { answer: 'YES_CONTINUE' })).status).toBe(204);
    expect((await post(b!.id, { answer: 'YES_CONTINUE' })).status).toBe(204);
    expect((await post(b!.id, { answer: 'NOT_REALLY' })).status).toBe(204);
    let after = await list();
    expect(after.actions.find((x) => x.id === a!.id)?.feedback).toBe('YES_CONTINUE');
    expect(after.actions.find((x) => x.id === b!.id)?.feedback).toBe('NOT_REALLY');
    expect(after.actions.filter((x) => x.feedback !== null)).toHaveLength(2);

    // A new backend (no cache): the answers come from the database, and first-seen times hold.
    app = testApp({ crm, db: getDb(), installed: [portalId] });
    expect((await post(a!.id, { answer: 'NOT_REALLY' })).status).toBe(204);
    after = await list();
    expect(after.actions.find((x) => x.id === a!.id)).toMatchObject({ feedback: 'NOT_REALLY', firstSeenAt: a!.firstSeenAt });
    expect(after.actions.find((x) => x.id === b!.id)?.feedback).toBe('NOT_REALLY');
  });

  it('feedback: 400 for a bad answer, 404 for an unknown or foreign action id', async () => {
    const [a] = (await list()).actions;
    const post = (id: string, body: unknown, userId = rep) =>
      call({ method: 'POST', path: `/api/v1/guided-actions/${id}/feedback`, body, userId });
    const bad = await post(a!.id, { answer: 'MAYBE' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toContain('answer');
    expect((await post(a!.id, {})).status).toBe(400);
    expect((await post('ga_doesnotexist', { answer: 'YES_CONTINUE' })).status).toBe(404);
    expect((await post('not-an-id', { answer: 'YES_CONTINUE' })).status).toBe(404);
    // Another rep's action id is not this rep's.
    expect((await post(a!.id, { answer: 'YES_CONTINUE' }, manager)).status).toBe(404);
  });

  it("a manager sees a rep's actions with asUserId (same ids), a rep cannot", async () => {
    const own = await list();
    const viewed = await list({ asUserId: String(rep) }, manager);
    expect(viewed.actions.map((a) => a.id)).toEqual(own.actions.map((a) => a.id));
    const res = await call({ path: '/api/v1/guided-actions', query: { asUserId: String(manager) }, userId: rep });
    expect(res.status).toBe(403);
  });

  it("uses the portal's settings (portal_settings, key guidedActions)", async () => {
    const before = await list();
    expect(before.actions.some((a) => a.rule === 'LOG_CALL_OUTCOME')).toBe(true);
    await getDb().query(`insert into portal_settings (portal_id, key, value, updated_at) values ($1, 'guidedActions', $2::jsonb, now())`, [
      portalId,
      JSON.stringify({ callOutcomeWindowDays: 0.01, callOutcomeDelayMinutes: 0 }),
    ]);
    app = testApp({ crm, db: getDb(), installed: [portalId] });
    const calls = (await list()).actions.find((a) => a.rule === 'LOG_CALL_OUTCOME');
    const beforeCalls = before.actions.find((a) => a.rule === 'LOG_CALL_OUTCOME')!;
    expect(calls?.members.length ?? 0).toBeLessThan(beforeCalls.members.length);
  });
});
