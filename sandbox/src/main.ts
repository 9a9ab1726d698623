// Standalone sandbox: `npm run sandbox`. Env: SANDBOX_PORT (4010), SANDBOX_FIXTURE, SANDBOX_SEED,
// SANDBOX_SIZE, SANDBOX_PORTAL_ID and SANDBOX_ACCESS_TOKEN (the generated portal's), SANDBOX_LATENCY_MS, SANDBOX_LATENCY_JITTER_MS, SANDBOX_FAULT_RATE, SANDBOX_SEARCH_DELAY_MS,
// SANDBOX_WEBHOOK_URL, SANDBOX_WEBHOOK_SECRET, SANDBOX_WEBHOOK_COMPONENT (webhooks: docs/sandbox.md),
// SANDBOX_UNLIMITED=1 (no rate limits: benches that fill a portal copy fast before measuring).
import { z } from 'zod';
import { FixtureError } from './fixture';
import { startSandbox } from './server';

const num = (dflt: number) => z.coerce.number().nonnegative().default(dflt);
const envSchema = z.object({
  SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
  SANDBOX_HOST: z.string().default('127.0.0.1'),
  SANDBOX_FIXTURE: z.string().min(1).optional(),
  SANDBOX_SEED: z.coerce.number().int().default(1),
  SANDBOX_SIZE: z.enum(['small', 'medium', 'large']).default('small'),
  SANDBOX_PORTAL_ID: z.coerce.number().int().positive().optional(),
  SANDBOX_ACCESS_TOKEN: z.string().min(1).optional(),
  SANDBOX_LATENCY_MS: num(0),
  SANDBOX_LATENCY_JITTER_MS: num(0),
  SANDBOX_FAULT_RATE: z.coerce.number().min(0).max(1).default(0),
  SANDBOX_SEARCH_DELAY_MS: num(0),
  SANDBOX_WEBHOOK_URL: z.url().optional(),
  SANDBOX_WEBHOOK_SECRET: z.string().min(1).optional(),
  SANDBOX_WEBHOOK_COMPONENT: z.string().min(1).optional(),
  SANDBOX_UNLIMITED: z.enum(['0', '1']).default('0'),
});

const parsed = envSchema.safeParse(process.env);
if (!parsed.success) {
  for (const i of parsed.error.issues) console.error(`sandbox: ${i.path.join('.')}: ${i.message}`);
  process.exit(1);
}
const env = parsed.data;
const started = Date.now();
try {
  const sb = await startSandbox({
    port: env.SANDBOX_PORT,
    host: env.SANDBOX_HOST,
    fixturePath: env.SANDBOX_FIXTURE,
    seed: env.SANDBOX_SEED,
    size: env.SANDBOX_SIZE,
    portalId: env.SANDBOX_PORTAL_ID,
    accessToken: env.SANDBOX_ACCESS_TOKEN,
    latencyMs: env.SANDBOX_LATENCY_MS,
    latencyJitterMs: env.SANDBOX_LATENCY_JITTER_MS,
    faultRate: env.SANDBOX_FAULT_RATE,
    searchDelayMs: env.SANDBOX_SEARCH_DELAY_MS,
    ...(env.SANDBOX_UNLIMITED === '1' ? { rateLimit: { tenSecondly: 1_000_000_000, searchPerSecond: 1_000_000_000 } } : {}),
    webhooks: {
      targetUrl: env.SANDBOX_WEBHOOK_URL,
      clientSecret: env.SANDBOX_WEBHOOK_SECRET,
      componentPath: env.SANDBOX_WEBHOOK_COMPONENT,
    },
  });
  const mem = Math.round(process.memoryUsage().rss / 1e6);
  console.log(`sandbox ready on ${sb.url} in ${Date.now() - started} ms (${mem} MB) — stats: GET ${sb.url}/__sandbox/stats`);
  for (const p of sb.portals) {
    console.log(`  portal ${p.id} (${p.timeZone}) token "${p.accessToken}"`);
    for (const u of p.users)
      console.log(`    user ${u.id} ${u.firstName} ${u.lastName} <${u.email}> tz=${u.timeZone ?? '(account)'} owner=${u.ownerId ?? '-'}`);
  }
  const stop = () => {
    void sb.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  if (e instanceof FixtureError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
