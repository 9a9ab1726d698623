// Issue #14: kill -9 during the health run and during a write, then restart: nothing missing,
// nothing doubled. A real child process on PostgreSQL (a throw-away schema), killed with SIGKILL
// at random moments, against the sandbox running in this process.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoPortal } from '@tiller/hubspot-sandbox/generator';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import type { Database } from '../../src/backend/storage';
import { createPostgresTestDatabase, testDatabases, uniqueSchemaName } from '../../src/backend/storage/testing';
import { signedHeaders } from '../helpers/raw-client';
import { createCrmGateway } from '../../src/backend/crm/gateway';
import { loadHealthCopy } from '../helpers/copy';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const postgres = (await testDatabases()).find((f) => f.kind === 'postgres')!;
const PORTAL = 72_001;

let sb: Sandbox;
let db: Database;
let schema: string;
let manager: number;
let token: string;

beforeAll(async () => {
  if (postgres.unavailable) return;
  const demo = generateDemoPortal({ seed: 21, size: 'small', now: new Date(), portalId: PORTAL });
  sb = await startSandbox({ port: 0, fixtures: [demo.fixture] });
  const p = sb.portals[0]!;
  token = p.accessToken;
  manager = Number(p.users.find((u) => u.superAdmin)!.id);
  schema = uniqueSchemaName();
  db = await createPostgresTestDatabase(schema);
  // Health runs read the portal copy: loaded once, before any child starts.
  const crm = createCrmGateway({ basePath: sb.url, tokens: { accessToken: async () => token } });
  await loadHealthCopy({ db, crm, portalId: PORTAL });
  await crm.close();
}, 180_000);

afterAll(async () => {
  await db?.close();
  await sb?.close();
});

type Child = { proc: ChildProcess; lines: string[]; waitFor(re: RegExp): Promise<RegExpExecArray>; exited: Promise<number | null> };

function start(mode: 'run' | 'serve'): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: { ...process.env, CRASH_CHILD: JSON.stringify({ mode, sandboxUrl: sb.url, portalId: PORTAL, token, schema, manager }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  let buffer = '';
  proc.stdout!.on('data', (c: Buffer) => {
    buffer += c.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of [...waiters]) {
        const m = w.re.exec(line);
        if (m) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    proc,
    lines,
    exited,
    waitFor: (re) => {
      const seen = lines.map((l) => re.exec(l)).find(Boolean);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ re, resolve });
        void exited.then(() => reject(new Error(`child exited before ${re}; output: ${lines.join(' | ')}`)));
      });
    },
  };
}

async function kill9(c: Child): Promise<void> {
  c.proc.kill('SIGKILL');
  await c.exited;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(postgres.unavailable !== undefined)('kill -9, then restart (PostgreSQL)', () => {
  it('during the health run: the resumed run scores every company once, in one run, with no doubled alert', async () => {
    let kills = 0;
    for (const delayMs of [0, 37, 90]) {
      const c = start('run');
      await c.waitFor(/^BATCH \d+/);
      await sleep(delayMs); // somewhere in the next batch: reading, scoring or inside its transaction
      await kill9(c);
      expect(
        c.lines.some((l) => l.startsWith('DONE')),
        'the run was still going when killed',
      ).toBe(false);
      kills += 1;
    }
    const last = start('run');
    await last.waitFor(/^DONE/);
    await last.exited;
    expect(kills).toBe(3);

    const runs = await db.query<{ id: string; status: string; total: number; scored: number; attempts: number }>(
      'select id, status, total, scored, attempts from health_runs where portal_id = $1',
      [PORTAL],
    );
    expect(runs).toHaveLength(1); // resumed, never started over as a second run
    const run = runs[0]!;
    expect(run).toMatchObject({ status: 'done' });
    expect(run.total).toBeGreaterThan(100);
    expect(run.scored).toBe(run.total);
    const [snap] = await db.query<{ n: string; d: string }>(
      'select count(*) as n, count(distinct (profile_id, object_type, object_id)) as d from health_snapshots where portal_id = $1 and run_id = $2',
      [PORTAL, run.id],
    );
    expect(Number(snap!.n)).toBe(run.total); // nothing missing
    expect(Number(snap!.d)).toBe(run.total); // nothing doubled
    const [state] = await db.query<{ n: string }>('select count(*) as n from health_record_state where portal_id = $1', [PORTAL]);
    expect(Number(state!.n)).toBe(run.total);
    const [alerts] = await db.query<{ n: string; d: string }>(
      'select count(*) as n, count(distinct (profile_id, object_type, object_id, run_id)) as d from health_alerts where portal_id = $1',
      [PORTAL],
    );
    expect(Number(alerts!.n)).toBe(Number(alerts!.d));
  }, 240_000);

  it('during profile writes: every acknowledged version is there, the one in flight at most once, no version doubled', async () => {
    let server = start('serve');
    let port = Number((await server.waitFor(/^READY (\d+)/))[1]);
    const send = async (method: string, path: string, body?: unknown) => {
      const target = `${path}?portalId=${PORTAL}&userId=${manager}`;
      const raw = body === undefined ? '' : JSON.stringify(body);
      const res = await fetch(`http://127.0.0.1:${port}${target}`, {
        method,
        body: raw || undefined,
        headers: { ...signedHeaders(method, target, raw, Date.now()), ...(raw ? { 'Content-Type': 'application/json' } : {}) },
      });
      return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, unknown> | null };
    };
    const profile = (name: string) => ({
      name,
      groups: [
        {
          id: 'g',
          label: 'G',
          maxPoints: 100,
          criteria: [{ id: 'c', label: 'C', kind: 'daysSince', property: 'notes_last_updated', bands: [{ points: 10 }] }],
        },
      ],
    });
    const created = await send('POST', '/api/v1/health/profiles', { profile: profile('v1') });
    expect(created.status).toBe(201);
    const id = (created.json!.profile as { id: string }).id;
    let acked = 1;
    for (const delayMs of [0, 3, 8, 15]) {
      for (let i = 0; i < 3; i += 1) {
        const res = await send('PUT', `/api/v1/health/profiles/${id}`, { profile: profile(`v${acked + 1}`), expectedVersion: acked });
        expect(res.status).toBe(200);
        acked += 1;
      }
      // One more write in flight, and the process dies under it.
      const inFlight = send('PUT', `/api/v1/health/profiles/${id}`, { profile: profile(`v${acked + 1}`), expectedVersion: acked }).catch(
        () => null,
      );
      await sleep(delayMs);
      await kill9(server);
      await inFlight;
      server = start('serve');
      port = Number((await server.waitFor(/^READY (\d+)/))[1]);
      const now = await send('GET', `/api/v1/health/profiles/${id}`);
      expect(now.status).toBe(200);
      const version = (now.json!.profile as { version: number }).version;
      expect([acked, acked + 1]).toContain(version); // acknowledged ones all there; the lost one at most once
      expect((now.json!.profile as { name: string }).name).toBe(`v${version}`);
      acked = version;
    }
    await kill9(server);
    const versions = await db.query<{ version: number }>(
      'select version from health_profile_versions where portal_id = $1 and id = $2 order by version',
      [PORTAL, id],
    );
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: acked }, (_, i) => i + 1)); // contiguous, none twice
  }, 240_000);
});
