// Issue #14: each case an outside probe found, as a request an attacker or a careless client would
// send. Every answer is our JSON error body with a 4xx, never a 500 or Node's bare page.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { invalidInput } from '../../src/backend/app-error';
import { CrmError } from '../../src/backend/crm/errors';
import type { PortalCrm } from '../../src/backend/crm/gateway';
import { createDatabase, type Database } from '../../src/backend/storage';
import { truncateAll } from '../../src/backend/storage/testing';
import { listen, type RawRequest, type RawServer } from '../helpers/raw-client';
import { stubCrm } from '../helpers/stub-crm';
import { testApp } from '../helpers/test-app';

const PORTAL = 123;
const REP = 9001;
const MANAGER = 9999;
const ID = `portalId=${PORTAL}&userId=${MANAGER}`;

let db: Database;
beforeAll(async () => {
  db = await createDatabase({});
});
afterAll(async () => {
  await db.close();
});
beforeEach(async () => {
  await truncateAll(db);
});

async function withApp<T>(crm: Partial<PortalCrm>, run: (s: RawServer) => Promise<T>): Promise<T> {
  const server = await listen(testApp({ crm: stubCrm(crm), db, installed: [PORTAL], managers: [MANAGER] }));
  try {
    return await run(server);
  } finally {
    await server.close();
  }
}
const call = (r: RawRequest) => withApp({}, (s) => s.send(r));

function expectJsonError(res: { status: number; headers: Record<string, unknown>; json: unknown }, status: number) {
  expect(res.status).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/application\/json/);
  expect(res.json).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
}

const cursor = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');

describe('broken percent-encoding in a path parameter', () => {
  it.each(['%', '%ZZ', '%E0%A4%A', '%C0%AF'])('%s is a JSON 400 on every route with a path parameter', async (bad) => {
    await withApp({}, async (s) => {
      for (const [method, path] of [
        ['GET', `/api/v1/health/records/companies/${bad}`],
        ['GET', `/api/v1/health/profiles/${bad}`],
        ['DELETE', `/api/v1/health/profiles/${bad}`],
        ['GET', `/api/v1/health/runs/${bad}`],
        ['POST', `/api/v1/guided-actions/${bad}/feedback`],
      ] as const) {
        const res = await s.send({ method, target: `${path}?${ID}` });
        expectJsonError(res, 400);
      }
    });
  });
});

describe('Content-Encoding', () => {
  it.each(['foo', 'gzip', 'deflate, br'])('%s: unsigned is a 401, signed a 415, both JSON', async (encoding) => {
    const body = '{"answer":"YES_CONTINUE"}';
    const target = `/api/v1/guided-actions/ga_1/feedback?${ID}`;
    expectJsonError(await call({ method: 'POST', target, body, headers: { 'Content-Encoding': encoding }, sign: false }), 401);
    expectJsonError(await call({ method: 'POST', target, body, headers: { 'Content-Encoding': encoding } }), 415);
  });

  it('never inflates a body: a signed gzip bomb is refused as 415 without decompressing it', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024)); // 50 MB of zeros in ~50 KB
    expect(bomb.length).toBeLessThan(64 * 1024);
    const res = await call({
      method: 'POST',
      target: `/api/v1/health/profiles?${ID}`,
      body: bomb,
      headers: { 'Content-Encoding': 'gzip' },
    });
    expectJsonError(res, 415);
  });
});

describe('bodies capped by route, read only as far as the signature needs', () => {
  it('refuses a body over the route limit with 413 before reading it, signed or not', async () => {
    const body = JSON.stringify({ answer: 'YES_CONTINUE', pad: 'x'.repeat(10_000) });
    const target = `/api/v1/guided-actions/ga_1/feedback?${ID}`;
    expectJsonError(await call({ method: 'POST', target, body }), 413);
    expectJsonError(await call({ method: 'POST', target, body, sign: false }), 413);
  });

  it('a signed body nested 30,000 levels deep is a 400, not a stack overflow', async () => {
    const res = await call({
      method: 'POST',
      target: `/api/v1/health/profiles?${ID}`,
      body: `{"profile":${'['.repeat(30_000)}${']'.repeat(30_000)}}`,
    });
    expectJsonError(res, 400);
  });

  it('does not parse a body before the signature verifies: bad JSON unsigned is a 401', async () => {
    const res = await call({ method: 'POST', target: `/api/v1/health/profiles?${ID}`, body: '{not json', sign: false });
    expectJsonError(res, 401);
  });
});

describe('paging cursors are checked before they reach the database', () => {
  it.each([
    ['a fractional score', cursor([1.5, '1'])],
    ['a huge score', cursor([1e308, '1'])],
    ['a score beyond smallint', cursor([40000, '1'])],
    ['a NUL in the record id', cursor([10, 'a\u0000b'])],
    ['a wrong shape', cursor({ score: 1 })],
    ['not base64 JSON', '!!!'],
    ['an oversized cursor', 'A'.repeat(5000)],
  ])('customers: %s is a 400', async (_name, after) => {
    const res = await call({ target: `/api/v1/health/customers?${ID}&after=${encodeURIComponent(after)}` });
    expectJsonError(res, 400);
  });

  it.each([
    ['a date beyond year 275760', cursor(['+275761-01-01T00:00:00.000Z', 'a'])],
    ['a date before PostgreSQL’s range', cursor(['-271821-04-20T00:00:00.000Z', 'a'])],
    ['year 0001', cursor(['0001-01-01T00:00:00.000Z', 'a'])],
    ['an impossible date', cursor(['2026-13-45T00:00:00.000Z', 'a'])],
    ['a NUL in the id', cursor(['2026-01-01T00:00:00.000Z', 'a\u0000'])],
    ['a number for the date', cursor([8.64e15 + 1, 'a'])],
  ])('alerts: %s is a 400', async (_name, after) => {
    const res = await call({ target: `/api/v1/health/alerts?${ID}&after=${encodeURIComponent(after)}` });
    expectJsonError(res, 400);
  });

  it('a NUL in a profile id is a 400, not a database error', async () => {
    expectJsonError(await call({ target: `/api/v1/health/summary?${ID}&profileId=a%00b` }), 400);
    expectJsonError(await call({ target: `/api/v1/health/customers?${ID}&profileId=a%00b` }), 400);
  });
});

describe('object types', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'tasks/buckets?objectType=%s is a 400 and never reaches HubSpot',
    async (objectType) => {
      let searched = 0;
      const res = await withApp(
        {
          search: async () => {
            searched++;
            throw new CrmError('bad-request', 'junk filter', 400);
          },
        },
        (s) => s.send({ target: `/api/v1/tasks/buckets?${ID}&objectType=${objectType}&objectId=1` }),
      );
      expectJsonError(res, 400);
      expect(searched).toBe(0);
    },
  );

  it('a health profile for a custom object type the portal does not have is a clear 400, not a retryable 502', async () => {
    const crm: Partial<PortalCrm> = {
      properties: async (objectType) => {
        if (objectType === 'companies') return [];
        throw new CrmError('bad-request', `Unable to infer object type from: ${objectType}`, 400);
      },
    };
    const profile = {
      name: 'Widgets',
      objectType: '2-999',
      groups: [
        {
          id: 'g',
          label: 'G',
          maxPoints: 100,
          criteria: [{ id: 'c', label: 'C', kind: 'daysSince', property: 'hs_lastmodifieddate', bands: [{ points: 10 }] }],
        },
      ],
    };
    await withApp(crm, async (s) => {
      for (const [method, target] of [
        ['POST', '/api/v1/health/profiles'],
        ['POST', '/api/v1/health/profiles/new/preview'],
      ] as const) {
        const res = await s.send({ method, target: `${target}?${ID}`, body: JSON.stringify({ profile }) });
        expectJsonError(res, 400);
        expect(res.json).toMatchObject({ error: { details: [{ field: 'profile.objectType' }] } });
      }
    });
  });
});

describe('sizes of what we store and echo', () => {
  it('a profile name of 10,000 characters is refused (and one of 100,000 never read)', async () => {
    const profile = (name: string) =>
      JSON.stringify({
        profile: {
          name,
          groups: [
            {
              id: 'g',
              label: 'G',
              maxPoints: 100,
              criteria: [{ id: 'c', label: 'C', kind: 'daysSince', property: 'notes_last_updated', bands: [{ points: 10 }] }],
            },
          ],
        },
      });
    const target = `/api/v1/health/profiles?${ID}`;
    const long = await call({ method: 'POST', target, body: profile('n'.repeat(10_000)) });
    expectJsonError(long, 400);
    expect(long.json).toMatchObject({ error: { details: [{ field: 'profile.name' }] } });
    expectJsonError(await call({ method: 'POST', target, body: profile('n'.repeat(100_000)) }), 413);
    expect((await call({ method: 'POST', target, body: profile('Enterprise customers') })).status).toBe(201);
  });

  it('unknown keys are not echoed back one by one', async () => {
    const body: Record<string, unknown> = { answer: 'YES_CONTINUE' };
    for (let i = 0; i < 280; i += 1) body[`k${String(i).padStart(7, '0')}`] = 1;
    const res = await call({ method: 'POST', target: `/api/v1/guided-actions/ga_1/feedback?${ID}`, body: JSON.stringify(body) });
    expectJsonError(res, 400);
    expect(res.text.length).toBeLessThan(1500);
  });

  it('error details are bounded whatever the number of issues', () => {
    const issues = Array.from({ length: 50_000 }, (_, i) => ({ path: [`key${i}`.repeat(50)], message: 'x'.repeat(1000) }));
    const body = JSON.stringify(invalidInput('body', issues).toBody());
    expect(body.length).toBeLessThan(8_000);
  });

  it('a URL over 8 KB is a JSON 414, and one past Node’s header limit a JSON 431 (not Node’s bare page)', async () => {
    await withApp({}, async (s) => {
      const long = await s.send({ target: `/api/v1/tasks/buckets?${ID}&pad=${'a'.repeat(17 * 1024)}` });
      expectJsonError(long, 414);
      const huge = await s.send({ target: `/api/v1/tasks/buckets?${ID}&pad=${'a'.repeat(200 * 1024)}`, sign: false });
      expectJsonError(huge, 431);
    });
  });
});

describe('requests Node itself cannot parse', () => {
  it('a broken request line is answered with the JSON error body, not a bare 400', async () => {
    const { connect } = await import('node:net');
    await withApp({}, async (s) => {
      const port = Number(new URL(s.url).port);
      const text = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.write('GET /api/v1/me HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n'));
        let out = '';
        socket.on('data', (c) => (out += c.toString()));
        socket.on('end', () => resolve(out));
        socket.on('error', reject);
      });
      expect(text).toMatch(/^HTTP\/1\.1 400/);
      expect(text).toMatch(/content-type: application\/json/i);
      expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    });
  });
});

describe('the default health profile is never stored without what HubSpot failed to tell', () => {
  it('a HubSpot fault while detecting tickets fails the request and stores nothing; the next request builds it whole', async () => {
    let failTickets = true;
    const crm: Partial<PortalCrm> = {
      search: async (objectType) => {
        if (objectType === 'tickets' && failTickets) throw new CrmError('server', 'HubSpot 503', 503);
        return { total: 3, after: null, results: [] };
      },
    };
    await withApp(crm, async (s) => {
      const target = `/api/v1/health/profiles/default?portalId=${PORTAL}&userId=${REP}`;
      const failed = await s.send({ target });
      expectJsonError(failed, 502);
      failTickets = false;
      const built = await s.send({ target });
      expect(built.status).toBe(200);
      const groups = (built.json as { profile: { groups: { id: string }[] } }).profile.groups.map((g) => g.id);
      expect(groups).toEqual(expect.arrayContaining(['engagement', 'support', 'deals']));
    });
  });

  it('a portal without the tickets scope (403) is read as "no tickets"', async () => {
    const crm: Partial<PortalCrm> = {
      search: async (objectType) => {
        if (objectType === 'tickets') throw new CrmError('forbidden', 'missing scope', 403);
        return { total: 3, after: null, results: [] };
      },
    };
    const res = await withApp(crm, (s) => s.send({ target: `/api/v1/health/profiles/default?portalId=${PORTAL}&userId=${REP}` }));
    expect(res.status).toBe(200);
    expect((res.json as { profile: { groups: { id: string }[] } }).profile.groups.map((g) => g.id)).not.toContain('support');
  });
});
