// /metrics is served only with METRICS_TOKEN, however its path is spelled; without a configured
// token it is not served at all. (server.test.ts checks the same on the whole server.)
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics';
import { opsRoutes } from './ops';

const TOKEN = 'ops-test-token-0123456789';
const app = (metricsToken?: string) => {
  const a = express();
  a.use(opsRoutes({ metrics: createMetrics(), checks: [], draining: () => false, metricsToken }));
  return a;
};

describe('/metrics', () => {
  it.each(['/metrics', '/METRICS', '/metrics/', '/Metrics?x=1'])(
    '%s: 404 without the token or with a wrong one, 200 with it',
    async (path) => {
      const a = app(TOKEN);
      expect((await request(a).get(path)).status).toBe(404);
      expect((await request(a).get(path).set('Authorization', `Bearer ${TOKEN}x`)).status).toBe(404);
      expect((await request(a).get(path).set('Authorization', TOKEN)).status).toBe(404);
      expect((await request(a).get(path).set('X-Forwarded-For', '127.0.0.1')).status).toBe(404);
      const ok = await request(a).get(path).set('Authorization', `Bearer ${TOKEN}`);
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('tiller_process_resident_memory_bytes');
    },
  );

  it('is not served at all when no METRICS_TOKEN is configured', async () => {
    const a = app(undefined);
    expect((await request(a).get('/metrics')).status).toBe(404);
    expect((await request(a).get('/metrics').set('Authorization', 'Bearer undefined')).status).toBe(404);
    expect((await request(a).get('/metrics').set('Authorization', 'Bearer ')).status).toBe(404);
  });
});
