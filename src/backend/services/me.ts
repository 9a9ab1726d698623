import type { MeResponse } from '../contract/api';
import type { PortalCrm } from '../crm/gateway';
import { resolveTimeZone } from './time-zone';

/** Who is looking and what they may do: the owner id behind the user, manager rights, time zone. */
export async function getMe(
  crm: PortalCrm,
  input: { portalId: number; userId: number; viewAsUserId: number; isManager: boolean },
): Promise<MeResponse> {
  const [owners, tz] = await Promise.all([crm.owners(), resolveTimeZone(crm, input.viewAsUserId)]);
  const owner = owners.find((o) => o.userId === input.viewAsUserId && !o.archived);
  const me: MeResponse = { ...input, ownerId: owner?.id ?? null, timeZone: tz.timeZone };
  // A zone that is a fallback because HubSpot failed makes the answer partial (asking again may give the user's own).
  if (tz.failed) Object.assign(me, { partial: true as const });
  return tz.warnings.length ? Object.assign(me, { warnings: tz.warnings }) : me;
}
