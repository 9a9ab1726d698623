// The Customer Success settings as far as the copy needs them (CS-SET-1): which object holds the
// customers and which of its properties the Customers tab reads, so the copy holds them too.
// Kept here (sync sits below services) so the sync and the services read one definition.
import { z } from 'zod';

/** portal_settings key of the customers section; migration 010's trigger reads it too. */
export const CUSTOMERS_SETTING = 'cs.customers';

export const DEFAULT_CUSTOMER_OBJECT = 'companies';
export const DEFAULT_CSM_PROPERTY = 'hubspot_owner_id';

export const customersSettingSchema = z.object({
  objectType: z.string().min(1),
  csmProperty: z.string().min(1),
  renewalDateProperty: z.string().min(1).nullable(),
});
export type CustomersSetting = z.infer<typeof customersSettingSchema>;

export const DEFAULT_CUSTOMERS_SETTING: CustomersSetting = {
  objectType: DEFAULT_CUSTOMER_OBJECT,
  csmProperty: DEFAULT_CSM_PROPERTY,
  renewalDateProperty: null,
};

/** The stored section, or the defaults when it was never saved (or cannot be read). */
export function readCustomersSetting(stored: unknown): CustomersSetting {
  const parsed = customersSettingSchema.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_CUSTOMERS_SETTING;
}

/**
 * Properties of the customer object the workspace reads beyond what the copy already holds:
 * the CSM and renewal properties, HubSpot's owner assignment date and last activity (standard
 * properties of companies, contacts and custom objects alike).
 */
export function customerCopyProperties(s: CustomersSetting): string[] {
  const props = new Set([s.csmProperty, 'hubspot_owner_assigneddate', 'notes_last_updated', 'notes_last_contacted']);
  if (s.renewalDateProperty) props.add(s.renewalDateProperty);
  return [...props].sort();
}

/**
 * portal_settings key: per object type, the properties health profiles read ({ companies: [...] }),
 * written by the health service when a profile is stored; the copy holds them too.
 */
export const HEALTH_PROPERTIES_SETTING = 'health.copyProperties';

/** The stored per-type lists, or none when never saved (or unreadable). */
export function readHealthProperties(stored: unknown): Record<string, string[]> {
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return {};
  const out: Record<string, string[]> = {};
  for (const [type, list] of Object.entries(stored as Record<string, unknown>))
    if (Array.isArray(list)) out[type] = list.filter((p): p is string => typeof p === 'string' && p.length > 0);
  return out;
}
