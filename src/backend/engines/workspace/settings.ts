import type { CustomersSettings } from '../../contract/workspace';
import { isDateProperty, isUserProperty, type PropertyDef } from './properties';

export type FieldError = { field: string; issue: string };

/** The objects a customer can be: companies, contacts or a custom object (its type id 2-…). */
export function isCustomerObjectType(objectType: string): boolean {
  return objectType === 'companies' || objectType === 'contacts' || /^2-\d+$/.test(objectType);
}

/**
 * Checks a customers section against the chosen object's property definitions (CS-SET-1): the
 * CSM property must be a user property of that object, the renewal date a date property.
 * Returns one error per bad field; none when the choice is valid.
 */
export function validateCustomersSettings(s: CustomersSettings, definitions: readonly PropertyDef[] | null): FieldError[] {
  if (!isCustomerObjectType(s.objectType)) {
    return [{ field: 'customers.objectType', issue: 'must be companies, contacts or a custom object (2-…)' }];
  }
  if (definitions === null || definitions.length === 0) {
    return [{ field: 'customers.objectType', issue: `no properties are known for ${s.objectType}: is it an object of this portal?` }];
  }
  const errors: FieldError[] = [];
  const csm = definitions.find((d) => d.name === s.csmProperty);
  if (!csm) errors.push({ field: 'customers.csmProperty', issue: `${s.objectType} has no property "${s.csmProperty}"` });
  else if (!isUserProperty(csm)) errors.push({ field: 'customers.csmProperty', issue: `"${csm.label}" is not a HubSpot user property` });
  if (s.renewalDateProperty !== null) {
    const renewal = definitions.find((d) => d.name === s.renewalDateProperty);
    if (!renewal)
      errors.push({ field: 'customers.renewalDateProperty', issue: `${s.objectType} has no property "${s.renewalDateProperty}"` });
    else if (!isDateProperty(renewal))
      errors.push({ field: 'customers.renewalDateProperty', issue: `"${renewal.label}" is not a date property` });
  }
  return errors;
}
