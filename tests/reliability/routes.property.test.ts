// Issue #14: every route of the app's route table (read from its router stack, so a new endpoint
// is covered the day it is mounted), attacked with generated requests:
//   - forged or tampered signatures: none is accepted (401, JSON);
//   - malformed input under a valid signature: never a 5xx, always our JSON error body.
// TILLER_SUITE=long runs ten times as many (the bench's mode); the default stays well under 60 s.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrmError } from '../../src/backend/crm/errors';
import type { PortalCrm } from '../../src/backend/crm/gateway';
import { createDatabase, type Database } from '../../src/backend/storage';
import { listen, signedHeaders, type RawResponse, type RawServer } from '../helpers/raw-client';
import { fillPath, routeTable, type RouteEntry } from '../helpers/route-table';
import { stubCrm } from '../helpers/stub-crm';
import { testApp } from '../helpers/test-app';

const LONG = process.env.TILLER_SUITE === 'long';
const FORGED_TOTAL = LONG ? 10_000 : 1_000;
const MALFORMED_TOTAL = LONG ? 20_000 : 2_000;
const SEED = process.env.TILLER_SUITE_SEED ? Number(process.env.TILLER_SUITE_SEED) : undefined;

const PORTAL = 123;
const OTHER_PORTAL = 456;
const REP = 9001;
const MANAGER = 9999;

// HubSpot as strict as the real one: a search, property list or read of an object type it does
// not have is its permanent 400, which reaches the caller as a 500 (our fault) — so any junk
// object type that slips past our validation shows up here as a 5xx.
const KNOWN_TYPES = new Set([
  'contacts',
  'companies',
  'deals',
  'tickets',
  'tasks',
  'meetings',
  'calls',
  'emails',
  'notes',
  'leads',
  'line_items',
  'products',
]);
function strictType(objectType: string): void {
  if (!KNOWN_TYPES.has(objectType)) throw new CrmError('bad-request', `Unable to infer object type from: ${objectType}`, 400);
}
const base = stubCrm();
const strict: Partial<PortalCrm> = {
  search: async (t, r) => (strictType(t), base.portal(PORTAL).search(t, r)),
  properties: async (t) => (strictType(t), []),
  pipelines: async (t) => (strictType(t), []),
  batchRead: async (t, ids, props) => (strictType(t), base.portal(PORTAL).batchRead(t, ids, props)),
  scan: async (t) => (strictType(t), []),
  getRecord: async (t) => (strictType(t), null),
};

let db: Database;
let server: RawServer;
let routes: RouteEntry[];
const tally = { forged: 0, forgedAccepted: 0, malformed: 0, malformed5xx: 0, byStatus: new Map<number, number>() };

beforeAll(async () => {
  db = await createDatabase({});
  const app = testApp({ crm: stubCrm(strict), db, installed: [PORTAL, OTHER_PORTAL], managers: [MANAGER] });
  routes = routeTable(app).filter((r) => r.path.startsWith('/api/'));
  server = await listen(app);
});

afterAll(async () => {
  await server?.close();
  await db?.close();
  const statuses = [...tally.byStatus.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
  process.stdout.write(
    `reliability suite: ${routes.length} routes; forged ${tally.forged} tried, ${tally.forgedAccepted} accepted; ` +
      `malformed ${tally.malformed} tried, ${tally.malformed5xx} 5xx (${statuses})\n`,
  );
});

const VALID_PARAM: Record<string, string> = { objectType: 'companies', objectId: '1', id: 'default' };
const validTarget = (r: RouteEntry, userId = REP) =>
  `${fillPath(r.path, (name) => VALID_PARAM[name] ?? '1')}?portalId=${PORTAL}&userId=${userId}`;

function isJsonError(res: RawResponse): boolean {
  const body = res.json as { error?: { code?: unknown; message?: unknown } } | undefined;
  return (
    /application\/json/.test(String(res.headers['content-type'])) &&
    typeof body?.error?.code === 'string' &&
    typeof body.error.message === 'string'
  );
}

// ---- generators ------------------------------------------------------------------------------

const printable = (max: number) => fc.stringMatching(new RegExp(`^[ -~]{0,${max}}$`));
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64url');

const brokenEncodings = ['%', '%Z', '%ZZ', '%E0%A4%A', '%C0%AF', '%FF', '%00', '%ED%A0%80', '%%', '%2', '%u0041'];
const junkNames = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype', 'valueOf'];

const paramValue = fc.oneof(
  fc.constantFrom(
    ...brokenEncodings,
    ...junkNames,
    '..',
    '.',
    'ga_1',
    'ga_zz',
    'default',
    'new',
    '1',
    '0',
    '-1',
    '1e400',
    '2-999',
    'p_widgets',
    'contacts',
    'deals',
    'x'.repeat(300),
  ),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.stringMatching(/^[A-Za-z0-9%_.~-]{1,30}$/),
  fc.tuple(fc.stringMatching(/^[a-z0-9]{0,5}$/), fc.constantFrom(...brokenEncodings)).map(([a, b]) => a + b),
);

const cursorValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map(b64),
  fc
    .tuple(
      fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e308, -0, 1.5, 40_000, Number.MAX_SAFE_INTEGER)),
      fc.string({ maxLength: 10 }),
    )
    .map(b64),
  fc
    .tuple(
      fc.oneof(
        fc.constantFrom(
          '+275761-01-01T00:00:00.000Z',
          '-271821-04-20T00:00:00.000Z',
          '0001-01-01T00:00:00Z',
          '2026-02-30T00:00:00Z',
          '9999-12-31T23:59:59.999Z',
        ),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.string(),
      ),
      fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('a\u0000b', '\u0000')),
    )
    .map(b64),
  printable(40),
);

const queryValue = fc.oneof(
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1.5',
    '1e308',
    '-1e308',
    'NaN',
    'Infinity',
    'true',
    'false',
    'mine',
    'portal',
    'AT_RISK',
    'GOOD',
    'all',
    'deal',
    'companies',
    'contacts',
    'deals',
    'tickets',
    '2-999',
    '9001',
    '9999',
    ...junkNames,
    ...brokenEncodings,
  ),
  cursorValue.map(encodeURIComponent),
  fc.string({ maxLength: 60 }).map(encodeURIComponent),
  fc.integer().map(String),
  fc.double().map(String),
  fc.string({ minLength: 200, maxLength: 2_000 }).map(encodeURIComponent),
);
const queryKey = fc.oneof(
  fc.constantFrom(
    'limit',
    'after',
    'objectType',
    'objectId',
    'category',
    'scope',
    'profileId',
    'associations',
    'asUserId',
    'userEmail',
    'appId',
    'portalId',
    ...junkNames,
  ),
  fc.stringMatching(/^[A-Za-z_[\]]{1,12}$/),
);
const query = fc.array(fc.tuple(queryKey, queryValue), { maxLength: 6 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

const criterion = fc.record(
  {
    id: fc.oneof(fc.constant('c'), fc.string({ maxLength: 80 })),
    label: fc.oneof(fc.constant('C'), fc.string({ maxLength: 300 })),
    kind: fc.constantFrom('daysSince', 'renewal', 'nps', 'sentiment', 'engagements', 'deals', 'tickets', 'bogus', '__proto__'),
    property: fc.oneof(fc.constantFrom('notes_last_updated', 'hs_lastmodifieddate', '__proto__'), fc.string({ maxLength: 120 })),
    bands: fc.array(
      fc.record({ min: fc.double(), max: fc.double(), points: fc.oneof(fc.double(), fc.integer()) }, { requiredKeys: ['points'] }),
      { maxLength: 4 },
    ),
  },
  { requiredKeys: [] },
);
const profileLike = fc.record(
  {
    name: fc.oneof(
      fc.constant('P'),
      fc.string({ maxLength: 200 }),
      fc.nat({ max: 20_000 }).map((n) => 'n'.repeat(n)),
    ),
    objectType: fc.oneof(fc.constantFrom('companies', 'contacts', '2-999', 'p_widgets', ...junkNames), fc.string({ maxLength: 20 })),
    groups: fc.array(
      fc.record(
        {
          id: fc.string({ maxLength: 10 }),
          label: fc.string({ maxLength: 10 }),
          maxPoints: fc.oneof(fc.constant(100), fc.double()),
          criteria: fc.array(criterion, { maxLength: 3 }),
        },
        { requiredKeys: [] },
      ),
      { maxLength: 3 },
    ),
    thresholds: fc.record({ atRiskBelow: fc.double(), goodFrom: fc.double() }, { requiredKeys: [] }),
    segment: fc.oneof(fc.constant(null), fc.jsonValue({ maxDepth: 3 })),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc
    .record(
      { profile: fc.oneof(profileLike, fc.jsonValue({ maxDepth: 3 })), expectedVersion: fc.oneof(fc.integer(), fc.double(), fc.string()) },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  fc
    .dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 400 })
    .map((v) => JSON.stringify({ answer: 'YES_CONTINUE', ...v })),
  fc.record({ answer: fc.oneof(fc.constantFrom('YES_CONTINUE', 'NOT_REALLY', '__proto__'), fc.string()) }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.nat({ max: 120_000 }).map((n) => JSON.stringify({ profile: { name: 'x'.repeat(n) } })),
);
const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
);
// Mostly plain bodies: a refused encoding (415) is checked first and would hide the rest.
const contentEncoding = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 12 },
  { arbitrary: fc.constantFrom('identity', 'gzip', 'deflate', 'br', 'foo', 'gzip, gzip'), weight: 1 },
);

const malformed = fc.record({
  params: fc.dictionary(fc.constantFrom('objectType', 'objectId', 'id'), paramValue),
  query,
  body: fc.oneof({ arbitrary: fc.constant(undefined), weight: 1 }, { arbitrary: body, weight: 3 }),
  contentType,
  contentEncoding,
  userId: fc.constantFrom(REP, MANAGER),
  portalId: fc.constantFrom(PORTAL, PORTAL, OTHER_PORTAL),
});

type Forgery =
  | { kind: 'wrong-secret'; secret: string }
  | { kind: 'random-signature'; signature: string }
  | { kind: 'tampered-query'; edit: 'portal' | 'user' | 'as-user' | 'drop-identity' | 'append' }
  | { kind: 'tampered-body'; body: string }
  | { kind: 'stale' | 'future'; skewMs: number }
  | { kind: 'missing'; header: 'signature' | 'timestamp' | 'both' }
  | { kind: 'bad-timestamp'; timestamp: string }
  | { kind: 'other-path' | 'other-method' | 'other-base-url' | 'v1-style' | 'flipped-case' | 'truncated' };

const forgery: fc.Arbitrary<Forgery> = fc.oneof(
  fc.record({
    kind: fc.constant('wrong-secret' as const),
    secret: fc.oneof(fc.constantFrom('', 'test-secret ', 'Test-secret', 'test-secre'), printable(30)),
  }),
  fc.record({ kind: fc.constant('random-signature' as const), signature: fc.oneof(fc.base64String({ maxLength: 60 }), printable(60)) }),
  fc.record({
    kind: fc.constant('tampered-query' as const),
    edit: fc.constantFrom('portal', 'user', 'as-user', 'drop-identity', 'append'),
  }),
  fc.record({ kind: fc.constant('tampered-body' as const), body: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? 'null') }),
  fc.record({
    kind: fc.constantFrom('stale' as const, 'future' as const),
    skewMs: fc.integer({ min: 5 * 60_000 + 1_000, max: 10 * 365 * 86_400_000 }),
  }),
  fc.record({ kind: fc.constant('missing' as const), header: fc.constantFrom('signature', 'timestamp', 'both') }),
  fc.record({
    kind: fc.constant('bad-timestamp' as const),
    timestamp: fc.oneof(fc.constantFrom('', '-1', '1e12', '0x1', 'NaN', '99999999999999999'), printable(20)),
  }),
  fc.record({
    kind: fc.constantFrom(
      'other-path' as const,
      'other-method' as const,
      'other-base-url' as const,
      'v1-style' as const,
      'flipped-case' as const,
      'truncated' as const,
    ),
  }),
);

// ---- the properties --------------------------------------------------------------------------

function record(res: RawResponse, forged: boolean): void {
  tally.byStatus.set(res.status, (tally.byStatus.get(res.status) ?? 0) + 1);
  if (forged) {
    tally.forged += 1;
    if (res.status !== 401) tally.forgedAccepted += 1;
  } else {
    tally.malformed += 1;
    if (res.status >= 500) tally.malformed5xx += 1;
  }
}

async function sendForged(route: RouteEntry, f: Forgery): Promise<RawResponse> {
  const now = Date.now();
  let target = validTarget(route);
  const payload = ['POST', 'PUT', 'PATCH'].includes(route.method) ? '{"answer":"YES_CONTINUE"}' : '';
  let sent = payload;
  let headers = signedHeaders(route.method, target, payload, now);
  let method = route.method;
  switch (f.kind) {
    case 'wrong-secret':
      headers = signedHeaders(route.method, target, payload, now, f.secret);
      break;
    case 'random-signature':
      headers['X-HubSpot-Signature-v3'] = f.signature;
      break;
    case 'tampered-query':
      target = {
        portal: target.replace(`portalId=${PORTAL}`, `portalId=${OTHER_PORTAL}`),
        user: target.replace(`userId=${REP}`, `userId=${MANAGER}`),
        'as-user': `${target}&asUserId=${MANAGER}`,
        'drop-identity': target.split('?')[0]!,
        append: `${target}&x=1`,
      }[f.edit];
      break;
    case 'tampered-body':
      if (f.body === payload) return sendForged(route, { kind: 'tampered-body', body: `${f.body} ` });
      sent = f.body;
      break;
    case 'stale':
    case 'future':
      headers = signedHeaders(route.method, target, payload, f.kind === 'stale' ? now - f.skewMs : now + f.skewMs);
      break;
    case 'missing':
      if (f.header !== 'timestamp') delete headers['X-HubSpot-Signature-v3'];
      if (f.header !== 'signature') delete headers['X-HubSpot-Request-Timestamp'];
      break;
    case 'bad-timestamp':
      headers['X-HubSpot-Request-Timestamp'] = f.timestamp;
      break;
    case 'other-path':
      headers = signedHeaders(route.method, `/api/v1/me?portalId=${PORTAL}&userId=${REP}`, payload, now);
      if (route.path === '/api/v1/me' && route.method === 'GET')
        headers = signedHeaders('GET', '/api/v1/users' + target.slice('/api/v1/me'.length), payload, now);
      break;
    case 'other-method':
      method = route.method === 'GET' ? 'DELETE' : 'GET';
      break;
    case 'other-base-url':
      headers['X-HubSpot-Signature-v3'] = signedHeaders(route.method, `//evil.example${target}`, payload, now)['X-HubSpot-Signature-v3']!;
      break;
    case 'v1-style':
      headers = { 'X-HubSpot-Signature': headers['X-HubSpot-Signature-v3']!, 'X-HubSpot-Signature-Version': 'v1' };
      break;
    case 'flipped-case': {
      const sig = headers['X-HubSpot-Signature-v3']!;
      const flipped = sig.replace(/[a-z]/, (c) => c.toUpperCase());
      headers['X-HubSpot-Signature-v3'] = flipped === sig ? `${sig}A` : flipped;
      break;
    }
    case 'truncated':
      headers['X-HubSpot-Signature-v3'] = headers['X-HubSpot-Signature-v3']!.slice(0, -2);
      break;
  }
  return server.send({ method, target, body: sent, headers, sign: false });
}

describe('every route of the route table', () => {
  it('lists the routes we expect, and more as they land', () => {
    const listed = routes.map((r) => `${r.method} ${r.path}`);
    for (const known of [
      'GET /api/v1/me',
      'GET /api/v1/tasks/buckets',
      'GET /api/v1/health/customers',
      'POST /api/v1/guided-actions/:id/feedback',
      'PUT /api/v1/health/profiles/:id',
    ]) {
      expect(listed).toContain(known);
    }
  });

  it(
    'accepts no forged or tampered signature (401 with the JSON error body)',
    async () => {
      const runs = Math.ceil(FORGED_TOTAL / routes.length);
      for (const route of routes) {
        await fc.assert(
          fc.asyncProperty(forgery, async (f) => {
            const res = await sendForged(route, f);
            record(res, true);
            return res.status === 401 && isJsonError(res);
          }),
          { numRuns: runs, seed: SEED, endOnFailure: true },
        );
      }
      expect(tally.forgedAccepted).toBe(0);
    },
    LONG ? 600_000 : 60_000,
  );

  it(
    'answers malformed input under a valid signature with a 4xx JSON error, never a 5xx',
    async () => {
      const runs = Math.ceil(MALFORMED_TOTAL / routes.length);
      for (const route of routes) {
        await fc.assert(
          fc.asyncProperty(malformed, async (m) => {
            const path = fillPath(route.path, (name) => m.params[name] ?? VALID_PARAM[name] ?? '1');
            const target = `${path}?portalId=${m.portalId}&userId=${m.userId}${m.query ? `&${m.query}` : ''}`;
            const headers: Record<string, string> = {};
            if (m.contentType) headers['Content-Type'] = m.contentType;
            if (m.contentEncoding) headers['Content-Encoding'] = m.contentEncoding;
            const res = await server.send({ method: route.method, target, body: m.body, headers });
            record(res, false);
            if (res.status >= 500) return false;
            if (res.status >= 400) return isJsonError(res);
            return res.status === 204 || /application\/json/.test(String(res.headers['content-type']));
          }),
          { numRuns: runs, seed: SEED, endOnFailure: true },
        );
      }
      expect(tally.malformed5xx).toBe(0);
    },
    LONG ? 900_000 : 60_000,
  );
});
