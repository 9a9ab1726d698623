// Which HubSpot scope each gateway call needs (reference hubspot-crm-data.md: engagement reads
// ride on the contacts scope; tickets have the legacy `tickets` scope). app-hsmeta.json must ask
// for exactly these (tests/hubspot-project/scopes.test.ts); optional ones may be declined.
import type { PortalCrm } from './gateway';

/** The read scope of each CRM object type Tiller reads. */
export const OBJECT_READ_SCOPES = {
  contacts: 'crm.objects.contacts.read',
  companies: 'crm.objects.companies.read',
  deals: 'crm.objects.deals.read',
  tickets: 'tickets',
  leads: 'crm.objects.leads.read',
  // HubSpot's services API reference ("Scope requirements": crm.objects.services.read)
  services: 'crm.objects.services.read',
  calls: 'crm.objects.contacts.read',
  emails: 'crm.objects.contacts.read',
  meetings: 'crm.objects.contacts.read',
  notes: 'crm.objects.contacts.read',
  tasks: 'crm.objects.contacts.read',
} as const satisfies Record<string, string>;
export type ReadObjectType = keyof typeof OBJECT_READ_SCOPES;

type GatewayMethod = Exclude<keyof PortalCrm, 'portalId'>;

/** Every gateway method and the scopes its calls need (per object type where it takes one). */
export const GATEWAY_SCOPES: Record<GatewayMethod, 'per-object-type' | readonly string[]> = {
  owners: ['crm.objects.owners.read'],
  users: ['crm.objects.users.read'],
  userAccess: ['settings.users.read'],
  // The Uninstall App API and account details need only the app's `oauth` scope.
  uninstallApp: ['oauth'],
  account: ['oauth'],
  pipelines: 'per-object-type',
  properties: 'per-object-type',
  search: 'per-object-type',
  scan: 'per-object-type',
  scanPage: 'per-object-type',
  listPage: 'per-object-type',
  associationPairs: 'per-object-type',
  batchRead: 'per-object-type',
  associations: 'per-object-type',
  getRecord: 'per-object-type',
  // Tiller writes tasks only (the Actions tab, the Tasks card); engagement writes ride on the
  // contacts write scope, as their reads ride on the read one (reference hubspot-crm-data.md, tasks search
  // scopes; the sandbox asks the same).
  createRecord: ['crm.objects.contacts.write'],
  batchUpdate: ['crm.objects.contacts.write'],
  batchArchive: ['crm.objects.contacts.write'],
  // HubSpot's sequences guide, "Scope requirements": automation.sequences.read for every endpoint.
  contactEnrollment: ['automation.sequences.read'],
  sequences: ['automation.sequences.read'],
};

/** Scopes a portal may decline; the features that need them say so instead of failing. */
export const OPTIONAL_SCOPES = {
  'crm.objects.services.read':
    'Services (customers\' service records, health profiles on services) need the "crm.objects.services.read" permission; a HubSpot super admin can grant it by reinstalling Tiller.',
  'automation.sequences.read':
    'Sequence tasks grouped by sequence need the "automation.sequences.read" permission (and a Sales Hub or Service Hub Professional or Enterprise seat); a HubSpot super admin can grant it by reinstalling Tiller.',
  'crm.objects.leads.read':
    'Leads in guided actions and the prospecting view need the "crm.objects.leads.read" permission; a HubSpot super admin can grant it by reinstalling Tiller.',
} as const satisfies Record<string, string>;

/** Every scope the gateway's calls can need. */
export function scopesTheGatewayNeeds(): Set<string> {
  const out = new Set<string>();
  for (const s of Object.values(GATEWAY_SCOPES)) {
    for (const scope of s === 'per-object-type' ? Object.values(OBJECT_READ_SCOPES) : s) out.add(scope);
  }
  return out;
}

/** Required scopes: every needed scope that is not optional. */
export function requiredScopes(): string[] {
  return [...scopesTheGatewayNeeds()].filter((s) => !(s in OPTIONAL_SCOPES)).sort();
}

export function optionalScopes(): string[] {
  return Object.keys(OPTIONAL_SCOPES).sort();
}
