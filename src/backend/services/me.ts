import type { MeResponse, UsersResponse } from '../contract/api';
import type { PortalCrm } from '../crm/gateway';
import type { CopyRepo } from '../storage';
import { freshnessOf } from '../sync/status';
import { readOwners } from './owners';
import { viewerTimeZone } from './time-zone';

/**
 * Who is looking and what they may do: the owner id behind the user, manager rights, time zone.
 * From the portal copy; from HubSpot only before the first load has copied the owners (or the
 * portal's account, for the time zone).
 */
export async function getMe(
  copy: CopyRepo,
  crm: PortalCrm,
  input: { portalId: number; userId: number; viewAsUserId: number; isManager: boolean },
  now: number,
): Promise<MeResponse> {
  const [owners, tz] = await Promise.all([ownersWithFreshness(copy, crm, now), viewerTimeZone(copy, crm, input.viewAsUserId)]);
  const owner = owners.owners.find((o) => o.userId === input.viewAsUserId && !o.archived);
  const me: MeResponse = { ...input, ownerId: owner?.id ?? null, timeZone: tz.timeZone, ...owners.freshness };
  // A zone that is a fallback because HubSpot failed makes the answer partial (asking again may give the user's own).
  if (tz.failed) Object.assign(me, { partial: true as const });
  return tz.warnings.length ? Object.assign(me, { warnings: tz.warnings }) : me;
}

/** The people a manager can view a workspace as: active owners with a user, by name. */
export async function listUsers(copy: CopyRepo, crm: PortalCrm, now: number): Promise<UsersResponse> {
  const { owners, freshness } = await ownersWithFreshness(copy, crm, now);
  return {
    users: owners
      .filter((o) => o.userId !== null && !o.archived)
      .map((o) => ({
        userId: o.userId!,
        ownerId: o.id,
        name: [o.firstName, o.lastName].filter(Boolean).join(' ') || o.email || `User ${o.userId}`,
        email: o.email,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    ...freshness,
  };
}

/** The owners and how fresh they are: the copy's freshness, or now when read from HubSpot. */
async function ownersWithFreshness(copy: CopyRepo, crm: PortalCrm, now: number) {
  const [{ owners, fromCopy }, freshness] = await Promise.all([readOwners(copy, crm), freshnessOf(copy, crm.portalId, now)]);
  return { owners, freshness: fromCopy ? freshness : { ...freshness, dataAsOf: new Date(now).toISOString() } };
}
