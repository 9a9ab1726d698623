import type { PropertyValue } from './record';

// Property filters with the CRM search API's operators, evaluated locally on converted values.

export const FILTER_OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export type FilterOperand = string | number | boolean;

export type PropertyFilter = {
  propertyName: string;
  operator: FilterOperator;
  value?: FilterOperand;
  values?: FilterOperand[];
  highValue?: FilterOperand;
};

type Present = string | number | boolean;

export function isMissing(value: PropertyValue | undefined): value is null | undefined {
  return value === null || value === undefined || value === '';
}

function asNumber(operand: FilterOperand): number | null {
  if (typeof operand === 'number') return Number.isFinite(operand) ? operand : null;
  if (typeof operand === 'boolean') return null;
  const trimmed = operand.trim();
  if (trimmed === '') return null;
  const n = Number(trimmed);
  if (Number.isFinite(n)) return n;
  // Dates arrive converted to epoch ms; a filter may still say "2026-01-31".
  const parsed = Date.parse(trimmed);
  return Number.isNaN(parsed) ? null : parsed;
}

/** Negative, zero or positive like a comparator; null when the two cannot be compared. */
function compare(value: Present, operand: FilterOperand): number | null {
  if (typeof value === 'number') {
    const n = asNumber(operand);
    return n === null ? null : value - n;
  }
  const left = String(value).toLowerCase();
  const right = String(operand).toLowerCase();
  if (typeof value === 'string') {
    const ln = Number(value);
    const rn = asNumber(operand);
    if (value.trim() !== '' && Number.isFinite(ln) && rn !== null) return ln - rn;
  }
  return left < right ? -1 : left > right ? 1 : 0;
}

// Values compare case-insensitively (HubSpot does so except for enumerations, whose
// internal values are chosen from the property's options, so folding case loses nothing).
function equals(value: Present, operand: FilterOperand): boolean {
  return compare(value, operand) === 0;
}

const tokenSeparators = /[\s;,]+/;

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`, 'i');
}

function containsToken(value: Present, operand: FilterOperand | undefined): boolean {
  if (operand === undefined) return false;
  const text = String(value);
  const pattern = globToRegExp(String(operand).trim());
  if (pattern.test(text)) return true;
  return text.split(tokenSeparators).some((token) => token !== '' && pattern.test(token));
}

type Test = (value: Present, filter: PropertyFilter) => boolean;

const tests: Record<Exclude<FilterOperator, 'HAS_PROPERTY' | 'NOT_HAS_PROPERTY'>, Test> = {
  EQ: (v, f) => f.value !== undefined && equals(v, f.value),
  NEQ: (v, f) => f.value !== undefined && !equals(v, f.value),
  LT: (v, f) => f.value !== undefined && (compare(v, f.value) ?? 0) < 0,
  LTE: (v, f) => f.value !== undefined && (compare(v, f.value) ?? 1) <= 0,
  GT: (v, f) => f.value !== undefined && (compare(v, f.value) ?? 0) > 0,
  GTE: (v, f) => f.value !== undefined && (compare(v, f.value) ?? -1) >= 0,
  BETWEEN: (v, f) =>
    f.value !== undefined && f.highValue !== undefined && (compare(v, f.value) ?? -1) >= 0 && (compare(v, f.highValue) ?? 1) <= 0,
  IN: (v, f) => (f.values ?? []).some((operand) => equals(v, operand)),
  NOT_IN: (v, f) => !(f.values ?? []).some((operand) => equals(v, operand)),
  CONTAINS_TOKEN: (v, f) => containsToken(v, f.value),
  NOT_CONTAINS_TOKEN: (v, f) => !containsToken(v, f.value),
};

export type FilterOutcome = { matched: boolean; missing: boolean };

/** Evaluates one filter; a missing value matches only NOT_HAS_PROPERTY. */
export function evaluateFilter(filter: PropertyFilter, value: PropertyValue | undefined): FilterOutcome {
  const missing = isMissing(value);
  if (filter.operator === 'HAS_PROPERTY') return { matched: !missing, missing };
  if (filter.operator === 'NOT_HAS_PROPERTY') return { matched: missing, missing };
  if (missing) return { matched: false, missing };
  return { matched: tests[filter.operator](value, filter), missing };
}

export type FilterGroups = { filterGroups: { filters: PropertyFilter[] }[] };

/** Search-API semantics: filters in a group are ANDed, groups are ORed; no groups = everyone. */
export function matchesFilterGroups(
  segment: FilterGroups | null | undefined,
  properties: Readonly<Record<string, PropertyValue | undefined>>,
): boolean {
  if (!segment || segment.filterGroups.length === 0) return true;
  return segment.filterGroups.some((group) =>
    group.filters.every((filter) => evaluateFilter(filter, properties[filter.propertyName]).matched),
  );
}
