import type { PortalCrm } from '../crm/gateway';
import type { Owner } from '../crm/types';
import type { CopyRepo } from '../storage';

/** The portal's owners with their teams: from the copy, or from HubSpot before the copy holds them. */
export async function portalOwners(copy: CopyRepo, crm: PortalCrm): Promise<Owner[]> {
  const copied = await copy.owners(crm.portalId);
  return copied.length ? copied.map((o) => ({ ...o, teams: o.teams ?? [] })) : crm.owners();
}
