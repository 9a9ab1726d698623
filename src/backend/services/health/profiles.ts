import { randomBytes } from 'node:crypto';
import { ZodError } from 'zod';
import { AppError, invalidInput } from '../../app-error';
import type { HealthProfileSummary } from '../../contract/api';
import type { PortalCrm } from '../../crm/gateway';
import { CrmError } from '../../crm/errors';
import { buildDefaultProfile, parseProfile, type PortalCapabilities, type Profile } from '../../engines/health';
import { createHealthRepo, createSettingsRepo, type Database, type StoredProfile } from '../../storage';
import { CUSTOMERS_SETTING, readCustomersSetting } from '../../sync/customer-properties';
import { DEFAULT_CSM_PROPERTY } from './data';

export const DEFAULT_PROFILE_ID = 'default';
/**
 * portal_settings key of the CSM property before the Customer Success settings (CS-SET-1) held
 * it; still read when those were never saved, so a portal that set it keeps it.
 */
export const CSM_PROPERTY_SETTING = 'health.csmProperty';

const RENEWAL_NAMES = ['renewal_date', 'hs_renewal_date', 'contract_renewal_date', 'renewal_date__c'];

/**
 * What the portal has, from cheap calls: the object's property list, and one-result searches
 * (`total` only) for engagements, tickets and deals.
 */
export async function detectCapabilities(crm: PortalCrm, objectType = 'companies'): Promise<PortalCapabilities> {
  // Only an answer HubSpot will give again means "none": a missing object or scope. A busy, slow or
  // failing HubSpot rejects the whole detection, so the default profile is built on a later request
  // instead of being stored for good without engagement, ticket or deal criteria.
  const exists = async (type: string) => {
    try {
      const page = await crm.search(type, { filterGroups: [], properties: ['hs_object_id'], limit: 1 });
      return page.total > 0;
    } catch (err) {
      if (err instanceof CrmError && (err.kind === 'not-found' || err.kind === 'forbidden')) return false;
      throw err;
    }
  };
  const [definitions, meetings, calls, emails, notes, tickets, deals] = await Promise.all([
    crm.properties(objectType),
    exists('meetings'),
    exists('calls'),
    exists('emails'),
    exists('notes'),
    exists('tickets'),
    exists('deals'),
  ]);
  const isDate = (t: string) => t === 'date' || t === 'datetime';
  const renewal =
    RENEWAL_NAMES.map((n) => definitions.find((d) => d.name === n && isDate(d.type))).find(Boolean) ??
    definitions.find((d) => isDate(d.type) && /renewal/i.test(`${d.name} ${d.label}`));
  const nps = definitions.find((d) => d.type === 'number' && /(^|[^a-z])nps([^a-z]|$)|net promoter/i.test(`${d.name} ${d.label}`));
  return {
    objectType,
    hasEngagements: meetings || calls || emails || notes,
    hasTickets: tickets,
    hasDeals: deals,
    renewalDateProperty: renewal?.name ?? null,
    hasCsmSentiment: definitions.some((d) => d.name === 'hs_csm_sentiment'),
    npsProperty: nps?.name ?? null,
    lastContactedProperty: definitions.some((d) => d.name === 'notes_last_contacted') ? 'notes_last_contacted' : 'notes_last_updated',
  };
}

export function toSummary(p: StoredProfile): HealthProfileSummary {
  return {
    id: p.id,
    name: p.name,
    objectType: p.objectType,
    version: p.version,
    isDefault: p.isDefault,
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function profileOf(p: StoredProfile): Profile {
  return parseProfile({ ...(p.profile as object), id: p.id, version: p.version });
}

export type ProfileService = ReturnType<typeof profileService>;

/** Profiles of a portal: zero-setup default, CRUD with versions. */
export function profileService(db: Database, now: () => number) {
  const repo = createHealthRepo(db);
  const settings = createSettingsRepo(db);
  const creating = new Map<number, Promise<StoredProfile[]>>();

  /** The portal's profiles; on the very first call, the default one built from what the portal has. */
  async function ensure(portalId: number, crm: PortalCrm): Promise<StoredProfile[]> {
    const found = await repo.listProfiles(portalId);
    if (found.length > 0) return found;
    let pending = creating.get(portalId);
    if (!pending) {
      pending = (async () => {
        // The default profile scores the customer object of the Customer Success settings.
        const customers = readCustomersSetting(await settings.getSetting<unknown>(portalId, CUSTOMERS_SETTING));
        const capabilities = await detectCapabilities(crm, customers.objectType);
        const profile = buildDefaultProfile(capabilities);
        await repo.insertProfile(
          portalId,
          { id: DEFAULT_PROFILE_ID, name: profile.name, objectType: profile.objectType, isDefault: true, profile },
          new Date(now()),
        );
        return repo.listProfiles(portalId);
      })().finally(() => creating.delete(portalId));
      creating.set(portalId, pending);
    }
    return pending;
  }

  async function pick(portalId: number, crm: PortalCrm, profileId: string | undefined): Promise<Profile> {
    const all = await ensure(portalId, crm);
    const chosen = profileId ? all.find((p) => p.id === profileId) : (all.find((p) => p.isDefault) ?? all[0]);
    if (!chosen) throw new AppError('NOT_FOUND', `There is no health profile "${profileId}".`);
    return profileOf(chosen);
  }

  /** A profile may only score an object type the portal has: HubSpot's 400/404 becomes our 400. */
  async function assertObjectType(crm: PortalCrm, objectType: string): Promise<void> {
    if (objectType === 'companies' || objectType === 'contacts') return;
    try {
      await crm.properties(objectType);
    } catch (err) {
      if (err instanceof CrmError && (err.kind === 'not-found' || err.kind === 'bad-request')) {
        throw new AppError('BAD_REQUEST', `This HubSpot portal has no object type "${objectType}".`, [
          { field: 'profile.objectType', issue: 'not an object type of this portal' },
        ]);
      }
      throw err;
    }
  }

  function validate(input: unknown, id: string, version: number): Profile {
    try {
      return parseProfile({ ...(input as object), id, version });
    } catch (err) {
      if (err instanceof ZodError) throw invalidInput('profile', err.issues, ['profile']);
      throw err;
    }
  }

  return {
    ensure,
    pick,
    validate,
    assertObjectType,
    /** The customers' CSM property: the Customer Success settings (CS-SET-1) are the one source. */
    async csmProperty(portalId: number): Promise<string> {
      const saved = await settings.getSetting<unknown>(portalId, CUSTOMERS_SETTING);
      if (saved !== undefined) return readCustomersSetting(saved).csmProperty;
      const legacy = await settings.getSetting<unknown>(portalId, CSM_PROPERTY_SETTING);
      return typeof legacy === 'string' && legacy ? legacy : DEFAULT_CSM_PROPERTY;
    },
    async list(portalId: number, crm: PortalCrm): Promise<HealthProfileSummary[]> {
      return (await ensure(portalId, crm)).map(toSummary);
    },
    async get(portalId: number, crm: PortalCrm, id: string): Promise<Profile> {
      await ensure(portalId, crm);
      const p = await repo.getProfile(portalId, id);
      if (!p) throw new AppError('NOT_FOUND', `There is no health profile "${id}".`);
      return profileOf(p);
    },
    async create(portalId: number, crm: PortalCrm, input: unknown): Promise<Profile> {
      await ensure(portalId, crm);
      const id = `p-${randomBytes(5).toString('hex')}`;
      const profile = validate(input, id, 1);
      await assertObjectType(crm, profile.objectType);
      await repo.insertProfile(
        portalId,
        { id, name: profile.name, objectType: profile.objectType, isDefault: false, profile },
        new Date(now()),
      );
      return profile;
    },
    async update(portalId: number, crm: PortalCrm, id: string, input: unknown, expectedVersion: number): Promise<Profile> {
      await ensure(portalId, crm);
      const profile = validate(input, id, expectedVersion + 1);
      await assertObjectType(crm, profile.objectType);
      const outcome = await repo.updateProfile(
        portalId,
        id,
        expectedVersion,
        { name: profile.name, objectType: profile.objectType, profile },
        new Date(now()),
      );
      if (outcome === 'missing') throw new AppError('NOT_FOUND', `There is no health profile "${id}".`);
      if (outcome === 'conflict') {
        const current = await repo.getProfile(portalId, id);
        throw new AppError('CONFLICT', 'Someone saved this profile since you opened it. Reload it and apply your change again.', {
          currentVersion: current?.version ?? null,
        });
      }
      return profile;
    },
    async remove(portalId: number, crm: PortalCrm, id: string): Promise<void> {
      const all = await ensure(portalId, crm);
      const p = all.find((x) => x.id === id);
      if (!p) throw new AppError('NOT_FOUND', `There is no health profile "${id}".`);
      if (p.isDefault) throw new AppError('CONFLICT', 'The default profile cannot be deleted.');
      if (all.length <= 1) throw new AppError('CONFLICT', 'The last profile cannot be deleted.');
      await repo.deleteProfile(portalId, id, new Date(now()));
    },
  };
}
