import request from 'supertest';
import { localCacheBus } from '../../cache-bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CustomerSuccessSettingsResponse,
  WorkspacePreviewResponse,
  WorkspaceRecordsResponse,
  WorkspaceViewResponse,
  WorkspaceViewsResponse,
} from '../../contract/workspace';
import { CrmError } from '../../crm/errors';
import type { CrmGateway, PortalCrm } from '../../crm/gateway';
import { profileService } from '../../services/health/profiles';
import { buildDefaultProfile } from '../../engines/health';
import { createCopyRepo, createDatabase, createHealthRepo, createSettingsRepo, type CopyRecord, type Database } from '../../storage';
import { proxiedRequest, type ProxyCall } from '../../../../tests/helpers/hubspot-proxy';
import { TEST_PUBLIC_BASE_URL as PUBLIC, TEST_SECRET as SECRET, testApp } from '../../../../tests/helpers/test-app';

// The Customer Success settings and the Customers workspace over a portal copy filled here: every
// answer comes from the copy, so the gateway refuses (and counts) any HubSpot call.

const NOW = Date.parse('2026-12-04T12:00:00Z');
const DAY = 86_400_000;
const PORTAL = 123;
const OTHER_PORTAL = 456;
const REP = 9001; // owner 501
const REP2 = 9002; // owner 502
const MANAGER = 9999; // owner 503

let db: Database;
const hubspotCalls: string[] = [];

function refusingCrm(): CrmGateway {
  const portal = (portalId: number) =>
    new Proxy({ portalId } as PortalCrm, {
      get(target, key) {
        if (key === 'portalId') return target.portalId;
        if (key === 'then') return undefined;
        return async () => {
          hubspotCalls.push(String(key));
          // As HubSpot answers for an object type the portal does not have.
          throw new CrmError('not-found', `unexpected HubSpot call: ${String(key)}`, 404);
        };
      },
    });
  return { portal, close: async () => {} } as unknown as CrmGateway;
}

// What the portal copy's sync hears when a save names something new to read (server.ts listens).
const bus = localCacheBus();
const readsChanged: number[] = [];
bus.on('copy-settings', (portalId) => readsChanged.push(portalId));
const app = () => testApp({ crm: refusingCrm(), db, installed: [PORTAL, OTHER_PORTAL], managers: [MANAGER], now: () => NOW, bus });

function call(c: ProxyCall) {
  const r = proxiedRequest(PUBLIC, SECRET, { portalId: PORTAL, userId: REP, timestamp: NOW, ...c });
  const req = request(app())[r.method.toLowerCase() as 'get'](r.pathAndQuery).set(r.headers);
  return r.body ? req.send(r.body) : req;
}

function company(id: number, p: Record<string, string | null>, createdDaysAgo: number): CopyRecord {
  return {
    id: String(id),
    properties: { name: `Company ${String(id).padStart(2, '0')}`, ...p },
    ownerId: p.hubspot_owner_id ?? null,
    createdAt: new Date(NOW - createdDaysAgo * DAY),
    modifiedAt: new Date(NOW - DAY),
    dueAt: null,
    pipeline: null,
    stage: null,
    status: null,
    archived: false,
    archivedAt: null,
    mergedInto: null,
    versionMs: 1,
  };
}

beforeAll(async () => {
  db = await createDatabase({});
  const copy = createCopyRepo(db);
  const at = new Date(NOW - DAY);
  await copy.replaceOwners(PORTAL, [
    { id: '501', userId: REP, email: 'ada@acme.example', firstName: 'Ada', lastName: 'Rep', archived: false },
    { id: '502', userId: REP2, email: 'bo@acme.example', firstName: 'Bo', lastName: 'Rep', archived: false },
    { id: '503', userId: MANAGER, email: 'cy@acme.example', firstName: 'Cy', lastName: 'Boss', archived: false },
  ]);
  const definitions = [
    { name: 'name', label: 'Company name', type: 'string', fieldType: 'text' },
    { name: 'hubspot_owner_id', label: 'Company owner', type: 'enumeration', fieldType: 'select' },
    {
      name: 'cs_manager',
      label: 'Customer Success Manager',
      type: 'enumeration',
      fieldType: 'select',
      referencedObjectType: 'OWNER',
      externalOptions: true,
    },
    {
      name: 'industry',
      label: 'Industry',
      type: 'enumeration',
      fieldType: 'select',
      options: [
        { label: 'Software', value: 'SOFTWARE', hidden: false },
        { label: 'Retail', value: 'RETAIL', hidden: false },
      ],
    },
    { name: 'annualrevenue', label: 'Annual revenue', type: 'number', fieldType: 'number' },
    { name: 'renewal_date', label: 'Renewal date', type: 'date', fieldType: 'date' },
    { name: 'createdate', label: 'Create date', type: 'datetime', fieldType: 'date' },
    { name: 'notes_last_updated', label: 'Last activity date', type: 'datetime', fieldType: 'date' },
    { name: 'hubspot_owner_assigneddate', label: 'Owner assigned date', type: 'datetime', fieldType: 'date' },
  ].map((d) => ({ name: d.name, definition: d }));
  await copy.replacePropertyDefinitions(PORTAL, 'companies', definitions);
  await copy.replacePropertyDefinitions(OTHER_PORTAL, 'companies', definitions);
  await copy.replaceOwners(OTHER_PORTAL, [{ id: '501', userId: REP, email: null, firstName: 'Ada', lastName: null, archived: false }]);
  // 45 companies: Ada (501) owns ids 1–30 (ten of them assigned in the last 30 days), Bo 31–40, 41–45 unassigned.
  const companies = Array.from({ length: 45 }, (_, i) => {
    const id = i + 1;
    const owner = id <= 30 ? '501' : id <= 40 ? '502' : null;
    return company(
      id,
      {
        hubspot_owner_id: owner,
        cs_manager: id <= 5 ? '502' : owner,
        industry: id % 2 ? 'SOFTWARE' : 'RETAIL',
        annualrevenue: String(id * 1000),
        hubspot_owner_assigneddate: owner ? new Date(NOW - (id <= 10 ? id : 40 + id) * DAY).toISOString() : null,
        notes_last_updated: id % 3 === 0 ? new Date(NOW - id * DAY).toISOString() : null,
        renewal_date: id <= 3 ? `2027-0${id}-15` : null,
      },
      id * 10,
    );
  });
  await copy.upsertRecords(PORTAL, 'companies', companies, at);
  await copy.upsertRecords(
    PORTAL,
    'contacts',
    [{ ...company(900, { firstname: 'Dee', lastname: 'Buyer' }, 5), properties: { firstname: 'Dee', lastname: 'Buyer' } }],
    at,
  );
  await copy.upsertRecords(PORTAL, 'meetings', [{ ...company(800, { hs_meeting_title: 'QBR' }, 2), dueAt: new Date(NOW - 2 * DAY) }], at);
  await copy.upsertAssociations(
    PORTAL,
    [
      { fromType: 'contacts', fromId: '900', toType: 'companies', toId: '1', typeIds: [1], labels: ['Primary'] },
      { fromType: 'meetings', fromId: '800', toType: 'companies', toId: '1', typeIds: [188], labels: [] },
    ],
    at,
  );
  for (const t of ['companies', 'contacts', 'meetings'])
    await copy.putSyncState(PORTAL, t, { state: 'ready', lastPolledAt: new Date(NOW - 60_000) }, at);
  // The other portal has one company of its own.
  await copy.upsertRecords(OTHER_PORTAL, 'companies', [company(1, { hubspot_owner_id: '501' }, 1)], at);
}, 60_000);

afterAll(async () => {
  await db?.close();
});

describe('Customer Success settings (CS-SET-1)', () => {
  it('answers the defaults with the choices the chosen object offers: user properties for the CSM, dates for the renewal', async () => {
    const res = await call({ path: '/api/v1/settings/customer-success' });
    expect(res.status).toBe(200);
    const body = res.body as CustomerSuccessSettingsResponse;
    expect(body.customers).toEqual({ objectType: 'companies', csmProperty: 'hubspot_owner_id', renewalDateProperty: null });
    expect(body.choices.csmProperties.map((p) => p.name)).toEqual(['hubspot_owner_id', 'cs_manager']);
    expect(body.choices.renewalDateProperties.map((p) => p.name).sort()).toEqual([
      'createdate',
      'hubspot_owner_assigneddate',
      'notes_last_updated',
      'renewal_date',
    ]);
    expect(body.choices.objects.map((o) => o.objectType)).toEqual(['companies', 'contacts']);
    expect(body.history).toEqual([]);
  });

  it('lets only managers change them', async () => {
    const res = await call({
      method: 'PUT',
      path: '/api/v1/settings/customer-success',
      body: { customers: { objectType: 'companies', csmProperty: 'cs_manager', renewalDateProperty: null } },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
  });

  it('refuses a CSM property that is no user property and a renewal date that is no date, field by field', async () => {
    const res = await call({
      method: 'PUT',
      path: '/api/v1/settings/customer-success',
      userId: MANAGER,
      body: { customers: { objectType: 'companies', csmProperty: 'industry', renewalDateProperty: 'annualrevenue' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { field: 'customers.csmProperty', issue: '"Industry" is not a HubSpot user property' },
      { field: 'customers.renewalDateProperty', issue: '"Annual revenue" is not a date property' },
    ]);
    const deal = await call({
      method: 'PUT',
      path: '/api/v1/settings/customer-success',
      userId: MANAGER,
      body: { customers: { objectType: 'deals', csmProperty: 'hubspot_owner_id', renewalDateProperty: null } },
    });
    expect(deal.body.error.details).toEqual([
      { field: 'customers.objectType', issue: 'must be companies, contacts or a custom object (2-…)' },
    ]);
    expect(hubspotCalls).toEqual([]);
  });

  it('saves a valid choice with who and when, and health reads the same CSM property', async () => {
    readsChanged.length = 0;
    const res = await call({
      method: 'PUT',
      path: '/api/v1/settings/customer-success',
      userId: MANAGER,
      body: { customers: { objectType: 'companies', csmProperty: 'cs_manager', renewalDateProperty: 'renewal_date' } },
    });
    expect(res.status).toBe(200);
    const body = res.body as CustomerSuccessSettingsResponse;
    expect(body.customers).toEqual({ objectType: 'companies', csmProperty: 'cs_manager', renewalDateProperty: 'renewal_date' });
    expect(body.history).toEqual([
      {
        changedAt: new Date(NOW).toISOString(),
        userId: MANAGER,
        before: null,
        after: { objectType: 'companies', csmProperty: 'cs_manager', renewalDateProperty: 'renewal_date' },
      },
    ]);
    expect(await profileService(db, () => NOW).csmProperty(PORTAL)).toBe('cs_manager');
    expect(await profileService(db, () => NOW).csmProperty(OTHER_PORTAL)).toBe('hubspot_owner_id');
    // The copy reads the new properties at once (its sync runs now), not at the next poll tick.
    expect(readsChanged).toEqual([PORTAL]);
    const other = await call({ path: '/api/v1/settings/customer-success', portalId: OTHER_PORTAL });
    expect((other.body as CustomerSuccessSettingsResponse).customers.csmProperty).toBe('hubspot_owner_id');
  });

  it('the Customers tab follows: Ada is the CSM of 25 customers now, Bo of 15', async () => {
    const views = (await call({ path: '/api/v1/workspace/customers/views' })).body as WorkspaceViewsResponse;
    expect(views.views.find((v) => v.id === 'owned-by-me')!.count).toBe(25);
    const bo = (await call({ path: '/api/v1/workspace/customers/views', userId: REP2 })).body as WorkspaceViewsResponse;
    expect(bo.views.find((v) => v.id === 'owned-by-me')!.count).toBe(15);
    // No history for cs_manager in the copy: nobody was assigned "in the last 30 days" until the copy sees a change.
    expect(views.views.find((v) => v.id === 'assigned-last-30-days')!.count).toBe(0);
    const [moved] = [company(31, { hubspot_owner_id: '502', cs_manager: '501' }, 310)];
    await createCopyRepo(db).upsertRecords(
      PORTAL,
      'companies',
      [{ ...moved!, modifiedAt: new Date(NOW - 2 * DAY), versionMs: 2 }],
      new Date(NOW - DAY),
    );
    const after = (await call({ path: '/api/v1/workspace/customers', query: { view: 'assigned-last-30-days' } }))
      .body as WorkspaceRecordsResponse;
    expect(after.rows.map((r) => r.id)).toEqual(['31']);
    await createCopyRepo(db).upsertRecords(
      PORTAL,
      'companies',
      [{ ...moved!, properties: { ...moved!.properties, cs_manager: '502' }, versionMs: 3 }],
      new Date(NOW - DAY),
    );
    // Back to the owner property for the rest of the file.
    const back = await call({
      method: 'PUT',
      path: '/api/v1/settings/customer-success',
      userId: MANAGER,
      body: { customers: { objectType: 'companies', csmProperty: 'hubspot_owner_id', renewalDateProperty: 'renewal_date' } },
    });
    expect((back.body as CustomerSuccessSettingsResponse).history).toHaveLength(2);
  });
});

describe('Customers workspace: views, filters, sorting, paging (CS-CUS-1, CS-CUS-2)', () => {
  it('counts the built-in views for the viewed user and says how fresh the copy is', async () => {
    const res = await call({ path: '/api/v1/workspace/customers/views' });
    expect(res.status).toBe(200);
    const body = res.body as WorkspaceViewsResponse;
    expect(body.dataAsOf).toBe(new Date(NOW - 60_000).toISOString());
    expect(body.syncing).toBeUndefined();
    expect(body.views.map((v) => [v.id, v.count, v.default?.position])).toEqual([
      ['owned-by-me', 30, 0],
      ['assigned-last-30-days', 10, 1],
    ]);
  });

  it('pages through the whole of a view with a cursor, every record once', async () => {
    const ids: string[] = [];
    let after: string | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const res = await call({
        path: '/api/v1/workspace/customers',
        query: { view: 'owned-by-me', limit: '7', ...(after ? { after } : {}) },
      });
      expect(res.status).toBe(200);
      const body = res.body as WorkspaceRecordsResponse;
      expect(body.total).toBe(30);
      ids.push(...body.rows.map((r) => r.id));
      after = body.paging?.next.after;
      if (!after) break;
    }
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect(ids.slice(0, 3)).toEqual(['1', '2', '3']);
  });

  it('sorts, and filters on create date, last activity and typed property filters', async () => {
    const sorted = (
      await call({ path: '/api/v1/workspace/customers', query: { view: 'owned-by-me', sort: 'createdate', direction: 'DESC', limit: '3' } })
    ).body as WorkspaceRecordsResponse;
    expect(sorted.rows.map((r) => r.id)).toEqual(['1', '2', '3']);
    expect(sorted.columns.map((c) => c.key)).toEqual(['name', 'owner', 'createdate', 'lastActivity', 'renewalDate']);
    expect(sorted.rows[0]).toMatchObject({
      owner: { id: '501', name: 'Ada Rep' },
      values: { renewalDate: '2027-01-15T00:00:00.000Z' },
      url: 'https://app.hubspot.com/contacts/123/record/0-2/1',
    });
    const filters = {
      createDate: { from: '2026-10-01' },
      lastActivity: { from: '2026-11-01' },
      properties: [{ propertyName: 'industry', operator: 'EQ', value: 'SOFTWARE' }],
    };
    const res = await call({ path: '/api/v1/workspace/customers', query: { filters: JSON.stringify(filters) } });
    expect(res.status).toBe(200);
    // Created within ~65 days (ids ≤ 6), activity within ~33 days (multiples of 3), odd ids: 3.
    expect((res.body as WorkspaceRecordsResponse).rows.map((r) => r.id)).toEqual(['3']);
    const unassigned = (await call({ path: '/api/v1/workspace/customers', query: { filters: JSON.stringify({ owner: 'none' }) } }))
      .body as WorkspaceRecordsResponse;
    expect(unassigned.total).toBe(5);
  });

  it('refuses an operator the property type does not take, an unknown property and a cursor of another sort', async () => {
    const bad = await call({
      path: '/api/v1/workspace/customers',
      query: {
        filters: JSON.stringify({
          properties: [
            { propertyName: 'industry', operator: 'GT', value: 'A' },
            { propertyName: 'nope', operator: 'HAS_PROPERTY' },
          ],
        }),
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([
      { field: 'filters.properties.0.operator', issue: 'GT does not apply to enumeration properties like "Industry"' },
      { field: 'filters.properties.1.propertyName', issue: 'companies has no property "nope"' },
    ]);
    const first = (await call({ path: '/api/v1/workspace/customers', query: { limit: '5' } })).body as WorkspaceRecordsResponse;
    const mixed = await call({
      path: '/api/v1/workspace/customers',
      query: { limit: '5', sort: 'createdate', after: first.paging!.next.after },
    });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.details).toEqual([{ field: 'after', issue: 'not a cursor of this list and sort' }]);
    expect((await call({ path: '/api/v1/workspace/tickets' })).status).toBe(400);
  });

  it('custom views: private to their creator, shared only by managers, edited by their creator, deleted with confirmation', async () => {
    const input = {
      name: 'Big software',
      sharing: 'private',
      query: { filters: { owner: 'me', properties: [{ propertyName: 'annualrevenue', operator: 'GTE', value: 20000 }] } },
    };
    const created = await call({ method: 'POST', path: '/api/v1/workspace/customers/views', body: input });
    expect(created.status).toBe(201);
    const view = (created.body as WorkspaceViewResponse).view;
    expect(view).toMatchObject({ name: 'Big software', kind: 'custom', sharing: 'private', ownerUserId: REP, count: 11, editable: true });
    // Bo does not see Ada's private view, nor can he open it.
    const bo = (await call({ path: '/api/v1/workspace/customers/views', userId: REP2 })).body as WorkspaceViewsResponse;
    expect(bo.views.map((v) => v.id)).not.toContain(view.id);
    expect((await call({ path: '/api/v1/workspace/customers', userId: REP2, query: { view: view.id } })).status).toBe(404);
    // Sharing with everyone is for managers.
    expect(
      (await call({ method: 'PUT', path: `/api/v1/workspace/customers/views/${view.id}`, body: { ...input, sharing: 'everyone' } })).status,
    ).toBe(403);
    expect(
      (await call({ method: 'POST', path: '/api/v1/workspace/customers/views', body: { ...input, sharing: 'everyone' } })).status,
    ).toBe(403);
    const renamed = await call({
      method: 'PUT',
      path: `/api/v1/workspace/customers/views/${view.id}`,
      body: { ...input, name: 'Big ones' },
    });
    expect((renamed.body as WorkspaceViewResponse).view.name).toBe('Big ones');
    const listed = (await call({ path: '/api/v1/workspace/customers', query: { view: view.id } })).body as WorkspaceRecordsResponse;
    expect(listed).toMatchObject({ view: { id: view.id, name: 'Big ones' }, total: 11 });
    // Built-ins cannot be edited or deleted.
    expect((await call({ method: 'PUT', path: '/api/v1/workspace/customers/views/owned-by-me', body: input })).status).toBe(403);
    // Deleting asks for confirmation.
    const unconfirmed = await call({ method: 'DELETE', path: `/api/v1/workspace/customers/views/${view.id}`, body: { confirm: false } });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error.details).toEqual([{ field: 'confirm', issue: 'must be true' }]);
    expect(
      (await call({ method: 'DELETE', path: `/api/v1/workspace/customers/views/${view.id}`, userId: REP2, body: { confirm: true } }))
        .status,
    ).toBe(404);
    expect((await call({ method: 'DELETE', path: `/api/v1/workspace/customers/views/${view.id}`, body: { confirm: true } })).status).toBe(
      204,
    );
    expect((await call({ path: '/api/v1/workspace/customers', query: { view: view.id } })).status).toBe(404);
  });

  it('defaults: managers only, shared views and built-ins, at most six, each with a description and an order', async () => {
    const shared = (
      await call({
        method: 'POST',
        path: '/api/v1/workspace/customers/views',
        userId: MANAGER,
        body: {
          name: 'Renewing soon',
          sharing: 'everyone',
          query: { filters: { properties: [{ propertyName: 'renewal_date', operator: 'HAS_PROPERTY' }] } },
        },
      })
    ).body as WorkspaceViewResponse;
    const privateOne = (
      await call({
        method: 'POST',
        path: '/api/v1/workspace/customers/views',
        body: { name: 'Mine', sharing: 'private', query: { filters: {} } },
      })
    ).body as WorkspaceViewResponse;
    const defaults = {
      defaults: [
        { viewId: shared.view.id, description: 'Renewals to prepare' },
        { viewId: 'owned-by-me', description: 'Your book' },
      ],
    };
    expect((await call({ method: 'PUT', path: '/api/v1/workspace/customers/defaults', body: defaults })).status).toBe(403);
    const tooMany = await call({
      method: 'PUT',
      path: '/api/v1/workspace/customers/defaults',
      userId: MANAGER,
      body: { defaults: Array.from({ length: 7 }, () => defaults.defaults[0]) },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details[0]).toEqual({ field: 'defaults', issue: 'at most 6 default views' });
    const priv = await call({
      method: 'PUT',
      path: '/api/v1/workspace/customers/defaults',
      userId: MANAGER,
      body: { defaults: [{ viewId: privateOne.view.id, description: 'x' }] },
    });
    expect(priv.status).toBe(400);
    const ok = await call({ method: 'PUT', path: '/api/v1/workspace/customers/defaults', userId: MANAGER, body: defaults });
    expect(ok.status).toBe(200);
    // Everyone sees the order; the second built-in left the defaults.
    const seen = (await call({ path: '/api/v1/workspace/customers/views', userId: REP2 })).body as WorkspaceViewsResponse;
    expect(seen.views.map((v) => [v.id, v.default ?? null])).toEqual([
      ['owned-by-me', { description: 'Your book', position: 1 }],
      ['assigned-last-30-days', null],
      [shared.view.id, { description: 'Renewals to prepare', position: 0 }],
    ]);
    expect(seen.views.find((v) => v.id === shared.view.id)).toMatchObject({ count: 3, editable: false });
    // A default view cannot silently turn private.
    const toPrivate = await call({
      method: 'PUT',
      path: `/api/v1/workspace/customers/views/${shared.view.id}`,
      userId: MANAGER,
      body: { name: 'Renewing soon', sharing: 'private', query: { filters: {} } },
    });
    expect(toPrivate.status).toBe(409);
  });

  it('keeps each portal to itself', async () => {
    const other = (await call({ path: '/api/v1/workspace/customers', portalId: OTHER_PORTAL, query: { view: 'owned-by-me' } }))
      .body as WorkspaceRecordsResponse;
    expect(other.total).toBe(1);
    const views = (await call({ path: '/api/v1/workspace/customers/views', portalId: OTHER_PORTAL, userId: MANAGER }))
      .body as WorkspaceViewsResponse;
    expect(views.views.map((v) => v.id)).toEqual(['owned-by-me', 'assigned-last-30-days']);
    expect(views.syncing).toEqual({ percent: 0 });
    expect((await call({ path: '/api/v1/workspace/customers/records/2', portalId: OTHER_PORTAL })).status).toBe(404);
  });
});

describe('a custom customer object', () => {
  it('is offered once chosen, and the copy is told to hold it whole', async () => {
    await createCopyRepo(db).replacePropertyDefinitions(PORTAL, '2-777', [
      { name: 'hubspot_owner_id', definition: { name: 'hubspot_owner_id', label: 'Owner', type: 'enumeration', fieldType: 'select' } },
      { name: 'plan_end', definition: { name: 'plan_end', label: 'Plan end', type: 'date', fieldType: 'date' } },
    ]);
    const choices = await call({ path: '/api/v1/settings/customer-success/choices', query: { objectType: '2-777' } });
    expect(choices.body).toMatchObject({ csmProperties: [{ name: 'hubspot_owner_id' }], renewalDateProperties: [{ name: 'plan_end' }] });
    const saved = await call({
      method: 'PUT',
      path: '/api/v1/settings/customer-success',
      userId: MANAGER,
      portalId: OTHER_PORTAL,
      body: { customers: { objectType: '2-777', csmProperty: 'hubspot_owner_id', renewalDateProperty: null } },
    });
    // The other portal's copy has no such object and HubSpot does not know it either: refused on its field.
    expect(saved.status).toBe(400);
    expect(saved.body.error.details).toEqual([
      { field: 'customers.objectType', issue: 'no properties are known for 2-777: is it an object of this portal?' },
    ]);
    expect(hubspotCalls).toEqual(['properties']);
    const ok = await call({
      method: 'PUT',
      path: '/api/v1/settings/customer-success',
      userId: MANAGER,
      body: { customers: { objectType: '2-777', csmProperty: 'hubspot_owner_id', renewalDateProperty: 'plan_end' } },
    });
    expect(ok.status).toBe(200);
    expect((ok.body as CustomerSuccessSettingsResponse).choices.objects.map((o) => o.objectType)).toEqual([
      'companies',
      'contacts',
      '2-777',
    ]);
    expect(await createSettingsRepo(db).getSetting(PORTAL, 'sync.customObjects')).toEqual(['2-777']);
    const back = await call({
      method: 'PUT',
      path: '/api/v1/settings/customer-success',
      userId: MANAGER,
      body: { customers: { objectType: 'companies', csmProperty: 'hubspot_owner_id', renewalDateProperty: 'renewal_date' } },
    });
    expect(back.status).toBe(200);
    hubspotCalls.length = 0;
  });
});

describe('record preview (CS-CUS-3)', () => {
  it('shows the stored health score and its drivers', async () => {
    const profile = buildDefaultProfile({
      objectType: 'companies',
      hasEngagements: false,
      hasTickets: false,
      hasDeals: false,
      hasCsmSentiment: false,
    });
    await createHealthRepo(db).insertProfile(
      PORTAL,
      { id: 'default', name: profile.name, objectType: 'companies', isDefault: true, profile },
      new Date(NOW - DAY),
    );
    const input = { id: '2', label: 'Company 02', ownerId: '501', properties: { notes_last_contacted: NOW - 3 * DAY } };
    await db.query(
      `insert into health_record_state (portal_id, profile_id, object_type, object_id, label, owner_id, run_id, at, profile_version, score, category,
         confirmed_category, input, recent, change)
       values ($1, 'default', 'companies', '2', 'Company 02', '501', 'r1', $2, 1, 81, 'GOOD', 'GOOD', $3::jsonb, '[]'::jsonb, null)`,
      [PORTAL, new Date(NOW - DAY), JSON.stringify(input)],
    );
    const body = (await call({ path: '/api/v1/workspace/customers/records/2' })).body as WorkspacePreviewResponse;
    expect(body.health).toMatchObject({ score: 81, category: 'GOOD', profileId: 'default', computedAt: new Date(NOW - DAY).toISOString() });
    expect(body.health!.drivers.length).toBeGreaterThan(0);
    expect(body.health!.drivers.every((d) => d.points <= d.maxPoints)).toBe(true);
  });

  it('shows key properties, recent activities, associated records and a link into HubSpot', async () => {
    const res = await call({ path: '/api/v1/workspace/customers/records/1' });
    expect(res.status).toBe(200);
    const body = res.body as WorkspacePreviewResponse;
    expect(body).toMatchObject({
      objectType: 'companies',
      id: '1',
      name: 'Company 01',
      url: 'https://app.hubspot.com/contacts/123/record/0-2/1',
      health: null,
    });
    expect(body.properties.map((p) => p.name)).toEqual(['name', 'industry', 'hubspot_owner_id', 'renewal_date']);
    // The owner's name to read, its id and the active owners for the inline editor.
    expect(body.properties.find((p) => p.name === 'hubspot_owner_id')).toEqual({
      name: 'hubspot_owner_id',
      label: 'Company owner',
      type: 'user',
      value: 'Ada Rep',
      raw: '501',
      editable: true,
      fieldType: 'select',
      options: [
        { label: 'Ada Rep', value: '501' },
        { label: 'Bo Rep', value: '502' },
        { label: 'Cy Boss', value: '503' },
      ],
    });
    expect(body.activities).toEqual([{ objectType: 'meetings', id: '800', title: 'QBR', at: new Date(NOW - 2 * DAY).toISOString() }]);
    expect(body.associations).toEqual([
      {
        objectType: 'contacts',
        id: '900',
        name: 'Dee Buyer',
        labels: ['Primary'],
        url: 'https://app.hubspot.com/contacts/123/record/0-1/900',
      },
    ]);
    expect((await call({ path: '/api/v1/workspace/customers/records/999' })).status).toBe(404);
  });

  it('made no HubSpot call in this whole file', () => {
    expect(hubspotCalls).toEqual([]);
  });
});

describe('while the first load runs (issue #11: "screens answer with what is loaded and say so")', () => {
  it('every answer computed from the copy says syncing with the same percent as the sync status, and shows what is loaded', async () => {
    const copy = createCopyRepo(db);
    await copy.putSyncState(
      PORTAL,
      'deals',
      { state: 'loading', records: 10, totalEstimate: 40, loadStartedAt: new Date(NOW - 60_000) },
      new Date(NOW),
    );
    try {
      const status = await call({ path: '/api/v1/sync/status', userId: MANAGER });
      expect(status.status).toBe(200);
      expect(status.body).toMatchObject({
        state: 'loading',
        objects: { deals: { state: 'loading', records: 10, total: 40, percent: 25 } },
      });
      const percent = (status.body as { percent: number }).percent;
      expect(percent).toBeGreaterThan(0);
      expect(percent).toBeLessThan(100);
      expect((status.body as { etaSeconds: number | null }).etaSeconds).toEqual(expect.any(Number));

      const answers = {
        'customers view': await call({ path: '/api/v1/workspace/customers', query: { view: 'owned-by-me' } }),
        'customer views': await call({ path: '/api/v1/workspace/customers/views' }),
        'customers filters': await call({ path: '/api/v1/workspace/customers/meta' }),
        'record preview': await call({ path: '/api/v1/workspace/customers/records/1' }),
        'task buckets': await call({ path: '/api/v1/tasks/buckets' }),
        'actions tasks': await call({ path: '/api/v1/actions/tasks', query: { view: 'due-today' } }),
      };
      for (const [name, res] of Object.entries(answers)) {
        expect(res.status, name).toBe(200);
        expect(res.body.syncing, name).toEqual({ percent });
        expect(res.body.dataAsOf, name).toEqual(expect.any(String));
      }
      // Never blank: what the copy holds is shown.
      expect((answers['customers view'].body as WorkspaceRecordsResponse).rows.length).toBeGreaterThan(0);
      expect((answers['record preview'].body as WorkspacePreviewResponse).name).toBe('Company 01');
    } finally {
      await db.query(`delete from sync_state where portal_id = $1 and object_type = 'deals'`, [PORTAL]);
    }
  });
});
