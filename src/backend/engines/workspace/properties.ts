import type { WorkspaceFilterOperator } from '../../contract/workspace';

// How the workspaces read HubSpot property definitions: which ones hold a user, which a date,
// and which filter operators each type takes.

/** A property definition as the copy stores it (crm PropertyDefinition, plus what HubSpot may add). */
export type PropertyDef = {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  options?: { label: string; value: string; hidden?: boolean }[];
  /** HubSpot sets "OWNER" on user-type properties ("HubSpot user" field type). */
  referencedObjectType?: string;
  externalOptions?: boolean;
  /** HubSpot computes the value or forbids writing it: no inline edit. */
  readOnly?: boolean;
};

/**
 * A "HubSpot user" property: HubSpot describes it as type `enumeration`, field type `select`,
 * `referencedObjectType: "OWNER"` (its options are the portal's owners, so `externalOptions`).
 * hubspot_owner_id is one on every object, whether or not the definition says so.
 */
export function isUserProperty(d: PropertyDef): boolean {
  if (d.type !== 'enumeration') return false;
  return d.name === 'hubspot_owner_id' || d.referencedObjectType?.toUpperCase() === 'OWNER';
}

/** A date or date-time property. */
export function isDateProperty(d: PropertyDef): boolean {
  return d.type === 'date' || d.type === 'datetime';
}

/** The filter kind of a property: its operators depend on it. */
export type PropertyKind = 'number' | 'date' | 'bool' | 'enumeration' | 'user' | 'string';

export function kindOf(d: Pick<PropertyDef, 'type' | 'name' | 'referencedObjectType'>): PropertyKind {
  if (isUserProperty({ ...d, label: '', fieldType: '' })) return 'user';
  switch (d.type) {
    case 'number':
      return 'number';
    case 'date':
    case 'datetime':
      return 'date';
    case 'bool':
    case 'boolean':
      return 'bool';
    case 'enumeration':
      return 'enumeration';
    default:
      return 'string';
  }
}

const PRESENCE: WorkspaceFilterOperator[] = ['HAS_PROPERTY', 'NOT_HAS_PROPERTY'];

/** HubSpot's search operators each kind of property accepts (the CRM search API's rules). */
export const OPERATORS_BY_KIND: Record<PropertyKind, WorkspaceFilterOperator[]> = {
  number: ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', ...PRESENCE],
  date: ['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', ...PRESENCE],
  bool: ['EQ', 'NEQ', ...PRESENCE],
  enumeration: ['EQ', 'NEQ', 'IN', 'NOT_IN', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN', ...PRESENCE],
  user: ['EQ', 'NEQ', 'IN', 'NOT_IN', ...PRESENCE],
  string: ['EQ', 'NEQ', 'IN', 'NOT_IN', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN', ...PRESENCE],
};
