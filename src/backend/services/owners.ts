import type { PortalCrm } from '../crm/gateway';
import type { Owner } from '../crm/types';
import type { CopyRepo } from '../storage';

/**
 * The portal's owners with their teams: from the copy, or from HubSpot before the copy holds them
 * (`fromCopy` says which).
 */
export async function readOwners(copy: CopyRepo, crm: PortalCrm): Promise<{ owners: Owner[]; fromCopy: boolean }> {
  const copied = await copy.owners(crm.portalId);
  if (copied.length) return { owners: copied.map((o) => ({ ...o, teams: o.teams ?? [] })), fromCopy: true };
  return { owners: await crm.owners(), fromCopy: false };
}

/** The portal's owners with their teams: from the copy, or from HubSpot before the copy holds them. */
export async function portalOwners(copy: CopyRepo, crm: PortalCrm): Promise<Owner[]> {
  return (await readOwners(copy, crm)).owners;
}
