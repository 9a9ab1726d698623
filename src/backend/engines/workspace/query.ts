import type { WorkspaceSort } from '../../contract/workspace';
import { evaluateFilter, type PropertyFilter } from '../health/operators';
import type { PropertyValue } from '../health/record';

// Filter, sort and page one object workspace's records (Customers, Services, Revenue): plain
// records in, a page out. The service reads the copy and converts values; nothing here reads a
// clock or the database.

export const DAY_MS = 86_400_000;

/** One record as the workspace reads it, values already converted (dates as epoch ms). */
export type WorkspaceRecord = {
  id: string;
  name: string;
  /** The CSM (or owner) property's value: an owner id, or null when unassigned. */
  csm: string | null;
  createdAt: number | null;
  lastActivityAt: number | null;
  /** When the CSM property was last set, when known. */
  assignedAt: number | null;
  renewalAt: number | null;
  properties: Readonly<Record<string, PropertyValue | undefined>>;
};

/** A time range, from inclusive, to exclusive (epoch ms). */
export type TimeRange = { from?: number; to?: number };

/** Filters with every relative part resolved ("me" → an owner id, days → instants). */
export type ResolvedFilters = {
  /** An owner id; null: unassigned records only. Absent: anyone's. */
  owner?: string | null;
  createdAt?: TimeRange;
  lastActivityAt?: TimeRange;
  assignedAt?: TimeRange;
  properties?: PropertyFilter[];
};

/** Why a record is or is not in a view: the failed condition, or null when it matched. */
export type Mismatch = 'owner' | 'createdAt' | 'lastActivityAt' | 'assignedAt' | { property: string };

function inRange(value: number | null, range: TimeRange | undefined): boolean {
  if (!range) return true;
  if (value === null) return false;
  return (range.from === undefined || value >= range.from) && (range.to === undefined || value < range.to);
}

/** The first condition a record fails, or null when it matches every filter. */
export function mismatch(r: WorkspaceRecord, f: ResolvedFilters): Mismatch | null {
  if (f.owner !== undefined && r.csm !== f.owner) return 'owner';
  if (!inRange(r.createdAt, f.createdAt)) return 'createdAt';
  if (!inRange(r.lastActivityAt, f.lastActivityAt)) return 'lastActivityAt';
  if (!inRange(r.assignedAt, f.assignedAt)) return 'assignedAt';
  for (const p of f.properties ?? []) {
    if (!evaluateFilter(p, r.properties[p.propertyName]).matched) return { property: p.propertyName };
  }
  return null;
}

export function matches(r: WorkspaceRecord, f: ResolvedFilters): boolean {
  return mismatch(r, f) === null;
}

type SortValue = string | number | boolean | null;

/** The sort fields every workspace has; any other name sorts on that property. */
const FIELDS: Record<string, (r: WorkspaceRecord) => SortValue> = {
  name: (r) => r.name.toLowerCase(),
  createdate: (r) => r.createdAt,
  lastActivity: (r) => r.lastActivityAt,
  owner: (r) => r.csm,
  renewalDate: (r) => r.renewalAt,
  assignedAt: (r) => r.assignedAt,
};

/**
 * A record's value in a sort. `ranks` orders a property's values otherwise than as text: a stage
 * sorts in its pipeline's order (HubSpot's board order), not by its id; a value it does not rank
 * (a stage of a hidden pipeline) sorts after the ranked ones.
 */
export function sortValue(r: WorkspaceRecord, property: string, ranks?: ReadonlyMap<string, number>): SortValue {
  const field = FIELDS[property];
  if (field) return field(r);
  const v = r.properties[property];
  if (v === undefined || v === '') return null;
  if (ranks) return ranks.get(String(v)) ?? ranks.size;
  return typeof v === 'string' ? v.toLowerCase() : v;
}

/** Ascending order of two present values: numbers numerically, the rest as text. */
function compareValues(a: Exclude<SortValue, null>, b: Exclude<SortValue, null>): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Record ids are integers: compare them as such so the order is stable and numeric. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Position key of a record in a sort: its value and id. Empty values sort last either way. */
export type SortKey = { v: SortValue; id: string };

export function compareKeys(a: SortKey, b: SortKey, direction: 'ASC' | 'DESC'): number {
  if (a.v === null || b.v === null) {
    if (a.v !== b.v) return a.v === null ? 1 : -1;
  } else {
    const c = compareValues(a.v, b.v);
    if (c !== 0) return direction === 'ASC' ? c : -c;
  }
  return compareIds(a.id, b.id);
}

export const DEFAULT_SORT: WorkspaceSort = { property: 'name', direction: 'ASC' };

export type PageRequest = {
  sort: WorkspaceSort;
  after?: SortKey;
  limit: number;
  /** The sort property's values in their order, when it is not the text's (stages: see sortValue). */
  ranks?: ReadonlyMap<string, number>;
};
export type Page = { records: WorkspaceRecord[]; total: number; next?: SortKey };

/**
 * The records matching `filters`, sorted, from just after `after` (keyset paging: a page stays
 * right when records are added or removed between requests), and the total that matched.
 */
export function queryRecords(records: readonly WorkspaceRecord[], filters: ResolvedFilters, req: PageRequest): Page {
  const { property, direction } = req.sort;
  const keyed = records.filter((r) => matches(r, filters)).map((r) => ({ r, k: { v: sortValue(r, property, req.ranks), id: r.id } }));
  keyed.sort((a, b) => compareKeys(a.k, b.k, direction));
  let start = 0;
  if (req.after) {
    const after = req.after;
    let lo = 0;
    let hi = keyed.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareKeys(keyed[mid]!.k, after, direction) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const slice = keyed.slice(start, start + req.limit);
  const page: Page = { records: slice.map((x) => x.r), total: keyed.length };
  if (start + req.limit < keyed.length && slice.length > 0) page.next = slice.at(-1)!.k;
  return page;
}

/** How many records each set of filters holds (the counts beside the view picker). */
export function countMatches(records: readonly WorkspaceRecord[], filters: readonly ResolvedFilters[]): number[] {
  const counts = filters.map(() => 0);
  for (const r of records) {
    filters.forEach((f, i) => {
      if (matches(r, f)) counts[i]! += 1;
    });
  }
  return counts;
}
