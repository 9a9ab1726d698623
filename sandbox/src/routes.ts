// HubSpot API routes served by the sandbox. Each handler gets the caller's portal and returns
// {status, body}. Paths, bodies and errors follow reference hubspot-crm-data.md §1–§3 and the
// SDK models in node_modules/@hubspot/api-client/lib/codegen.
import { randomUUID } from 'node:crypto';
import {
  archiveRecord,
  checkWrite,
  createRecord,
  mergeRecords,
  notFound,
  propertyExists,
  shapeRecord,
  updateRecord,
  type ReadOpts,
  type WriteCtx,
} from './records';
import { runSearch } from './search';
import { iso, ValidationError, type Portal, type Rec, type TypeStore } from './store';
import { resolveObjectType } from './object-types';
import { parseTimestamp } from './fixture';

export type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
export type Ctx = { portal: Portal; now: number; searchDelayMs: number; query: URLSearchParams; body: unknown; params: string[] };
export type Route = {
  method: string;
  pattern: RegExp;
  name: string;
  search?: boolean;
  scope?: (c: Ctx) => string | undefined;
  handle: (c: Ctx) => Reply;
};

const BATCH_MAX = 100; // reference §3.3
/**
 * A batch read asking for propertiesWithHistory takes at most 50 inputs (reference §1.1 "Property
 * history": it lowers the objects per request). HubSpot's answer beyond that, as captured by
 * PipedreamHQ/pipedream#8462 and activepieces/activepieces#9359: 400 VALIDATION_ERROR, this message.
 */
const BATCH_READ_HISTORY_MAX = 50;
const ASSOC_BATCH_MAX = 1000; // reference §1.7
const ASSOC_PAGE = 500; // reference §1.7

function err(status: number, category: string, message: string, extra: Record<string, unknown> = {}): Reply {
  return { status, body: { status: 'error', message, correlationId: randomUUID(), category, ...extra } };
}
function fail(e: ValidationError): Reply {
  return err(e.status, e.category, e.message, e.extra);
}

function list(q: URLSearchParams, name: string): string[] | undefined {
  const all = q.getAll(name);
  if (!all.length) return undefined;
  return all
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}
function bool(q: URLSearchParams, name: string): boolean {
  return q.get(name) === 'true';
}
function intParam(q: URLSearchParams, name: string, dflt: number, max: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ValidationError(`Invalid ${name} "${raw}": must be a positive integer`);
  if (n > max) throw new ValidationError(`${name} ${n} is over the maximum of ${max}`);
  return n;
}
function obj(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ValidationError('Invalid input JSON: expected an object body');
  return body as Record<string, unknown>;
}
function inputs(body: unknown, max: number): unknown[] {
  const b = obj(body);
  if (!Array.isArray(b.inputs)) throw new ValidationError('Invalid input JSON: "inputs" must be an array');
  // reference §3.3: batch endpoints take at most 100 inputs (1,000 for associations batch read)
  if (b.inputs.length > max)
    throw new ValidationError(`Too many inputs: ${b.inputs.length}. The maximum number of inputs per batch request is ${max}.`);
  return b.inputs;
}

function typeOf(c: Ctx, key: string): TypeStore {
  const ts = c.portal.typeStore(decodeURIComponent(key));
  if (!ts) throw new ValidationError(`Unable to infer object type from: ${decodeURIComponent(key)}`, 'VALIDATION_ERROR', 400);
  return ts;
}

function objectScope(key: string, write = false): string | undefined {
  const t = resolveObjectType(decodeURIComponent(key));
  if (!t) return undefined;
  const rw = write ? 'write' : 'read';
  // reference §3.1: engagement reads ride on the contacts scope
  if (['calls', 'emails', 'meetings', 'notes', 'tasks'].includes(t.name)) return `crm.objects.contacts.${rw}`;
  if (t.name === 'tickets') return 'tickets';
  if (t.custom) return `crm.objects.custom.${rw}`;
  return `crm.objects.${t.name}.${rw}`;
}

function findRecord(ts: TypeStore, id: string, idProperty: string | null, archived: boolean): Rec | undefined {
  let r: Rec | undefined;
  if (idProperty && idProperty !== 'hs_object_id') {
    for (const cand of ts.lookup(idProperty, [id]))
      if (cand.props[idProperty]?.toLowerCase() === id.toLowerCase()) {
        r = cand;
        break;
      }
  } else r = ts.byId.get(id);
  if (!r || r.archived !== archived) return undefined;
  return r;
}

function readOpts(q: URLSearchParams): ReadOpts {
  return {
    properties: list(q, 'properties'),
    propertiesWithHistory: list(q, 'propertiesWithHistory'),
    associations: list(q, 'associations'),
  };
}

function propsOf(input: unknown): Record<string, unknown> {
  const p = (input as { properties?: unknown })?.properties;
  if (p === undefined) return {};
  if (!p || typeof p !== 'object' || Array.isArray(p))
    throw new ValidationError('Invalid input JSON: "properties" must be an object of property name to string value');
  return p as Record<string, unknown>;
}

function writeCheck(ts: TypeStore, props: Record<string, unknown>): void {
  const errs = checkWrite(ts, props);
  if (errs.length) {
    throw new ValidationError(
      `Property values were not valid: ${JSON.stringify(errs.map((m) => ({ isValid: false, message: m, error: 'INVALID_PROPERTY' })))}`,
      'VALIDATION_ERROR',
      400,
      { errors: errs.map((m) => ({ message: m, code: 'INVALID_PROPERTY' })) },
    );
  }
}

function inlineAssociations(c: Ctx, ts: TypeStore, r: Rec, assocs: unknown): void {
  if (assocs === undefined) return;
  if (!Array.isArray(assocs)) throw new ValidationError('"associations" must be an array');
  for (const a of assocs as { to?: { id?: unknown }; types?: { associationCategory?: string; associationTypeId?: number }[] }[]) {
    const toId = String(a?.to?.id ?? '');
    for (const t of a?.types ?? []) {
      const def = c.portal.assocTypes.find((d) => d.from === ts.info.name && d.typeId === t.associationTypeId);
      if (!def) throw new ValidationError(`association type ${t.associationTypeId} is not valid from ${ts.info.name}`);
      const e = c.portal.associate(ts.info.name, r.id, def.to, toId, def.typeId);
      if (e) throw new ValidationError(`Could not create association: ${e}`);
    }
  }
}

function batchEnvelope(started: number, now: number, results: unknown[], errors: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = { status: 'COMPLETE', results, startedAt: iso(started), completedAt: iso(now) };
  if (errors.length) {
    out.numErrors = errors.length;
    out.errors = errors;
  }
  return out;
}

function notFoundError(ts: TypeStore, ids: string[]) {
  return {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not get some ${ts.info.singular.toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids },
    errors: [],
    links: {},
  };
}

// --- owners (reference §3.5) ---
function ownerJson(p: Portal, o: Portal['owners'][number]): Record<string, unknown> {
  const user = p.users.find((u) => o.userId != null && u.id === String(o.userId));
  const teamIds = o.teamIds ?? user?.teamIds ?? [];
  const out: Record<string, unknown> = {
    id: o.id,
    email: o.email,
    type: o.type,
    firstName: o.firstName,
    lastName: o.lastName,
    createdAt: iso(o.createdAtMs),
    updatedAt: iso(o.updatedAtMs),
    archived: o.archived,
    teams: teamIds.map((t, i) => ({ id: t, name: p.teams.find((x) => x.id === t)?.name ?? t, primary: i === 0 })),
  };
  // deactivated users: userId absent, userIdIncludingInactive kept (reference §3.5)
  const inactive = o.userIdIncludingInactive ?? o.userId ?? undefined;
  if (o.userId != null && !o.archived) out.userId = o.userId;
  if (inactive != null) out.userIdIncludingInactive = inactive;
  return out;
}

function pipelineJson(
  pl: {
    id: string;
    label: string;
    displayOrder: number;
    archived: boolean;
    stages: { id: string; label: string; displayOrder: number; metadata: Record<string, string>; archived: boolean }[];
  },
  at: number,
) {
  return {
    id: pl.id,
    label: pl.label,
    displayOrder: pl.displayOrder,
    archived: pl.archived,
    createdAt: iso(at),
    updatedAt: iso(at),
    stages: [...pl.stages].sort((a, b) => a.displayOrder - b.displayOrder).map((s) => stageJson(s, at)),
  };
}
function stageJson(
  s: { id: string; label: string; displayOrder: number; metadata: Record<string, string>; archived: boolean },
  at: number,
) {
  return {
    id: s.id,
    label: s.label,
    displayOrder: s.displayOrder,
    metadata: s.metadata,
    archived: s.archived,
    createdAt: iso(at),
    updatedAt: iso(at),
    writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
  };
}

const EPOCH = Date.UTC(2020, 0, 1);

function utcOffset(tz: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' }).formatToParts(new Date(at));
  const name = parts.find((x) => x.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3_600_000 + Number(m[3] ?? 0) * 60_000);
}

function assocResults(p: Portal, from: string, fromId: string, to: string, after: number, limit: number) {
  const m = p.associated(from, fromId, to);
  const all = m ? [...m.entries()].sort((a, b) => Number(a[0]) - Number(b[0])) : [];
  const page = all.slice(after, after + limit).map(([toId, types]) => ({
    toObjectId: Number(toId),
    associationTypes: [...types]
      .sort((a, b) => a - b)
      .map((tid) => {
        const d = p.labelOf(from, to, tid);
        return { category: d?.category ?? 'HUBSPOT_DEFINED', typeId: tid, label: d?.label ?? null };
      }),
  }));
  const next = after + limit < all.length ? String(after + limit) : undefined;
  return { page, next, total: all.length };
}

function afterParam(q: URLSearchParams | string | undefined | null): number {
  const raw = typeof q === 'string' || q == null ? q : q.get('after');
  if (raw == null || raw === '') return 0;
  if (!/^\d+$/.test(raw)) throw new ValidationError(`Invalid after value "${raw}"`);
  return Number(raw);
}

export const routes: Route[] = [];
function route(method: string, path: string, handle: Route['handle'], extra: Partial<Route> = {}) {
  const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, '([^/]+)')}/?$`);
  routes.push({ method, pattern, name: `${method} ${path}`, handle, ...extra });
}

// ---------- owners, users, account ----------
route(
  'GET',
  '/crm/v3/owners',
  (c) => {
    const limit = intParam(c.query, 'limit', 100, 500);
    const after = afterParam(c.query);
    const email = c.query.get('email')?.toLowerCase();
    const archived = bool(c.query, 'archived');
    const all = c.portal.owners.filter((o) => o.archived === archived && (!email || o.email.toLowerCase() === email));
    const page = all.slice(after, after + limit);
    const body: Record<string, unknown> = { results: page.map((o) => ownerJson(c.portal, o)) };
    if (after + limit < all.length) body.paging = { next: { after: String(after + limit), link: `?after=${after + limit}` } };
    return { status: 200, body };
  },
  { scope: () => 'crm.objects.owners.read' },
);

route(
  'GET',
  '/crm/v3/owners/{ownerId}',
  (c) => {
    const id = decodeURIComponent(c.params[0]!);
    const byUser = c.query.get('idProperty') === 'userId';
    const archived = bool(c.query, 'archived');
    const o = c.portal.owners.find((x) => (byUser ? String(x.userId) === id : x.id === id) && x.archived === archived);
    if (!o) return err(404, 'OBJECT_NOT_FOUND', `Owner with id ${id} not found`, { context: { id: [id] } });
    return { status: 200, body: ownerJson(c.portal, o) };
  },
  { scope: () => 'crm.objects.owners.read' },
);

// Settings users API: who may use the portal and who is a super admin (Tiller's managers)
route(
  'GET',
  '/settings/v3/users',
  (c) => {
    const limit = intParam(c.query, 'limit', 100, 100);
    const after = afterParam(c.query);
    const page = c.portal.users.slice(after, after + limit);
    const body: Record<string, unknown> = {
      results: page.map((u) => ({
        id: u.id,
        email: u.email,
        firstName: u.firstName,
        lastName: u.lastName,
        roleIds: [],
        primaryTeamId: u.teamIds[0],
        secondaryTeamIds: u.teamIds.slice(1),
        superAdmin: u.superAdmin,
      })),
    };
    if (after + limit < c.portal.users.length) body.paging = { next: { after: String(after + limit), link: `?after=${after + limit}` } };
    return { status: 200, body };
  },
  { scope: () => 'settings.users.read' },
);

route('GET', '/account-info/v3/details', (c) => {
  const off = utcOffset(c.portal.timeZone, c.now);
  const abs = Math.abs(off);
  const hh = String(Math.floor(abs / 3_600_000)).padStart(2, '0');
  const mm = String(Math.floor((abs % 3_600_000) / 60_000)).padStart(2, '0');
  return {
    status: 200,
    body: {
      portalId: c.portal.id,
      accountType: 'STANDARD',
      timeZone: c.portal.timeZone,
      companyCurrency: 'USD',
      additionalCurrencies: [],
      utcOffset: `${off < 0 ? '-' : '+'}${hh}:${mm}`,
      utcOffsetMilliseconds: off,
      uiDomain: 'app.hubspot.com',
      dataHostingLocation: 'na1',
    },
  };
});

// ---------- objects v3 ----------
route(
  'POST',
  '/crm/v3/objects/{objectType}/search',
  (c) => {
    const ts = typeOf(c, c.params[0]!);
    return { status: 200, body: runSearch(c.portal, ts, c.body ?? {}, c.now) };
  },
  { search: true, scope: (c) => objectScope(c.params[0]!) },
);

for (const [method, path, write] of [
  ['POST', '/crm/v3/objects/{objectType}/batch/read', false],
  ['POST', '/crm/v3/objects/{objectType}/batch/create', true],
  ['POST', '/crm/v3/objects/{objectType}/batch/update', true],
  ['POST', '/crm/v3/objects/{objectType}/batch/archive', true],
] as const) {
  route(
    method,
    path,
    (c) => {
      const ts = typeOf(c, c.params[0]!);
      const op = path.slice(path.lastIndexOf('/') + 1);
      const items = inputs(c.body, BATCH_MAX);
      const b = obj(c.body);
      const started = c.now;
      const wctx: WriteCtx = { now: c.now, searchDelayMs: c.searchDelayMs };
      if (op === 'read') {
        const idProperty = typeof b.idProperty === 'string' ? b.idProperty : null;
        const o: ReadOpts = {
          properties: Array.isArray(b.properties) ? b.properties.map(String) : undefined,
          propertiesWithHistory: Array.isArray(b.propertiesWithHistory) ? b.propertiesWithHistory.map(String) : undefined,
        };
        if (o.propertiesWithHistory?.length && items.length > BATCH_READ_HISTORY_MAX)
          throw new ValidationError(
            `The maximum number of inputs supported in a batch request for property histories is ${BATCH_READ_HISTORY_MAX}. Please reduce the number of items and try again`,
          );
        const archived = bool(c.query, 'archived');
        const results: unknown[] = [];
        const missing: string[] = [];
        const seen = new Set<string>();
        for (const it of items) {
          const id = String((it as { id?: unknown })?.id ?? '');
          const r = findRecord(ts, id, idProperty, archived);
          if (!r) {
            missing.push(id);
            continue;
          }
          if (seen.has(r.id)) continue;
          seen.add(r.id);
          results.push(shapeRecord(c.portal, ts, r, o, c.now));
        }
        // reference §3.3: partial failure is HTTP 207 with errors
        return {
          status: missing.length ? 207 : 200,
          body: batchEnvelope(started, c.now, results, missing.length ? [notFoundError(ts, missing)] : []),
        };
      }
      if (op === 'create') {
        const all = items.map((it) => propsOf(it));
        all.forEach((p) => writeCheck(ts, p));
        const results = items.map((it, i) => {
          const r = createRecord(c.portal, ts, all[i]!, wctx);
          inlineAssociations(c, ts, r, (it as { associations?: unknown }).associations);
          return shapeRecord(c.portal, ts, r, { properties: Object.keys(all[i]!) }, c.now);
        });
        return { status: 201, body: batchEnvelope(started, c.now, results, []) };
      }
      if (op === 'update') {
        const missing: string[] = [];
        const found: [Rec, Record<string, unknown>][] = [];
        for (const it of items) {
          const id = String((it as { id?: unknown })?.id ?? '');
          const p = propsOf(it);
          writeCheck(ts, p);
          const r = findRecord(
            ts,
            id,
            typeof (it as { idProperty?: unknown }).idProperty === 'string' ? (it as { idProperty: string }).idProperty : null,
            false,
          );
          if (!r) missing.push(id);
          else found.push([r, p]);
        }
        const results = found.map(([r, p]) => {
          updateRecord(c.portal, ts, r, p, wctx);
          return shapeRecord(c.portal, ts, r, { properties: Object.keys(p) }, c.now);
        });
        return {
          status: missing.length ? 207 : 200,
          body: batchEnvelope(started, c.now, results, missing.length ? [notFoundError(ts, missing)] : []),
        };
      }
      for (const it of items) {
        const r = ts.byId.get(String((it as { id?: unknown })?.id ?? ''));
        if (r) archiveRecord(c.portal, ts, r, wctx);
      }
      return { status: 204 };
    },
    { scope: (c) => objectScope(c.params[0]!, write) },
  );
}

// merge (reference hubspot-sync.md §6): {primaryObjectId, objectIdToMerge} → the primary record
route(
  'POST',
  '/crm/v3/objects/{objectType}/merge',
  (c) => {
    const ts = typeOf(c, c.params[0]!);
    const b = obj(c.body);
    const primaryId = String(b.primaryObjectId ?? '');
    const mergedId = String(b.objectIdToMerge ?? '');
    if (!primaryId || !mergedId) throw new ValidationError('primaryObjectId and objectIdToMerge are required');
    if (primaryId === mergedId) throw new ValidationError('A record cannot be merged into itself');
    const primary = findRecord(ts, primaryId, null, false);
    if (!primary) throw notFound(ts, primaryId);
    const merged = findRecord(ts, mergedId, null, false);
    if (!merged) throw notFound(ts, mergedId);
    mergeRecords(c.portal, ts, primary, merged, { now: c.now, searchDelayMs: c.searchDelayMs });
    return { status: 200, body: shapeRecord(c.portal, ts, primary, {}, c.now) };
  },
  { scope: (c) => objectScope(c.params[0]!, true) },
);

route(
  'GET',
  '/crm/v3/objects/{objectType}',
  (c) => {
    const ts = typeOf(c, c.params[0]!);
    const limit = intParam(c.query, 'limit', 10, 100);
    const archived = bool(c.query, 'archived');
    const afterId = c.query.get('after');
    if (afterId !== null && afterId !== '' && !/^\d+$/.test(afterId)) throw new ValidationError(`Invalid after value "${afterId}"`);
    const o = readOpts(c.query);
    const results: unknown[] = [];
    let next: string | undefined;
    const floor = afterId ? Number(afterId) : -1;
    const sorted = [...ts.byId.values()]
      .filter((r) => r.archived === archived && Number(r.id) >= floor)
      .sort((a, b) => Number(a.id) - Number(b.id));
    for (const r of sorted) {
      if (results.length === limit) {
        next = r.id;
        break;
      }
      results.push(shapeRecord(c.portal, ts, r, o, c.now));
    }
    const body: Record<string, unknown> = { results };
    if (next) body.paging = { next: { after: next, link: `?after=${next}` } };
    return { status: 200, body };
  },
  { scope: (c) => objectScope(c.params[0]!) },
);

route(
  'POST',
  '/crm/v3/objects/{objectType}',
  (c) => {
    const ts = typeOf(c, c.params[0]!);
    if (ts.info.name === 'users') throw new ValidationError('Users cannot be created through this API', 'VALIDATION_ERROR', 400);
    const b = obj(c.body);
    const p = propsOf(b);
    writeCheck(ts, p);
    const r = createRecord(c.portal, ts, p, { now: c.now, searchDelayMs: c.searchDelayMs });
    inlineAssociations(c, ts, r, b.associations);
    return { status: 201, body: shapeRecord(c.portal, ts, r, { properties: Object.keys(p) }, c.now) };
  },
  { scope: (c) => objectScope(c.params[0]!, true) },
);

route(
  'GET',
  '/crm/v3/objects/{objectType}/{objectId}',
  (c) => {
    const ts = typeOf(c, c.params[0]!);
    const id = decodeURIComponent(c.params[1]!);
    const r = findRecord(ts, id, c.query.get('idProperty'), bool(c.query, 'archived'));
    if (!r) throw notFound(ts, id);
    return { status: 200, body: shapeRecord(c.portal, ts, r, readOpts(c.query), c.now) };
  },
  { scope: (c) => objectScope(c.params[0]!) },
);

route(
  'PATCH',
  '/crm/v3/objects/{objectType}/{objectId}',
  (c) => {
    const ts = typeOf(c, c.params[0]!);
    const id = decodeURIComponent(c.params[1]!);
    const p = propsOf(obj(c.body));
    const r = findRecord(ts, id, c.query.get('idProperty'), false);
    if (!r) throw notFound(ts, id);
    writeCheck(ts, p);
    updateRecord(c.portal, ts, r, p, { now: c.now, searchDelayMs: c.searchDelayMs });
    return { status: 200, body: shapeRecord(c.portal, ts, r, { properties: Object.keys(p) }, c.now) };
  },
  { scope: (c) => objectScope(c.params[0]!, true) },
);

route(
  'DELETE',
  '/crm/v3/objects/{objectType}/{objectId}',
  (c) => {
    const ts = typeOf(c, c.params[0]!);
    const r = ts.byId.get(decodeURIComponent(c.params[1]!));
    if (r) archiveRecord(c.portal, ts, r, { now: c.now, searchDelayMs: c.searchDelayMs });
    return { status: 204 };
  },
  { scope: (c) => objectScope(c.params[0]!, true) },
);

// ---------- associations v4 (reference §1.7, §3.4) ----------
route(
  'GET',
  '/crm/v4/objects/{fromType}/{objectId}/associations/{toType}',
  (c) => {
    const from = typeOf(c, c.params[0]!);
    const to = typeOf(c, c.params[2]!);
    const id = decodeURIComponent(c.params[1]!);
    const limit = intParam(c.query, 'limit', ASSOC_PAGE, ASSOC_PAGE);
    const { page, next } = assocResults(c.portal, from.info.name, id, to.info.name, afterParam(c.query), limit);
    const body: Record<string, unknown> = { results: page };
    if (next) body.paging = { next: { after: next, link: `?after=${next}` } };
    return { status: 200, body };
  },
  { scope: (c) => objectScope(c.params[0]!) },
);

route(
  'POST',
  '/crm/v4/associations/{fromType}/{toType}/batch/read',
  (c) => {
    const from = typeOf(c, c.params[0]!);
    const to = typeOf(c, c.params[1]!);
    const items = inputs(c.body, ASSOC_BATCH_MAX);
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const it of items) {
      const id = String((it as { id?: unknown })?.id ?? '');
      const { page, next } = assocResults(
        c.portal,
        from.info.name,
        id,
        to.info.name,
        afterParam((it as { after?: string }).after),
        ASSOC_PAGE,
      );
      if (!page.length) {
        errors.push({
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
          message: `No ${to.info.name} is associated with ${from.info.singular} ${id}.`,
          context: { fromObjectId: [id], toObjectType: [to.info.name] },
          errors: [],
          links: {},
        });
        continue;
      }
      const r: Record<string, unknown> = { from: { id }, to: page };
      if (next) r.paging = { next: { after: next, link: `?after=${next}` } };
      results.push(r);
    }
    return { status: errors.length ? 207 : 200, body: batchEnvelope(c.now, c.now, results, errors) };
  },
  { scope: (c) => objectScope(c.params[0]!) },
);

route(
  'GET',
  '/crm/v4/associations/{fromType}/{toType}/labels',
  (c) => {
    const from = typeOf(c, c.params[0]!).info.name;
    const to = typeOf(c, c.params[1]!).info.name;
    const results = c.portal.assocTypes
      .filter((t) => t.from === from && t.to === to)
      .map((t) => ({ category: t.category, typeId: t.typeId, label: t.label }));
    return { status: 200, body: { results } };
  },
  { scope: (c) => objectScope(c.params[0]!) },
);

function labelsBetween(c: Ctx, from: TypeStore, fromId: string, to: TypeStore, toId: string) {
  const types = c.portal.associated(from.info.name, fromId, to.info.name)?.get(toId) ?? new Set<number>();
  const labels = [...types].map((t) => c.portal.labelOf(from.info.name, to.info.name, t)?.label).filter((l): l is string => !!l);
  return { fromObjectTypeId: from.info.id, fromObjectId: Number(fromId), toObjectTypeId: to.info.id, toObjectId: Number(toId), labels };
}

function associateOrThrow(c: Ctx, from: TypeStore, fromId: string, to: TypeStore, toId: string, typeId?: number) {
  const e = c.portal.associate(from.info.name, fromId, to.info.name, toId, typeId);
  if (e)
    throw new ValidationError(
      e.startsWith('no ') ? `Object not found: ${e}` : e,
      e.startsWith('no ') ? 'OBJECT_NOT_FOUND' : 'VALIDATION_ERROR',
      e.startsWith('no ') ? 404 : 400,
    );
}

function specTypes(types: unknown): number[] {
  if (!Array.isArray(types) || !types.length)
    throw new ValidationError('Association types are required: [{associationCategory, associationTypeId}]');
  return types.map((t: { associationTypeId?: unknown; associationCategory?: unknown }) => {
    if (!['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED'].includes(String(t?.associationCategory)))
      throw new ValidationError(`Invalid associationCategory ${JSON.stringify(t?.associationCategory)}`);
    const n = Number(t?.associationTypeId);
    if (!Number.isInteger(n)) throw new ValidationError('associationTypeId must be an integer');
    return n;
  });
}

route(
  'PUT',
  '/crm/v4/objects/{fromType}/{objectId}/associations/default/{toType}/{toObjectId}',
  (c) => {
    const from = typeOf(c, c.params[0]!);
    const to = typeOf(c, c.params[2]!);
    const [fromId, toId] = [decodeURIComponent(c.params[1]!), decodeURIComponent(c.params[3]!)];
    associateOrThrow(c, from, fromId, to, toId);
    const def = c.portal.defaultType(from.info.name, to.info.name)!;
    const results = [
      { from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: def.category, associationTypeId: def.typeId } },
      { from: { id: toId }, to: { id: fromId }, associationSpec: { associationCategory: def.category, associationTypeId: def.inverse } },
    ];
    return { status: 200, body: batchEnvelope(c.now, c.now, results, []) };
  },
  { scope: (c) => objectScope(c.params[0]!, true) },
);

route(
  'PUT',
  '/crm/v4/objects/{fromType}/{objectId}/associations/{toType}/{toObjectId}',
  (c) => {
    const from = typeOf(c, c.params[0]!);
    const to = typeOf(c, c.params[2]!);
    const [fromId, toId] = [decodeURIComponent(c.params[1]!), decodeURIComponent(c.params[3]!)];
    for (const t of specTypes(c.body)) associateOrThrow(c, from, fromId, to, toId, t);
    return { status: 201, body: labelsBetween(c, from, fromId, to, toId) };
  },
  { scope: (c) => objectScope(c.params[0]!, true) },
);

route(
  'DELETE',
  '/crm/v4/objects/{fromType}/{objectId}/associations/{toType}/{toObjectId}',
  (c) => {
    const from = typeOf(c, c.params[0]!);
    const to = typeOf(c, c.params[2]!);
    c.portal.unassociate(from.info.name, decodeURIComponent(c.params[1]!), to.info.name, decodeURIComponent(c.params[3]!));
    return { status: 204 };
  },
  { scope: (c) => objectScope(c.params[0]!, true) },
);

route(
  'POST',
  '/crm/v4/associations/{fromType}/{toType}/batch/create',
  (c) => {
    const from = typeOf(c, c.params[0]!);
    const to = typeOf(c, c.params[1]!);
    const items = inputs(c.body, BATCH_MAX) as { from?: { id?: unknown }; to?: { id?: unknown }; types?: unknown }[];
    const results = items.map((it) => {
      const [fid, tid] = [String(it?.from?.id ?? ''), String(it?.to?.id ?? '')];
      for (const t of specTypes(it?.types)) associateOrThrow(c, from, fid, to, tid, t);
      return labelsBetween(c, from, fid, to, tid);
    });
    return { status: 201, body: batchEnvelope(c.now, c.now, results, []) };
  },
  { scope: (c) => objectScope(c.params[0]!, true) },
);

route(
  'POST',
  '/crm/v4/associations/{fromType}/{toType}/batch/associate/default',
  (c) => {
    const from = typeOf(c, c.params[0]!);
    const to = typeOf(c, c.params[1]!);
    const items = inputs(c.body, BATCH_MAX) as { from?: { id?: unknown }; to?: { id?: unknown } }[];
    const def = c.portal.defaultType(from.info.name, to.info.name);
    if (!def) throw new ValidationError(`There is no default association type between ${from.info.name} and ${to.info.name}`);
    const results = items.flatMap((it) => {
      const [fid, tid] = [String(it?.from?.id ?? ''), String(it?.to?.id ?? '')];
      associateOrThrow(c, from, fid, to, tid);
      return [
        { from: { id: fid }, to: { id: tid }, associationSpec: { associationCategory: def.category, associationTypeId: def.typeId } },
        { from: { id: tid }, to: { id: fid }, associationSpec: { associationCategory: def.category, associationTypeId: def.inverse } },
      ];
    });
    return { status: 200, body: batchEnvelope(c.now, c.now, results, []) };
  },
  { scope: (c) => objectScope(c.params[0]!, true) },
);

route(
  'POST',
  '/crm/v4/associations/{fromType}/{toType}/batch/archive',
  (c) => {
    const from = typeOf(c, c.params[0]!);
    const to = typeOf(c, c.params[1]!);
    const items = inputs(c.body, ASSOC_BATCH_MAX) as { from?: { id?: unknown }; to?: { id?: unknown }[] }[];
    for (const it of items)
      for (const t of it?.to ?? []) c.portal.unassociate(from.info.name, String(it?.from?.id ?? ''), to.info.name, String(t?.id ?? ''));
    return { status: 204 };
  },
  { scope: (c) => objectScope(c.params[0]!, true) },
);

// ---------- pipelines (reference §2.3, §2.4, §3.7) ----------
function pipelinesOf(c: Ctx) {
  const ts = typeOf(c, c.params[0]!);
  const list = c.portal.pipelines.get(ts.info.name);
  if (!list) throw new ValidationError(`Pipelines are not supported for object type ${ts.info.name}`, 'VALIDATION_ERROR', 400);
  return list;
}
route('GET', '/crm/v3/pipelines/{objectType}', (c) => ({
  status: 200,
  body: { results: [...pipelinesOf(c)].sort((a, b) => a.displayOrder - b.displayOrder).map((p) => pipelineJson(p, EPOCH)) },
}));
route('GET', '/crm/v3/pipelines/{objectType}/{pipelineId}', (c) => {
  const p = pipelinesOf(c).find((x) => x.id === decodeURIComponent(c.params[1]!));
  if (!p) return err(404, 'OBJECT_NOT_FOUND', `Unable to find pipeline ${decodeURIComponent(c.params[1]!)}`);
  return { status: 200, body: pipelineJson(p, EPOCH) };
});
route('GET', '/crm/v3/pipelines/{objectType}/{pipelineId}/stages', (c) => {
  const p = pipelinesOf(c).find((x) => x.id === decodeURIComponent(c.params[1]!));
  if (!p) return err(404, 'OBJECT_NOT_FOUND', `Unable to find pipeline ${decodeURIComponent(c.params[1]!)}`);
  return { status: 200, body: { results: pipelineJson(p, EPOCH).stages } };
});
route('GET', '/crm/v3/pipelines/{objectType}/{pipelineId}/stages/{stageId}', (c) => {
  const p = pipelinesOf(c).find((x) => x.id === decodeURIComponent(c.params[1]!));
  const s = p?.stages.find((x) => x.id === decodeURIComponent(c.params[2]!));
  if (!s) return err(404, 'OBJECT_NOT_FOUND', `Unable to find stage ${decodeURIComponent(c.params[2]!)}`);
  return { status: 200, body: stageJson(s, EPOCH) };
});

// ---------- properties ----------
function propertyJson(ts: TypeStore, name: string) {
  const d = ts.props.get(name)!;
  const out: Record<string, unknown> = {
    name: d.name,
    label: d.label,
    type: d.type,
    fieldType: d.fieldType,
    description: d.description,
    groupName: d.groupName,
    options: [...d.options].sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0)),
    displayOrder: d.displayOrder ?? -1,
    calculated: !!d.calculated,
    externalOptions: !!d.externalOptions,
    hasUniqueValue: !!d.hasUniqueValue,
    hidden: !!d.hidden,
    hubspotDefined: d.hubspotDefined,
    formField: d.formField ?? !d.readOnly,
    modificationMetadata: {
      archivable: !d.hubspotDefined,
      readOnlyDefinition: d.hubspotDefined,
      readOnlyValue: !!(d.readOnly || d.calculated),
    },
    createdAt: iso(EPOCH),
    updatedAt: iso(EPOCH),
    archived: false,
  };
  return out;
}
route('GET', '/crm/v3/properties/{objectType}', (c) => {
  const ts = typeOf(c, c.params[0]!);
  return { status: 200, body: { results: [...ts.props.keys()].sort().map((n) => propertyJson(ts, n)) } };
});
route('GET', '/crm/v3/properties/{objectType}/{propertyName}', (c) => {
  const ts = typeOf(c, c.params[0]!);
  const name = decodeURIComponent(c.params[1]!);
  if (!ts.props.has(name)) return err(404, 'OBJECT_NOT_FOUND', `Unable to find property ${name} for object type ${ts.info.id}`);
  return { status: 200, body: propertyJson(ts, name) };
});

// ---------- call outcomes (reference §1.3) ----------
route('GET', '/calling/v1/dispositions', (c) => ({
  status: 200,
  body: c.portal.dispositions.map((d) => ({ id: d.id, label: d.label, deleted: false })),
}));

// ---------- sequences v4 (reference §3.8) ----------
function seqJson(s: Portal['sequences'][number]) {
  return {
    id: s.id,
    name: s.name,
    userId: s.userId,
    folderId: s.folderId ?? '0',
    createdAt: iso(s.createdAt !== undefined ? parseTimestamp(s.createdAt)! : EPOCH),
    updatedAt: iso(s.updatedAt !== undefined ? parseTimestamp(s.updatedAt)! : EPOCH),
  };
}
function requireUserId(c: Ctx): string {
  const u = c.query.get('userId');
  if (!u) throw new ValidationError('userId is required', 'VALIDATION_ERROR', 400);
  return u;
}
route(
  'GET',
  '/automation/v4/sequences',
  (c) => {
    const userId = requireUserId(c);
    const limit = intParam(c.query, 'limit', 100, 100);
    const after = afterParam(c.query);
    const name = c.query.get('name')?.toLowerCase();
    const all = c.portal.sequences.filter((s) => s.userId === userId && (!name || s.name.toLowerCase().includes(name)));
    const body: Record<string, unknown> = { total: all.length, results: all.slice(after, after + limit).map(seqJson) };
    if (after + limit < all.length) body.paging = { next: { after: String(after + limit), link: `?after=${after + limit}` } };
    return { status: 200, body };
  },
  { scope: () => 'automation.sequences.read' },
);
route(
  'GET',
  '/automation/v4/sequences/enrollments/contact/{contactId}',
  (c) => {
    const id = decodeURIComponent(c.params[0]!);
    const e = c.portal.enrollments.get(id);
    if (!e) return err(404, 'OBJECT_NOT_FOUND', `No enrollment found for contact ${id}`);
    return {
      status: 200,
      body: {
        id: e.id,
        sequenceId: e.sequenceId,
        sequenceName: e.sequenceName,
        enrolledAt: iso(e.enrolledAt),
        enrolledBy: e.enrolledBy,
        enrolledByEmail: e.enrolledByEmail,
        toEmail: e.toEmail || (c.portal.types.get('contacts')!.byId.get(id)?.props.email ?? ''),
        updatedAt: iso(e.updatedAt),
      },
    };
  },
  // HubSpot's sequences guide, "Scope requirements": automation.sequences.read "is required for all
  // endpoints"; there is no enrollments read scope (only automation.sequences.enrollments.write).
  { scope: () => 'automation.sequences.read' },
);
route(
  'POST',
  '/automation/v4/sequences/enrollments',
  (c) => {
    const userId = requireUserId(c);
    const b = obj(c.body);
    const contactId = String(b.contactId ?? '');
    const seq = c.portal.sequences.find((s) => s.id === String(b.sequenceId ?? ''));
    if (!seq) return err(404, 'OBJECT_NOT_FOUND', `Sequence ${String(b.sequenceId)} not found`);
    if (typeof b.senderEmail !== 'string' || !b.senderEmail) throw new ValidationError('senderEmail is required');
    const contact = c.portal.types.get('contacts')!.byId.get(contactId);
    if (!contact || contact.archived) return err(404, 'OBJECT_NOT_FOUND', `Contact ${contactId} not found`);
    const user = c.portal.users.find((u) => u.id === userId);
    const e = {
      id: String(c.portal.nextEnrollmentId++),
      sequenceId: seq.id,
      sequenceName: seq.name,
      contactId,
      enrolledAt: c.now,
      updatedAt: c.now,
      enrolledBy: userId,
      enrolledByEmail: user?.email ?? b.senderEmail,
      toEmail: contact.props.email ?? '',
    };
    c.portal.enrollments.set(contactId, e);
    return { status: 200, body: { id: e.id, enrolledAt: iso(e.enrolledAt), toEmail: e.toEmail, updatedAt: iso(e.updatedAt) } };
  },
  { scope: () => 'automation.sequences.enrollments.write' },
);
route(
  'GET',
  '/automation/v4/sequences/{sequenceId}',
  (c) => {
    requireUserId(c);
    const s = c.portal.sequences.find((x) => x.id === decodeURIComponent(c.params[0]!));
    if (!s) return err(404, 'OBJECT_NOT_FOUND', `Sequence ${decodeURIComponent(c.params[0]!)} not found`);
    return {
      status: 200,
      body: {
        ...seqJson(s),
        steps: s.steps ?? [
          { stepOrder: 0, actionType: 'EMAIL', delayMillis: 0, emailPattern: { templateId: '1' } },
          {
            stepOrder: 1,
            actionType: 'TASK',
            delayMillis: 172_800_000,
            taskPattern: { taskType: 'CALL', taskPriority: 'HIGH', subject: 'Follow-up call', notes: '' },
          },
          { stepOrder: 2, actionType: 'FINISH_ENROLLMENT', delayMillis: 0 },
        ],
        dependencies: [],
        settings: {
          eligibleFollowUpDays: 'BUSINESS_DAYS',
          sendWindowStartMinute: 480,
          sendWindowEndMinute: 1080,
          individualTaskRemindersEnabled: false,
        },
      },
    };
  },
  { scope: () => 'automation.sequences.read' },
);

export { err, fail, propertyExists, randomUUID };
