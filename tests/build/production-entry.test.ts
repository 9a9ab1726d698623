// The production entry (src/backend/main.ts, as `npm run build` bundles it) contains no sandbox
// code, and two instances of it on one Redis share a portal's HubSpot limits (issue #10 item 1).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_MARKER, startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { buildBackend } from '../../scripts/build-backend.mjs';
import { TEST_DATABASE_URL } from '../../src/backend/storage/testing';
import { proxiedRequest } from '../helpers/hubspot-proxy';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'two-instances-secret';
const PUBLIC = 'https://tiller.example';

describe('the production bundle', () => {
  let out: string;
  beforeAll(() => {
    mkdirSync('dist', { recursive: true });
    out = mkdtempSync(path.resolve('dist/test-entry-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('holds no sandbox code: neither the sandbox package nor its server marker', async () => {
    const file = await buildBackend('src/backend/main.ts', out);
    const bundle = readFileSync(file, 'utf8');
    expect(bundle).not.toContain(SANDBOX_MARKER);
    expect(bundle).not.toContain('@tiller/hubspot-sandbox');
  });

  it('the check can fail: the dev entry, which starts the sandbox, is caught by it', async () => {
    const file = await buildBackend('src/backend/dev.ts', out);
    expect(readFileSync(file, 'utf8')).toContain('@tiller/hubspot-sandbox');
  });
});

describe('two production instances on one Redis', () => {
  let sandbox: Sandbox;
  let redis: Redis;
  let out: string;
  const prefix = `tiller-test-${process.pid}-${randomBytes(3).toString('hex')}`;
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const children: ChildProcess[] = [];
  const ports: number[] = [];

  beforeAll(async () => {
    mkdirSync('dist', { recursive: true });
    out = mkdtempSync(path.resolve('dist/test-instances-'));
    const file = await buildBackend('src/backend/main.ts', out);
    sandbox = await startSandbox({ port: 0 });
    redis = new Redis(REDIS_URL);
    const portal = sandbox.portals[0]!;
    const env = {
      PATH: process.env.PATH,
      HUBSPOT_MODE: 'hubspot',
      HUBSPOT_CLIENT_SECRET: SECRET,
      HUBSPOT_API_BASE: sandbox.url,
      HUBSPOT_ACCESS_TOKEN: portal.accessToken,
      HUBSPOT_PORTAL_ID: String(portal.id),
      PUBLIC_BASE_URL: PUBLIC,
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      PORT: '0',
      LOG_LEVEL: 'info',
      HEALTH_RUN_INTERVAL_MINUTES: '100000',
    };
    // one after the other: both migrate the same schema (the second finds it done)
    // The portal copy's first load (one instance does it) searches too: measure after it.
    let firstLoadDone: () => void = () => {};
    const loaded = new Promise<void>((resolve) => (firstLoadDone = resolve));
    for (let i = 0; i < 2; i++) {
      const child = spawn(process.execPath, [file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      child.stdout?.on('data', (d: Buffer) => {
        if (/copy: first load finished/.test(d.toString())) firstLoadDone();
      });
      ports.push(await readyPort(child));
    }
    await loaded;
  }, 90_000);

  afterAll(async () => {
    for (const c of children) c.kill('SIGTERM');
    // Guided actions called cold leave background completions (60 s budget each) ahead of the
    // health run in the limiter's background queue, and a stopping instance waits for its health
    // run: past 15 s the instance is killed (shutdown under that load is not what this test is about).
    await Promise.all(children.map((c) => new Promise((r) => {
      if (c.exitCode !== null) return r(null);
      const kill = setTimeout(() => c.kill('SIGKILL'), 15_000);
      c.once('exit', () => { clearTimeout(kill); r(null); });
    })));
    const keys = await redis.keys(`*${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await sandbox?.close();
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
    rmSync(out, { recursive: true, force: true });
  });

  it("keeps one portal's searches within HubSpot's 5 per second across both, with no 429", async () => {
    const portal = sandbox.portals[0]!;
    sandbox.control.resetStats();
    // every user's guided actions, cold, on both instances at once: each instance searches for itself
    // (task buckets answer from the portal copy now, without searching)
    const calls = portal.users.flatMap((u) =>
      ports.map((port) => {
        const r = proxiedRequest(PUBLIC, SECRET, { path: '/api/v1/guided-actions', portalId: portal.id, userId: Number(u.id) });
        return fetch(`http://127.0.0.1:${port}${r.pathAndQuery}`, { headers: r.headers }).then(async (res) => ({ status: res.status, body: await res.text() }));
      }),
    );
    const answers = await Promise.all(calls);
    for (const a of answers) expect(a.status, a.body.slice(0, 200)).toBe(200);
    const stats = sandbox.control.stats();
    expect(stats.searches).toBeGreaterThan(10); // more than one second's worth for one instance
    expect(stats.peak1sSearch).toBeLessThanOrEqual(5);
    expect(stats.rateLimited).toBe(0);
    expect((await redis.keys(`*${prefix}:limit:*`)).length).toBeGreaterThan(0);
  }, 60_000);
});

function readyPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let log = '';
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const m = /"port":(\d+)[^\n]*Tiller is ready/.exec(log);
      if (m) resolve(Number(m[1]));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
    child.once('exit', (code) => reject(new Error(`instance exited with ${code}: ${log.slice(-2000)}`)));
  });
}
