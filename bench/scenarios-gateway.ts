// Scenarios of issue 4: the CRM gateway's calls, depth, latency, rate-limit behaviour and memory.
import { backend, percentile, round, sandbox, signedGet, type Sandbox, type ScenarioResult } from './harness';
import { sandboxCounters } from './sandbox-stats';

export type BenchContext = { latencyMs: number; seed: number };

function firstRep(sb: Sandbox) {
  const portal = sb.portals[0]!;
  const user = portal.users.find((u) => u.ownerId) ?? portal.users[0]!;
  return { portal, user };
}

export async function tasksCold(ctx: BenchContext): Promise<ScenarioResult> {
  const sb = await sandbox({ seed: ctx.seed, size: 'small', latencyMs: ctx.latencyMs });
  try {
    const { portal, user } = firstRep(sb);
    const runs: { ms: number; calls: number; depth: number; searches: number }[] = [];
    for (let i = 0; i < 7; i++) {
      const be = await backend(sb); // a new backend: empty cache
      const before = sandboxCounters(sb);
      const res = await signedGet(be.url, '/api/v1/tasks/buckets?limit=5', portal.id, user.id);
      const after = sandboxCounters(sb);
      if (res.status !== 200) throw new Error(`tasks-cold: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      runs.push({ ms: res.ms, calls: after.total - before.total, depth: res.depth, searches: after.searches - before.searches });
      await be.close();
    }
    const calls = Math.max(...runs.map((r) => r.calls));
    const depth = Math.max(...runs.map((r) => r.depth));
    const p50 = percentile(runs.map((r) => r.ms), 50);
    const p95 = percentile(runs.map((r) => r.ms), 95);
    return {
      scenario: 'tasks-cold',
      what: "one rep's task buckets, empty cache",
      figures: { calls, searches: Math.max(...runs.map((r) => r.searches)), depth, p50Ms: round(p50), p95Ms: round(p95), wallOverLatency: round(p50 / ctx.latencyMs, 2) },
      targets: [
        { name: 'depth', target: '≤ 2 round trips', actual: String(depth), pass: depth <= 2 },
        { name: 'calls', target: '≤ 6 HubSpot calls', actual: String(calls), pass: calls <= 6 },
        { name: 'wall', target: `≤ 2.5 × ${ctx.latencyMs} ms`, actual: `${round(p50)} ms`, pass: p50 <= 2.5 * ctx.latencyMs },
      ],
    };
  } finally {
    await sb.close();
  }
}

export async function tasksWarm(ctx: BenchContext): Promise<ScenarioResult> {
  const sb = await sandbox({ seed: ctx.seed, size: 'small', latencyMs: ctx.latencyMs });
  const be = await backend(sb);
  try {
    const { portal, user } = firstRep(sb);
    const path = '/api/v1/tasks/buckets?limit=5';
    const warm = await signedGet(be.url, path, portal.id, user.id);
    if (warm.status !== 200) throw new Error(`tasks-warm: HTTP ${warm.status}`);
    const before = sandboxCounters(sb);
    const total = 3_000;
    const concurrency = 16;
    const times: number[] = [];
    let next = 0;
    let failures = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        const r = await signedGet(be.url, path, portal.id, user.id);
        if (r.status !== 200) failures++;
        times.push(r.ms);
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    const calls = sandboxCounters(sb).total - before.total;
    const p95 = percentile(times, 95);
    const rps = total / seconds;
    return {
      scenario: 'tasks-warm',
      what: 'the same again within the cache TTL (3,000 requests, 16 concurrent)',
      figures: { calls, failures, p50Ms: round(percentile(times, 50), 2), p95Ms: round(p95, 2), requestsPerSecond: Math.round(rps) },
      targets: [
        { name: 'calls', target: '0 HubSpot calls', actual: String(calls), pass: calls === 0 },
        { name: 'p95', target: '≤ 10 ms', actual: `${round(p95, 2)} ms`, pass: p95 <= 10 },
        { name: 'throughput', target: '≥ 1,500 requests/s', actual: `${Math.round(rps)}/s`, pass: rps >= 1500 && failures === 0 },
      ],
    };
  } finally {
    await be.close();
    await sb.close();
  }
}

export async function portalBurst(ctx: BenchContext, opts: { instances?: number; redisUrl?: string } = {}): Promise<ScenarioResult> {
  const { Redis } = await import('ioredis');
  const sb = await sandbox({ seed: ctx.seed, size: 'large', latencyMs: ctx.latencyMs });
  const instances = opts.instances ?? 1;
  const redis = opts.redisUrl ? Array.from({ length: instances }, () => new Redis(opts.redisUrl!, { maxRetriesPerRequest: 2 })) : [];
  if (redis[0]) await redis[0].flushdb();
  try {
    const portal = sb.portals[0]!;
    const reps = portal.users.filter((u) => u.ownerId).slice(0, 25);
    // One rep alone, cold, is the yardstick for "HubSpot calls ≤ 1.5 × 25 × one rep's".
    const solo = await backend(sb);
    const b0 = sandboxCounters(sb);
    await signedGet(solo.url, '/api/v1/tasks/buckets?limit=5', portal.id, reps[0]!.id);
    const oneRep = sandboxCounters(sb).total - b0.total;
    await solo.close();
    await new Promise((r) => setTimeout(r, 11_000)); // let HubSpot's 10 s window empty

    const backends = await Promise.all(Array.from({ length: instances }, (_, i) => backend(sb, { redis: redis[i] })));
    sb.control.resetStats();
    const started = performance.now();
    const results = await Promise.all(reps.map((rep, i) => signedGet(backends[i % instances]!.url, '/api/v1/tasks/buckets?limit=5', portal.id, rep.id)));
    const wall = performance.now() - started;
    const counters = sandboxCounters(sb);
    await Promise.all(backends.map((b) => b.close()));
    const userErrors = results.filter((r) => r.status !== 200).length;
    const partial = results.filter((r) => (r.body as { partial?: boolean }).partial).length;
    const budget = 1.5 * reps.length * oneRep;
    const name = instances > 1 ? 'two-instances' : 'portal-burst';
    return {
      scenario: name,
      what: `${reps.length} reps of one portal open the home page in the same second${instances > 1 ? `, split across ${instances} backends sharing Redis` : ''}`,
      figures: {
        reps: reps.length, calls: counters.total, searches: counters.searches, oneRepCalls: oneRep, served429: counters.rateLimited,
        peak10s: counters.peak10s, peak1sSearch: counters.peakSearch1s, userErrors, partial, wallMs: Math.round(wall),
      },
      targets: [
        { name: 'user errors', target: '0 rate-limit errors reach a user', actual: `${userErrors} errors, ${partial} partial`, pass: userErrors === 0 && partial === 0 },
        { name: 'limits', target: "sandbox never exceeds HubSpot's limits", actual: `${counters.rateLimited} 429s; peak ${counters.peak10s}/10 s, ${counters.peakSearch1s} searches/1 s`, pass: counters.rateLimited === 0 && counters.peak10s <= 110 && counters.peakSearch1s <= 5 },
        { name: 'wall', target: 'all answered within 10 s', actual: `${Math.round(wall)} ms`, pass: wall <= 10_000 },
        { name: 'calls', target: `≤ 1.5 × 25 × one rep's (${budget})`, actual: String(counters.total), pass: counters.total <= budget },
      ],
    };
  } finally {
    await Promise.all(redis.map((r) => r.quit()));
    await sb.close();
  }
}

export async function bigScan(ctx: BenchContext): Promise<ScenarioResult> {
  const sb = await sandbox({ seed: ctx.seed, size: 'large', latencyMs: ctx.latencyMs });
  const be = await backend(sb);
  try {
    const portal = sb.portals[0]!;
    const want = 25_000;
    const crm = be.crm.portal(portal.id);
    // The 25,000 lowest contact ids: a filter HubSpot can answer, past its 10,000-result cap.
    const probe = await crm.search('contacts', { filterGroups: [], properties: ['hs_object_id'], sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }], limit: 1 });
    if (probe.total < want) throw new Error(`big-scan needs ${want} contacts; the portal has ${probe.total}`);
    const firstId = Number(probe.results[0]!.id);
    sb.control.resetStats();
    const started = performance.now();
    const records = await crm.scan('contacts', {
      filterGroups: [{ filters: [{ propertyName: 'hs_object_id', operator: 'LT', value: String(firstId + want) }] }],
      properties: ['email'],
    });
    const wall = performance.now() - started;
    const ids = new Set(records.map((r) => r.id));
    const counters = sandboxCounters(sb);
    const floorMs = (Math.ceil(want / 200) / 5) * 1000;
    const complete = ids.size === records.length && records.length === want;
    return {
      scenario: 'big-scan',
      what: `scan ${want.toLocaleString('en')} contacts (ids ${firstId}…${firstId + want - 1})`,
      figures: { records: records.length, unique: ids.size, searches: counters.searches, served429: counters.rateLimited, wallMs: Math.round(wall), floorMs, ratio: round(wall / floorMs, 3) },
      targets: [
        { name: 'complete', target: 'all ids, none twice', actual: `${records.length} records, ${ids.size} unique`, pass: complete },
        { name: 'wall', target: '≤ 1.15 × the floor of 5 searches/s', actual: `${round(wall / floorMs, 3)} × floor`, pass: wall <= 1.15 * floorMs },
      ],
    };
  } finally {
    await be.close();
    await sb.close();
  }
}
