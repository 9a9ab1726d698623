// Inline edits of the object workspaces end to end: the app over a copy first-loaded from the
// sandbox; each edit is one HubSpot call, written through to the copy (the next list and preview
// show it), and HubSpot's refusals (the sandbox refuses what HubSpot refuses) come back per field.
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeEach, expect, it } from 'vitest';
import type { Express } from 'express';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { T0, testFixture } from '@tiller/hubspot-sandbox/test-fixture';
import type { WorkspacePreviewResponse, WorkspaceRecordsResponse } from '../../contract/workspace';
import { createCrmGateway, type CrmGateway } from '../../crm/gateway';
import { createCopyRepo } from '../../storage';
import { describeEachDatabase, truncateAll } from '../../storage/testing';
import { runFirstLoad } from '../../sync/first-load';
import { LIFTED_LIMITS, LIFTED_SANDBOX_LIMITS } from '../../../../tests/helpers/copy';
import { proxiedRequest, type ProxyCall } from '../../../../tests/helpers/hubspot-proxy';
import { TEST_PUBLIC_BASE_URL as PUBLIC, TEST_SECRET as SECRET, testApp } from '../../../../tests/helpers/test-app';

const PORTAL = 123456;
const REP = 9001; // owner 501
const MANAGER = 9009;
const BATCH_UPDATE = 'POST /crm/v3/objects/{objectType}/batch/update';
const log = pino({ level: 'silent' });

let sandbox: Sandbox | undefined;
let crm: CrmGateway;

async function freshSandbox(): Promise<void> {
  await sandbox?.close();
  const base = testFixture();
  sandbox = await startSandbox({
    port: 0,
    fixtures: [
      {
        ...base,
        properties: {
          ...base.properties,
          companies: [
            ...(base.properties?.companies ?? []),
            { name: 'renewal_date', label: 'Renewal date', type: 'date', fieldType: 'date' },
            {
              name: 'tier',
              label: 'Tier',
              type: 'enumeration',
              fieldType: 'select',
              options: [
                { label: 'Gold', value: 'gold' },
                { label: 'Silver', value: 'silver' },
              ],
            },
          ],
        },
      },
    ],
    now: () => T0,
    rateLimit: LIFTED_SANDBOX_LIMITS,
  });
}

async function hubspotCompany(id: string, props: string): Promise<Record<string, string | null>> {
  const res = await fetch(`${sandbox!.url}/crm/v3/objects/companies/${id}?properties=${props}`, {
    headers: { authorization: 'Bearer test-token' },
  });
  return ((await res.json()) as { properties: Record<string, string | null> }).properties;
}

afterAll(async () => {
  await crm?.close();
  await sandbox?.close();
});

describeEachDatabase('workspace API (inline edit)', (getDb) => {
  let app: Express;
  const call = (c: ProxyCall) => {
    const r = proxiedRequest(PUBLIC, SECRET, { portalId: PORTAL, userId: REP, timestamp: T0, ...c });
    const req = request(app)[r.method.toLowerCase() as 'get' | 'patch'](r.pathAndQuery).set(r.headers);
    return r.body ? req.send(r.body) : req;
  };
  const edit = (body: unknown, id = '11') => call({ method: 'PATCH', path: `/api/v1/workspace/customers/records/${id}`, body });
  const updates = () => sandbox!.control.stats().byEndpoint[BATCH_UPDATE] ?? 0;

  beforeEach(async () => {
    await truncateAll(getDb());
    await freshSandbox();
    await crm?.close();
    crm = createCrmGateway({
      basePath: sandbox!.url,
      tokens: { accessToken: async (id) => (id === PORTAL ? 'test-token' : null) },
      limits: LIFTED_LIMITS,
    });
    const loaded = await runFirstLoad({ db: getDb(), crm, logger: log, now: () => T0 }, PORTAL);
    expect(loaded.ready).toBe(true);
    app = testApp({ crm, db: getDb(), installed: [PORTAL], managers: [MANAGER], now: () => T0, logger: log });
    sandbox!.control.resetStats();
  }, 60_000);

  it('edits a text property in one HubSpot call, writes it through, and the list and preview show it at once', async () => {
    const res = await edit({ property: 'name', value: 'Client Incorporated' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const preview = res.body as WorkspacePreviewResponse;
    expect(preview.name).toBe('Client Incorporated');
    expect(sandbox!.control.stats().totalCalls).toBe(1);
    expect(updates()).toBe(1);
    // Every tab reads the copy: the Customers list shows the new name without another HubSpot call.
    const list = await call({ path: '/api/v1/workspace/customers', query: { view: 'owned-by-me' } });
    expect((list.body as WorkspaceRecordsResponse).rows.map((r) => r.name)).toEqual(['Client Incorporated']);
    expect(sandbox!.control.stats().byEndpoint, 'no HubSpot call after the edit').toEqual({ [BATCH_UPDATE]: 1 });
    expect((await hubspotCompany('11', 'name')).name).toBe('Client Incorporated');
  });

  it('offers the editor what it needs: the stored value, the choices, and no edit of calculated properties', async () => {
    await createCopyRepo(getDb()).replaceOwners(PORTAL, [
      { id: '501', userId: REP, email: 'ada@acme.example', firstName: 'Ada', lastName: 'Rep', archived: false },
      { id: '502', userId: 9002, email: 'bo@acme.example', firstName: 'Bo', lastName: 'Seller', archived: false },
    ]);
    const res = await call({ path: '/api/v1/workspace/customers/records/11' });
    const owner = (res.body as WorkspacePreviewResponse).properties.find((p) => p.name === 'hubspot_owner_id');
    expect(owner).toMatchObject({ raw: '501', value: 'Ada Rep', editable: true });
    expect(owner?.options?.map((o) => o.value)).toEqual(['501', '502']);
  });

  it('re-assigns the CSM: the owner changes in HubSpot and in the copy, and the rep no longer owns it', async () => {
    const res = await edit({ property: 'hubspot_owner_id', value: '502' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect((await hubspotCompany('11', 'hubspot_owner_id')).hubspot_owner_id).toBe('502');
    const mine = await call({ path: '/api/v1/workspace/customers', query: { view: 'owned-by-me' } });
    expect((mine.body as WorkspaceRecordsResponse).total).toBe(0);
    const bos = await call({ path: '/api/v1/workspace/customers', query: { view: 'owned-by-me' }, userId: 9002 });
    expect((bos.body as WorkspaceRecordsResponse).rows.map((r) => r.id)).toEqual(['11']);
  });

  it.each([
    ['a day that does not exist', { property: 'renewal_date', value: '2027-02-30' }, 'value', /takes a day/],
    ['an option the property does not have', { property: 'tier', value: 'platinum' }, 'value', /"platinum" is not an option of "Tier"/],
    ['text in a number property', { property: 'total_revenue', value: 'lots' }, 'value', /takes a number/],
    ['a property the object does not have', { property: 'no_such_thing', value: 'x' }, 'property', /has no property "no_such_thing"/],
    ['a calculated property', { property: 'num_associated_contacts', value: 3 }, 'value', /calculated by HubSpot/],
    ['an owner who is not one of the portal', { property: 'hubspot_owner_id', value: '999' }, 'value', /not an active HubSpot user/],
  ])('refuses %s before calling HubSpot, naming the field', async (_name, body, field, issue) => {
    const res = await edit(body);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field, issue: expect.stringMatching(issue) }]);
    expect(sandbox!.control.stats().totalCalls).toBe(0);
  });

  it('answers HubSpot’s own refusal per field when the copy’s definitions are behind HubSpot, and changes nothing', async () => {
    // The copy still offers "bronze"; HubSpot no longer does (an option removed since the last sync).
    const copy = createCopyRepo(getDb());
    const defs = await copy.propertyDefinitions<{ name: string; options?: { label: string; value: string; hidden: boolean }[] }>(
      PORTAL,
      'companies',
    );
    await copy.replacePropertyDefinitions(
      PORTAL,
      'companies',
      defs.map((d) => ({
        name: d.name,
        definition: d.name === 'tier' ? { ...d, options: [...(d.options ?? []), { label: 'Bronze', value: 'bronze', hidden: false }] } : d,
      })),
    );
    const res = await edit({ property: 'tier', value: 'bronze' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/^HubSpot refused the change: .*bronze was not one of the allowed options/);
    expect(res.body.error.details).toEqual([{ field: 'value', issue: expect.stringContaining('bronze') }]);
    expect(updates()).toBe(1);
    expect((await hubspotCompany('11', 'tier')).tier ?? null).toBeNull();
    const preview = await call({ path: '/api/v1/workspace/customers/records/11' });
    expect((preview.body as WorkspacePreviewResponse).properties.find((p) => p.name === 'tier')).toBeUndefined();
  });

  it('answers 404 for a record the copy does not hold, and 400 for a body that is not an edit', async () => {
    expect((await edit({ property: 'name', value: 'x' }, '999999')).status).toBe(404);
    const bad = await edit({ property: 'name', value: { nested: true } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('value');
    expect(sandbox!.control.stats().totalCalls).toBe(0);
  });
});
