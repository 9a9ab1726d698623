// What compose.yaml and deploy/nginx.conf expose: only the balancer is published, and the
// balancer refuses /metrics however it is spelled (the app answers it case-insensitively and
// with a trailing slash, behind METRICS_TOKEN: src/backend/http/ops.test.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const nginx = readFileSync('deploy/nginx.conf', 'utf8');
const compose = readFileSync('compose.yaml', 'utf8');

describe('deploy configuration', () => {
  it('nginx denies /metrics in every spelling the app would answer, and nothing else', () => {
    const denied = [...nginx.matchAll(/location\s+~\*\s+(\S+)\s*\{\s*deny all;\s*\}/g)].map((m) => new RegExp(m[1]!, 'i'));
    expect(denied).toHaveLength(1);
    const blocks = (path: string) => denied.some((re) => re.test(path));
    for (const path of ['/metrics', '/METRICS', '/Metrics/', '//metrics', '/metrics/']) expect(blocks(path), path).toBe(true);
    for (const path of ['/api/v1/me', '/readyz', '/healthz', '/docs', '/metricsx', '/api/metrics']) expect(blocks(path), path).toBe(false);
  });

  it('compose publishes only the balancer: the instances (and their /metrics) are reachable inside its network only', () => {
    const services = compose.split(/\n(?= {2}[\w-]+:)/).filter((s) => /^ {2}[\w-]+:/.test(s));
    const published = services.filter((s) => /\n\s+ports:/.test(s)).map((s) => /^ {2}([\w-]+):/.exec(s)![1]);
    expect(published).toEqual(['balancer']);
  });
});
