import type { PortalCrm } from '../crm/gateway';
import type { Owner } from '../crm/types';
import type { CopyRepo } from '../storage';

/** The portal's owners with their teams as the copy holds them (none before the first load copies them). */
export async function copiedOwners(copy: CopyRepo, portalId: number): Promise<Owner[]> {
  return (await copy.owners(portalId)).map((o) => ({ ...o, teams: o.teams ?? [] }));
}

/** The portal's owners with their teams: from the copy, or from HubSpot before the copy holds them. */
export async function portalOwners(copy: CopyRepo, crm: PortalCrm): Promise<Owner[]> {
  const copied = await copiedOwners(copy, crm.portalId);
  return copied.length ? copied : crm.owners();
}
