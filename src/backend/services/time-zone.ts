import { isValidTimeZone } from '../engines/task-buckets';
import type { PortalCrm } from '../crm/gateway';
import { warningFor } from './crm-errors';
import type { CopyRepo } from '../storage';

/**
 * The user's time zone: the users object's hs_standard_time_zone, else the portal's, else UTC
 * (hubspot-crm-data.md §3.6, §5). Never throws: a failure becomes a warning, and `failed` says
 * the zone given is a fallback because HubSpot failed (the answer is partial).
 */
export async function resolveTimeZone(crm: PortalCrm, userId: number): Promise<{ timeZone: string; warnings: string[]; failed: boolean }> {
  const warnings: string[] = [];
  const [users, account] = await Promise.allSettled([crm.users(), crm.account()]);
  if (users.status === 'fulfilled') {
    const tz = users.value.find((u) => u.userId === userId)?.timeZone;
    if (isValidTimeZone(tz)) return { timeZone: tz, warnings, failed: false };
  }
  if (account.status === 'fulfilled' && isValidTimeZone(account.value.timeZone)) {
    if (users.status === 'rejected') warnings.push(`${warningFor('Your time zone', users.reason)} The portal's time zone is used.`);
    return { timeZone: account.value.timeZone, warnings, failed: users.status === 'rejected' };
  }
  warnings.push(
    `${warningFor('Your time zone', users.status === 'rejected' ? users.reason : account.status === 'rejected' ? account.reason : null)} UTC is used.`,
  );
  return { timeZone: 'UTC', warnings, failed: users.status === 'rejected' || account.status === 'rejected' };
}

/** resolveTimeZone from the portal copy: the user's zone, else the portal's, else UTC with a warning. */
export async function copyTimeZone(repo: CopyRepo, portalId: number, userId: number): Promise<{ timeZone: string; warnings: string[] }> {
  const [users, portal] = await Promise.all([repo.users(portalId), repo.portal(portalId)]);
  return zoneInCopy(users, portal, userId);
}

/**
 * The viewer's time zone from the copy once it holds the portal's account, else from HubSpot
 * (before the first load copies it). `failed`: a HubSpot failure made it a fallback.
 */
export async function viewerTimeZone(
  repo: CopyRepo,
  crm: PortalCrm,
  userId: number,
): Promise<{ timeZone: string; warnings: string[]; failed: boolean }> {
  const [users, portal] = await Promise.all([repo.users(crm.portalId), repo.portal(crm.portalId)]);
  return portal ? { ...zoneInCopy(users, portal, userId), failed: false } : resolveTimeZone(crm, userId);
}

function zoneInCopy(
  users: Awaited<ReturnType<CopyRepo['users']>>,
  portal: Awaited<ReturnType<CopyRepo['portal']>>,
  userId: number,
): { timeZone: string; warnings: string[] } {
  const tz = users.find((u) => u.userId === userId)?.timeZone;
  if (isValidTimeZone(tz)) return { timeZone: tz, warnings: [] };
  if (isValidTimeZone(portal?.timeZone)) return { timeZone: portal.timeZone, warnings: [] };
  return { timeZone: 'UTC', warnings: ['Your time zone is not known yet (the portal is still being copied). UTC is used.'] };
}
