// Loads a portal's copy from its HubSpot (the sandbox, in tests) before a test reads it: the first
// load, run to the end and awaited. Features answer from the copy, so a test's portal needs one.
import { pino } from 'pino';
import type { CrmGateway } from '../../src/backend/crm/gateway';
import type { Database } from '../../src/backend/storage';
import { runFirstLoad } from '../../src/backend/sync/first-load';

export async function loadCopy(opts: { db: Database; crm: CrmGateway; portalId: number; now?: () => number }): Promise<void> {
  const result = await runFirstLoad(
    { db: opts.db, crm: opts.crm, logger: pino({ level: 'silent' }), now: opts.now ?? Date.now },
    opts.portalId,
  );
  if (!result.ready) throw new Error(`The copy of portal ${opts.portalId} did not load: ${JSON.stringify(result.errors)}`);
}

/**
 * The copy a health run reads: the health profiles' properties named first (as the scheduler
 * does at start), then the first load.
 */
export async function loadHealthCopy(opts: { db: Database; crm: CrmGateway; portalId: number; now?: () => number }): Promise<void> {
  const { ensureCopyProperties } = await import('../../src/backend/services/health/runner');
  const deps = { db: opts.db, crm: opts.crm, logger: pino({ level: 'silent' }), now: opts.now ?? Date.now };
  await ensureCopyProperties(deps, opts.portalId);
  await loadCopy(opts);
}

/**
 * Our own limits lifted, for tests that load a copy from a sandbox whose HubSpot limits are lifted
 * too (a first load paces itself under the limits: seconds per test otherwise).
 */
export const LIFTED_LIMITS = { general: { burst: 1_000, refillEveryMs: 1 }, search: { perWindow: 1_000, windowMs: 1_000 } };

/** The sandbox's HubSpot limits lifted, to go with LIFTED_LIMITS. */
export const LIFTED_SANDBOX_LIMITS = { tenSecondly: 1_000_000, searchPerSecond: 1_000_000 };
