// The one reading of HubSpot property values. Every value arrives as a string or null
// (`SimplePublicObject.properties`); services convert with these, never with their own
// Date.parse / Number / === 'true'. An empty string means the property is not set.

/** A raw property value as HubSpot sends it. */
export type RawValue = string | null | undefined;

/** What a property holds once read: a converted value, or null when it is not set. */
export type ReadValue = string | number | boolean | null;

const EPOCH_MS = /^\d+$/;

/** The value itself, or null when HubSpot sent nothing or an empty string. */
export function readString(v: RawValue): string | null {
  return v === null || v === undefined || v === '' ? null : v;
}

/** A datetime as epoch ms, from an epoch-ms string or an ISO-8601 string; null when blank or unreadable. */
export function readDatetime(v: RawValue): number | null {
  if (v === null || v === undefined || v === '') return null;
  if (EPOCH_MS.test(v)) return Number(v);
  const ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * A date property as epoch ms: HubSpot stores it as midnight UTC and sends it as that epoch-ms
 * string or as `YYYY-MM-DD` (which ISO reads as midnight UTC); null when blank or unreadable.
 */
export function readDate(v: RawValue): number | null {
  return readDatetime(v);
}

/** A number property; null when blank or not a number. */
export function readNumber(v: RawValue): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * A boolean property: `"true"` (and the `"1"` some engagement flags use) is true, any other
 * value is false; null when blank.
 */
export function readBoolean(v: RawValue): boolean | null {
  if (v === null || v === undefined || v === '') return null;
  return v === 'true' || v === '1';
}

/** The options of a multiple-checkbox enumeration (`"a;b;c"`), blanks dropped; [] when blank. */
export function readMultiSelect(v: RawValue): string[] {
  if (v === null || v === undefined || v === '') return [];
  return v
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * A value read by its property definition's `type` (number, bool, date, datetime); other types
 * (string, enumeration, phone_number, …) stay strings. Undefined when the record has no such property.
 */
export function readValue(v: RawValue, type: string | undefined): ReadValue | undefined {
  if (v === undefined) return undefined;
  switch (type) {
    case 'number':
      return readNumber(v);
    case 'bool':
    case 'boolean':
      return readBoolean(v);
    case 'date':
      return readDate(v);
    case 'datetime':
      return readDatetime(v);
    default:
      return readString(v);
  }
}
