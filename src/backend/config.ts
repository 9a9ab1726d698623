import { z } from 'zod';
import { parseTokenKeys, type TokenKey } from './services/install/token-cipher';

/** The development secret used in sandbox mode when none is configured; printed at start. */
export const SANDBOX_CLIENT_SECRET = 'tiller-sandbox-secret';
/** The app's client id in sandbox mode when none is configured. */
export const SANDBOX_CLIENT_ID = 'tiller-sandbox-client';

const optionalNumber = z.coerce.number().optional();
const emptyToUndefined = (v: unknown) => (v === '' ? undefined : v);

const envSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_BASE_URL: z.preprocess(emptyToUndefined, z.url().optional()),
    HUBSPOT_MODE: z.preprocess(emptyToUndefined, z.enum(['sandbox', 'hubspot']).optional()),
    HUBSPOT_CLIENT_ID: z.preprocess(emptyToUndefined, z.string().optional()),
    HUBSPOT_CLIENT_SECRET: z.preprocess(emptyToUndefined, z.string().optional()),
    HUBSPOT_API_BASE: z.url().default('https://api.hubapi.com'),
    HUBSPOT_ACCESS_TOKEN: z.preprocess(emptyToUndefined, z.string().optional()),
    HUBSPOT_PORTAL_ID: z.preprocess(emptyToUndefined, z.coerce.number().int().optional()),
    SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(4010),
    SANDBOX_FIXTURE: z.preprocess(emptyToUndefined, z.string().optional()),
    SANDBOX_SEED: z.preprocess(emptyToUndefined, z.coerce.number().int().optional()),
    SANDBOX_SIZE: z.preprocess(emptyToUndefined, z.enum(['small', 'medium', 'large']).optional()),
    SANDBOX_LATENCY_MS: z.preprocess(emptyToUndefined, optionalNumber),
    SANDBOX_LATENCY_JITTER_MS: z.preprocess(emptyToUndefined, optionalNumber),
    SANDBOX_FAULT_RATE: z.preprocess(emptyToUndefined, z.coerce.number().min(0).max(1).optional()),
    SANDBOX_SEARCH_DELAY_MS: z.preprocess(emptyToUndefined, optionalNumber),
    DATABASE_URL: z.preprocess(emptyToUndefined, z.string().optional()),
    DATABASE_SCHEMA: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'use lower-case letters, digits and _')
        .optional(),
    ),
    DATA_DIR: z.string().default('.data'),
    REDIS_URL: z.preprocess(emptyToUndefined, z.string().optional()),
    REDIS_PREFIX: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[\w:-]{1,64}$/, 'use letters, digits, _, : and -')
        .default('tiller'),
    ),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    REQUEST_DEADLINE_MS: z.coerce.number().int().positive().default(10_000),
    HEALTH_RUN_INTERVAL_MINUTES: z.coerce.number().positive().default(360),
    METRICS_TOKEN: z.preprocess(emptyToUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().nonnegative().default(15_000),
    TOKEN_KEYS: z.preprocess(emptyToUndefined, z.string().optional()),
    PURGE_AFTER_DAYS: z.coerce.number().min(0).default(30),
    HUBSPOT_AUTHORIZE_URL: z.url().default('https://app.hubspot.com/oauth/authorize'),
    SANDBOX_AUTO_INSTALL: z.enum(['0', '1', 'true', 'false']).default('1'),
    TILLER_WARM_UP: z.preprocess(emptyToUndefined, z.enum(['0', '1', 'true', 'false']).default('1')),
  })
  .transform((env, ctx) => {
    const mode = env.HUBSPOT_MODE ?? (env.HUBSPOT_CLIENT_ID && env.HUBSPOT_CLIENT_SECRET ? 'hubspot' : 'sandbox');
    if (mode === 'hubspot' && !env.HUBSPOT_CLIENT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['HUBSPOT_CLIENT_SECRET'], message: 'is required when HUBSPOT_MODE=hubspot' });
      return z.NEVER;
    }
    let tokenKeys: TokenKey[] | undefined;
    try {
      tokenKeys = env.TOKEN_KEYS ? parseTokenKeys(env.TOKEN_KEYS) : undefined;
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['TOKEN_KEYS'], message: (err as Error).message });
      return z.NEVER;
    }
    // OAuth stores tokens: in hubspot mode they are encrypted with a key of yours, never a derived one.
    const oauth = mode === 'sandbox' || Boolean(env.HUBSPOT_CLIENT_ID);
    if (mode === 'hubspot' && oauth && !tokenKeys) {
      ctx.addIssue({
        code: 'custom',
        path: ['TOKEN_KEYS'],
        message:
          'is required in hubspot mode: Tiller encrypts the portals\' OAuth tokens with it. Set TOKEN_KEYS="k1:<32 random bytes in base64>" (openssl rand -base64 32)',
      });
      return z.NEVER;
    }
    if (mode === 'hubspot' && !oauth && !(env.HUBSPOT_ACCESS_TOKEN && env.HUBSPOT_PORTAL_ID)) {
      ctx.addIssue({
        code: 'custom',
        path: ['HUBSPOT_CLIENT_ID'],
        message: 'is required in hubspot mode (or HUBSPOT_ACCESS_TOKEN and HUBSPOT_PORTAL_ID for one portal on a static token)',
      });
      return z.NEVER;
    }
    return {
      port: env.PORT,
      publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
      mode,
      clientId: env.HUBSPOT_CLIENT_ID ?? (mode === 'sandbox' ? SANDBOX_CLIENT_ID : undefined),
      /** Installs through OAuth (HUBSPOT_CLIENT_ID set, or the sandbox); false: the static token only. */
      oauth,
      authorizeUrl: env.HUBSPOT_AUTHORIZE_URL,
      tokenKeys,
      purgeAfterDays: env.PURGE_AFTER_DAYS,
      clientSecret: env.HUBSPOT_CLIENT_SECRET ?? SANDBOX_CLIENT_SECRET,
      clientSecretIsDefault: env.HUBSPOT_CLIENT_SECRET === undefined,
      hubspotApiBase: env.HUBSPOT_API_BASE,
      staticToken: env.HUBSPOT_ACCESS_TOKEN,
      staticPortalId: env.HUBSPOT_PORTAL_ID,
      sandbox: {
        port: env.SANDBOX_PORT,
        fixturePath: env.SANDBOX_FIXTURE,
        seed: env.SANDBOX_SEED,
        size: env.SANDBOX_SIZE,
        latencyMs: env.SANDBOX_LATENCY_MS,
        latencyJitterMs: env.SANDBOX_LATENCY_JITTER_MS,
        faultRate: env.SANDBOX_FAULT_RATE,
        searchDelayMs: env.SANDBOX_SEARCH_DELAY_MS,
        autoInstall: env.SANDBOX_AUTO_INSTALL === '1' || env.SANDBOX_AUTO_INSTALL === 'true',
      },
      databaseUrl: env.DATABASE_URL,
      databaseSchema: env.DATABASE_SCHEMA,
      dataDir: env.DATA_DIR,
      redisUrl: env.REDIS_URL,
      redisPrefix: env.REDIS_PREFIX,
      logLevel: env.LOG_LEVEL,
      requestDeadlineMs: env.REQUEST_DEADLINE_MS,
      healthRunIntervalMinutes: env.HEALTH_RUN_INTERVAL_MINUTES,
      metricsToken: env.METRICS_TOKEN,
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
      /** Run the guided-actions JIT warm-up before listening (docs/decisions/0016); TILLER_WARM_UP=0 skips it. */
      warmUp: env.TILLER_WARM_UP === '1' || env.TILLER_WARM_UP === 'true',
    };
  });

export type Config = z.output<typeof envSchema>;

/** Parses the environment once; throws one readable message listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `- ${i.path.join('.') || 'environment'}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
