// server.ts as both entries start it: readiness (after the guided-actions warm-up), metrics behind a
// token, graceful shutdown.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { proxiedRequest } from '../../tests/helpers/hubspot-proxy';
import { loadConfig } from './config';
import { startServer, type RunningServer } from './server';
import { TEST_DATABASE_URL } from './storage/testing';

const SECRET = 'server-test-secret';
const PUBLIC = 'https://tiller.example';
const METRICS_TOKEN = 'metrics-token-0123456789';
// What the server logs, in order, with when startServer resolved (the port is listening from then).
const logged: string[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push((JSON.parse(line) as { msg: string }).msg) });

describe('the server', () => {
  let sandbox: Sandbox;
  const schema = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  let server: RunningServer;
  let base: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, latencyMs: 300 });
    const portal = sandbox.portals[0]!;
    const config = loadConfig({
      HUBSPOT_MODE: 'hubspot',
      HUBSPOT_CLIENT_SECRET: SECRET,
      PUBLIC_BASE_URL: PUBLIC,
      PORT: '0',
      HUBSPOT_ACCESS_TOKEN: portal.accessToken,
      HUBSPOT_PORTAL_ID: String(portal.id),
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      METRICS_TOKEN,
      HEALTH_RUN_INTERVAL_MINUTES: '100000',
      SHUTDOWN_GRACE_MS: '10000',
      TILLER_WARM_UP: '1',
    });
    server = await startServer(
      config,
      { basePath: sandbox.url, authorizeUrl: `${sandbox.url}/oauth/authorize`, staticTokens: new Map([[portal.id, portal.accessToken]]) },
      logger,
    );
    logged.push('(startServer resolved: listening)');
    base = `http://127.0.0.1:${server.port}`;
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await sandbox?.close();
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  });

  it('listens only once guided actions are warmed up (a fresh process compiles on its first request otherwise)', () => {
    const listening = logged.indexOf('(startServer resolved: listening)');
    const warmed = logged.indexOf('guided actions warmed up');
    expect(warmed).toBeGreaterThan(-1);
    expect(warmed).toBeLessThan(listening);
    // and the data plan's JavaScript, on the same synthetic book (an in-memory stand-in of the copy)
    const plan = logged.indexOf("guided actions' data plan warmed up");
    expect(plan).toBeGreaterThan(warmed);
    expect(plan).toBeLessThan(listening);
  });

  it('is ready when the database answers and every migration is applied', async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', jobs: 'ok' } });
  });

  it('serves metrics only with the token, and counts HubSpot calls by kind and outcome, requests by route and job durations', async () => {
    const portal = sandbox.portals[0]!;
    const r = proxiedRequest(PUBLIC, SECRET, { path: '/api/v1/tasks/buckets', portalId: portal.id, userId: Number(portal.users[0]!.id) });
    expect((await fetch(`${base}${r.pathAndQuery}`, { headers: r.headers })).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    expect((await fetch(`${base}/metrics`, { headers: { Authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(404);
    const res = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/tiller_http_request_seconds_count\{method="GET",route="\/api\/v1\/tasks\/buckets",status="200"\} 1/);
    expect(text).toContain('tiller_gateway_cache_bytes');
    // the health run started with the server shows once it is over
    let jobs = '';
    // (runs wait for the portal copy's first load: at 300 ms a call, most of a minute)
    for (let i = 0; i < 300 && !/tiller_job_seconds_count\{job="health-run",outcome="ok"\} 1/.test(jobs); i++) {
      await new Promise((r) => setTimeout(r, 500));
      jobs = await (await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    }
    expect(jobs).toMatch(/tiller_job_seconds_count\{job="health-run",outcome="ok"\} 1/);
    expect(jobs).toMatch(/tiller_hubspot_calls_total\{kind="[a-z]+",outcome="ok"\} [1-9]/); // the first load's and the health run's
    expect(jobs).toMatch(new RegExp(`tiller_sync_lag_seconds\\{portal="${portal.id}"\\} \\d`));
  }, 240_000);

  it('on shutdown: says it is draining, finishes the request in flight, then takes no new connection', async () => {
    const portal = sandbox.portals[0]!;
    // a cold answer for another user: several HubSpot rounds at 300 ms each
    const r = proxiedRequest(PUBLIC, SECRET, { path: '/api/v1/tasks/buckets', portalId: portal.id, userId: Number(portal.users[1]!.id) });
    const inFlight = fetch(`${base}${r.pathAndQuery}`, { headers: r.headers });
    await new Promise((resolve) => setTimeout(resolve, 150));
    const closing = server.close();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect((await answer.json()) as object).toHaveProperty('buckets');
    await closing;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  }, 30_000);
});
