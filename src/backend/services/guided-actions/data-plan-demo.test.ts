// The data plan's whole output on a generated demo portal, pinned: a change meant only to make the
// plan faster (other statements, indexes, fewer columns) must give the engine the same input,
// byte for byte. (A deliberate change of what the plan reads changes the digest: check the
// difference, then update it.)
import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoPortal } from '@tiller/hubspot-sandbox/generator';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import { LIFTED_LIMITS, LIFTED_SANDBOX_LIMITS } from '../../../../tests/helpers/copy';
import { createCrmGateway, type CrmGateway } from '../../crm/gateway';
import type { CrmRecord } from '../../crm/types';
import { defaultGuidedActionSettings, evaluateGuidedActions } from '../../engines/guided-actions';
import { createDatabase, type Database } from '../../storage';
import { runFirstLoad } from '../../sync/first-load';
import { loadGuidedActionsInput } from './data-plan';
import { PROPERTIES, toCall, toCompany, toContact, toDeal, toEmail, toLead, toMeeting, toNote, toTask } from './mappers';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const digest = (x: unknown) => createHash('sha256').update(JSON.stringify(x)).digest('hex').slice(0, 16);

describe('guided-actions data plan on the small demo portal', () => {
  const { fixture, meta } = generateDemoPortal({ seed: 1, size: 'small', now: new Date(NOW) });
  let sandbox: Sandbox;
  let crm: CrmGateway;
  let db: Database;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, fixtures: [fixture], rateLimit: LIFTED_SANDBOX_LIMITS });
    crm = createCrmGateway({
      basePath: sandbox.url,
      tokens: { accessToken: async () => fixture.portal.accessToken ?? null },
      limits: LIFTED_LIMITS,
    });
    db = await createDatabase({});
    const loaded = await runFirstLoad({ db, crm, logger: pino({ level: 'silent' }), now: () => NOW }, meta.portalId);
    if (!loaded.ready) throw new Error(JSON.stringify(loaded.errors));
  }, 120_000);

  afterAll(async () => {
    await crm?.close();
    await db?.close();
    await sandbox?.close();
  });

  it("gives the engine the same input as before, byte for byte, for the big rep's book", async () => {
    const plan = await loadGuidedActionsInput(db, meta.portalId, {
      userId: Number(meta.bigRep.userId),
      now: NOW,
      settings: defaultGuidedActionSettings,
    });
    if (plan.kind !== 'ok') throw new Error(plan.kind);
    expect(plan.incomplete.size).toBe(0);
    const { input } = plan;
    const out = evaluateGuidedActions(input, NOW);
    expect([
      input.contacts.length,
      input.deals.length,
      input.leads.length,
      input.tasks.length,
      input.calls.length,
      input.emails.length,
      input.meetings.length,
      input.notes.length,
      out.actions.length,
    ]).toEqual(PINNED_COUNTS);
    expect([digest(input), digest(out)]).toEqual(PINNED_DIGESTS);
  });
});

const PINNED_COUNTS = [122, 72, 68, 205, 51, 141, 24, 16, 246];
// 2026-12-05: the generator's sequence tasks now come from their sequences' TASK steps (SW-2): the same
// plan on the old product gives these digests with the new generator.
const PINNED_DIGESTS = ['48c8ad01bc3bc2aa', '38cbd2f3c788621b'];

describe('the properties the data plan reads (mappers.ts PROPERTIES)', () => {
  // The copy holds PROPERTIES (sync/jobs.test.ts): a mapper reading another property would see
  // null there, silently. Every property a mapper touches must be listed.
  const MAPPERS: Record<keyof typeof PROPERTIES, (r: CrmRecord) => unknown> = {
    contacts: toContact,
    companies: toCompany,
    deals: toDeal,
    leads: toLead,
    tasks: toTask,
    calls: toCall,
    emails: toEmail,
    meetings: toMeeting,
    notes: toNote,
  };
  it.each(Object.keys(MAPPERS) as (keyof typeof PROPERTIES)[])('%s: the mapper reads only listed properties', (type) => {
    const read = new Set<string>();
    // Every property blank, so that each fallback (hs_timestamp → hs_createdate → createdAt) is taken too.
    const properties = new Proxy({} as Record<string, string | null>, {
      get: (_, name) => {
        if (typeof name === 'string') read.add(name);
        return null;
      },
    });
    MAPPERS[type]({ id: '1', properties, createdAt: new Date(NOW).toISOString(), updatedAt: new Date(NOW).toISOString() });
    expect([...read].filter((p) => !(PROPERTIES[type] as readonly string[]).includes(p))).toEqual([]);
  });
});
