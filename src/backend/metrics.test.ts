// Metric label cardinality (issue #14, the soak): one series per route pattern, method and status,
// however many ids, portals or unknown paths the requests carry.
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { requestMetrics } from './http/ops';
import { createMetrics } from './metrics';

describe('request metrics', () => {
  it('label by route pattern, never by path: 300 requests over 100 ids, portals and 200 unknown paths make 2 series', async () => {
    const metrics = createMetrics();
    const app = express();
    app.use(requestMetrics(metrics));
    const api = express.Router();
    api.get('/v1/things/:id', (_req, res) => {
      res.json({ ok: true });
    });
    app.use('/api', api);
    app.use((_req, res) => {
      res.status(404).json({ error: 'none' });
    });
    for (let i = 0; i < 100; i++) {
      await request(app)
        .get(`/api/v1/things/${i}?portalId=${1000 + i}&userId=${i}`)
        .expect(200);
      await request(app).get(`/api/v1/unknown-${i}`).expect(404);
      await request(app).get(`/probe/${i}/%ZZ`).expect(404);
    }
    const text = await metrics.registry.metrics();
    const series = text.split('\n').filter((l) => l.startsWith('tiller_http_request_seconds_count{'));
    expect(series.sort()).toEqual([
      'tiller_http_request_seconds_count{method="GET",route="/api/v1/things/:id",status="200"} 100',
      'tiller_http_request_seconds_count{method="GET",route="unmatched",status="404"} 200',
    ]);
  });

  it('HubSpot call metrics are labelled by call kind and outcome only', async () => {
    const metrics = createMetrics();
    for (let i = 0; i < 100; i++) metrics.crmCall(i % 2 ? 'search' : 'batch', 10, i % 3 ? undefined : `odd-kind-${i}`);
    const text = await metrics.registry.metrics();
    const series = text.split('\n').filter((l) => l.startsWith('tiller_hubspot_calls_total{'));
    expect(series.length).toBe(4); // 2 kinds × (ok, other)
  });
});
