// CRM search: POST /crm/v3/objects/{type}/search — reference hubspot-crm-data.md §3.1 and
// hubspot-platform.md §4.2. Candidate sets come from per-property indexes and association
// adjacency maps; every filter is then checked on the candidates only.
import { isComputed, propertyNames, shapeProperties, valueOf } from './records';
import { toMs, ValidationError, type Portal, type Props, type Rec, type SortIndex, type SortKeyOf, type TypeStore } from './store';
import { resolveObjectType } from './object-types';
import { QUERY_PROPERTIES } from './catalog';

export const OPERATORS = [
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
type Operator = (typeof OPERATORS)[number];
type Filter = { propertyName: string; operator: Operator; value?: string; values?: string[]; highValue?: string };

export const SEARCH_LIMITS = { groups: 5, perGroup: 6, total: 18, maxLimit: 200, cap: 10_000, queryChars: 3000 } as const;

function bad(message: string): ValidationError {
  return new ValidationError(message);
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw bad(`Invalid filter value ${JSON.stringify(v)}: filter values are strings`);
}

type Compiled = { f: Filter; test: (r: Rec, props: Props) => boolean; candidates?: () => Set<Rec> | Rec[] };

/** Runs a search request body against one portal and returns the response JSON. */
export function runSearch(p: Portal, ts: TypeStore, body: unknown, now: number): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw bad('Invalid input JSON: expected a search request object');
  const b = body as Record<string, unknown>;
  const groupsRaw = b.filterGroups ?? [];
  if (!Array.isArray(groupsRaw)) throw bad('filterGroups must be an array');
  // reference §3.1 limits: 5 groups, 6 filters per group, 18 filters in all → VALIDATION_ERROR
  if (groupsRaw.length > SEARCH_LIMITS.groups)
    throw bad(`Too many filter groups: ${groupsRaw.length}. The maximum number of filter groups is ${SEARCH_LIMITS.groups}.`);
  let total = 0;
  const groups: Filter[][] = groupsRaw.map((g: unknown, gi: number) => {
    const fs = (g as { filters?: unknown })?.filters ?? [];
    if (!Array.isArray(fs)) throw bad(`filterGroups[${gi}].filters must be an array`);
    if (fs.length > SEARCH_LIMITS.perGroup)
      throw bad(
        `Too many filters in filter group ${gi}: ${fs.length}. The maximum number of filters per group is ${SEARCH_LIMITS.perGroup}.`,
      );
    total += fs.length;
    return fs.map((f: unknown) => parseFilter(f));
  });
  if (total > SEARCH_LIMITS.total)
    throw bad(`Too many filters: ${total}. The maximum number of filters across all filter groups is ${SEARCH_LIMITS.total}.`);

  const query = b.query === undefined || b.query === null ? undefined : String(b.query);
  if (query !== undefined && query.length > SEARCH_LIMITS.queryChars)
    throw bad(`query is too long: the maximum length is ${SEARCH_LIMITS.queryChars} characters`);

  const limit = b.limit === undefined || b.limit === null ? 10 : Number(b.limit);
  if (!Number.isInteger(limit) || limit < 0) throw bad(`Invalid limit ${JSON.stringify(b.limit)}: must be a non-negative integer`);
  if (limit > SEARCH_LIMITS.maxLimit) throw bad(`limit ${limit} is over the maximum page size of ${SEARCH_LIMITS.maxLimit}`);
  let after = 0;
  if (b.after !== undefined && b.after !== null && b.after !== '') {
    const a = String(b.after);
    if (!/^\d+$/.test(a)) throw bad(`Invalid after value "${a}": after must be an integer string`);
    after = Number(a);
  }
  // reference §3.1: at most 10,000 results per query; paging past it returns 400
  if (after >= SEARCH_LIMITS.cap)
    throw bad(`Cannot page past ${SEARCH_LIMITS.cap} results. Narrow the search with filters (e.g. on hs_object_id or a date).`);

  const sortsRaw = b.sorts ?? [];
  if (!Array.isArray(sortsRaw)) throw bad('sorts must be an array');
  if (sortsRaw.length > 1) throw bad('Only one sort is allowed per search request.');
  let sort: { prop: string; desc: boolean } | undefined;
  if (sortsRaw.length === 1) {
    const s = sortsRaw[0] as unknown;
    if (typeof s === 'string') sort = s.startsWith('-') ? { prop: s.slice(1), desc: true } : { prop: s, desc: false };
    else if (s && typeof s === 'object' && typeof (s as { propertyName?: unknown }).propertyName === 'string') {
      const dir = (s as { direction?: unknown }).direction ?? 'ASCENDING';
      if (dir !== 'ASCENDING' && dir !== 'DESCENDING')
        throw bad(`Invalid sort direction ${JSON.stringify(dir)}: use ASCENDING or DESCENDING`);
      sort = { prop: (s as { propertyName: string }).propertyName, desc: dir === 'DESCENDING' };
    } else throw bad('Invalid sort: expected {propertyName, direction}');
  }
  const propsRaw = b.properties ?? [];
  if (!Array.isArray(propsRaw)) throw bad('properties must be an array of property names');
  const properties = propsRaw.map(String);

  // candidates per group, OR across groups
  const compiledGroups = groups.map((g) => g.map((f) => compile(p, ts, f, now)));
  const matched: Rec[] = [];
  const views = new Map<Rec, Props>();
  const seen = new Set<Rec>();
  const visibleProps = (r: Rec): Props | undefined => {
    if (r.visibleAt !== undefined && r.visibleAt > now && r.searchView !== undefined) {
      if (r.searchView === null || r.searchView.archived) return undefined;
      return r.searchView.props;
    }
    if (r.visibleAt !== undefined && r.visibleAt <= now) {
      r.visibleAt = undefined;
      r.searchView = undefined;
      ts.pending.delete(r);
    }
    return r.archived ? undefined : r.props;
  };
  const consider = (r: Rec, group: Compiled[]) => {
    if (seen.has(r)) return;
    const props = visibleProps(r);
    if (!props) return;
    // Seen through the index's older view: its modification date is the view's too, as in HubSpot's index.
    const seenAs = props !== r.props && r.searchView ? { ...r, props, updatedAt: r.searchView.updatedAt } : r;
    for (const c of group) if (!c.test(seenAs, props)) return;
    if (query !== undefined && query !== '' && !matchesQuery(p, ts, r, props, query, now)) return;
    seen.add(r);
    matched.push(r);
    if (props !== r.props) views.set(r, props);
  };
  const effective = compiledGroups.length ? compiledGroups : [[]];
  for (const group of effective) {
    // smallest indexable candidate set, else a scan of the type
    let best: Set<Rec> | Rec[] | undefined;
    for (const c of group) {
      if (!c.candidates) continue;
      const s = c.candidates();
      const size = Array.isArray(s) ? s.length : s.size;
      if (!best || size < (Array.isArray(best) ? best.length : best.size)) best = s;
    }
    for (const r of best ?? ts.byId.values()) consider(r, group);
    if (best) for (const r of ts.pending) consider(r, group);
  }

  // one sort; default: oldest created first (reference §3.1)
  const matchCount = matched.length;
  const end = Math.min(after + limit, matchCount, SEARCH_LIMITS.cap);
  let page: Rec[];
  const indexed = views.size === 0 && matchCount > INDEX_MIN && end > after ? indexedSort(p, ts, sort?.prop) : undefined;
  const idx = indexed && ts.sortIndex(indexed[0], indexed[1]);
  if (end <= after)
    page = []; // e.g. limit 0: only `total` is sent
  else if (idx) page = pageFromIndex(idx, seen, matched, after, end, sort?.desc ?? false);
  else {
    const keyed = matched.map((r) => {
      const props = views.get(r) ?? r.props;
      let key: number | string | undefined;
      if (sort) {
        const v = valueOf(p, ts, r, sort.prop, now, props);
        key = v == null || v === '' ? undefined : sortKey(ts, sort.prop, v);
      } else key = r.createdAt;
      return { r, key, n: Number(r.id) };
    });
    const dir = sort?.desc ? -1 : 1;
    keyed.sort((a, b2) => {
      if (a.key === undefined || b2.key === undefined) {
        if (a.key === b2.key) return a.n - b2.n;
        return a.key === undefined ? 1 : -1; // missing values last in both directions
      }
      if (a.key < b2.key) return -dir;
      if (a.key > b2.key) return dir;
      return a.n - b2.n;
    });
    page = keyed.slice(after, Math.max(after, end)).map((k) => k.r);
  }

  const names = propertyNames(ts, properties);
  const results = page.map((r) => {
    const props = views.get(r);
    const shaped = shapeProperties(
      p,
      ts,
      props ? { ...r, props, updatedAt: r.searchView?.updatedAt ?? r.updatedAt } : r,
      properties,
      now,
      names,
    );
    const rec: Record<string, unknown> = {
      id: r.id,
      properties: shaped,
      createdAt: new Date(r.createdAt).toISOString(),
      updatedAt: new Date(props && r.searchView ? r.searchView.updatedAt : r.updatedAt).toISOString(),
      archived: false,
    };
    return rec;
  });
  const out: Record<string, unknown> = { total: matchCount, results };
  if (end < matchCount && end < SEARCH_LIMITS.cap && limit > 0) out.paging = { next: { after: String(end) } };
  return out;
}

/** Below this many matches, sorting them is as cheap as walking an index. */
const INDEX_MIN = 256;

/**
 * The sort order of a search as a per-type index (name, key function), when the key depends only on
 * the record: stored properties, the created/modified dates, hs_object_id, and the default order
 * (created date). Computed properties that depend on the clock, associations or pipelines are sorted
 * per search.
 */
function indexedSort(p: Portal, ts: TypeStore, prop: string | undefined): [string, SortKeyOf] | undefined {
  if (prop === undefined) return ['\0created', (r) => r.createdAt];
  const t = ts.info;
  const type = ts.props.get(prop)?.type;
  if ((prop === t.createdProp || prop === t.modifiedProp) && (type === 'datetime' || type === 'date')) {
    // sortKey(iso(ms)) is ms itself
    return prop === t.createdProp ? [prop, (r) => r.createdAt] : [prop, (r) => r.updatedAt];
  }
  if (prop === 'hs_object_id' || prop === t.createdProp || prop === t.modifiedProp || (ts.props.has(prop) && !isComputed(ts, prop))) {
    return [
      prop,
      (r) => {
        const v = valueOf(p, ts, r, prop, 0);
        return v == null || v === '' ? undefined : sortKey(ts, prop, v);
      },
    ];
  }
  return undefined;
}

/**
 * The page [after, end) of the matches (`seen`) in index order: ascending (key, id), or descending
 * key with ties by ascending id; matches without a value last, by id. Walks the index only as far
 * as the page needs.
 */
function pageFromIndex(idx: SortIndex, seen: Set<Rec>, matched: Rec[], after: number, end: number, desc: boolean): Rec[] {
  const out: Rec[] = [];
  let pos = 0;
  const take = (r: Rec): boolean => {
    if (seen.has(r)) {
      if (pos >= after) out.push(r);
      pos++;
    }
    return pos >= end;
  };
  const { recs, keys } = idx;
  if (!desc) {
    for (const r of recs) if (take(r)) return out;
  } else {
    for (let i = recs.length - 1; i >= 0;) {
      let j = i;
      while (j > 0 && keys[j - 1] === keys[i]) j--;
      for (let k = j; k <= i; k++) if (take(recs[k]!)) return out;
      i = j - 1;
    }
  }
  const missing = matched.filter((r) => idx.keyOf(r) === undefined).sort((a, b) => Number(a.id) - Number(b.id));
  for (const r of missing) if (take(r)) return out;
  return out;
}

function sortKey(ts: TypeStore, prop: string, v: string): number | string {
  const type = ts.props.get(prop)?.type ?? (prop === 'hs_object_id' ? 'number' : undefined);
  if (type === 'number') return Number(v);
  if (type === 'datetime' || type === 'date') return toMs(v) ?? v;
  return v.toLowerCase();
}

function parseFilter(raw: unknown): Filter {
  if (!raw || typeof raw !== 'object') throw bad('Invalid filter: expected {propertyName, operator, value}');
  const f = raw as Record<string, unknown>;
  if (typeof f.propertyName !== 'string' || !f.propertyName) throw bad('Invalid filter: propertyName is required');
  const op = f.operator ?? 'EQ';
  if (!OPERATORS.includes(op as Operator))
    throw bad(`Invalid filter operator ${JSON.stringify(op)} on ${f.propertyName}. Valid operators: ${OPERATORS.join(', ')}`);
  const out: Filter = { propertyName: f.propertyName, operator: op as Operator, value: str(f.value), highValue: str(f.highValue) };
  if (f.values !== undefined && f.values !== null) {
    if (!Array.isArray(f.values)) throw bad(`values must be an array on ${f.propertyName}`);
    out.values = f.values.map((v) => str(v)!);
  }
  const needs = (cond: boolean, what: string) => {
    if (!cond) throw bad(`Operator ${out.operator} on ${out.propertyName} requires ${what}`);
  };
  switch (out.operator) {
    case 'IN':
    case 'NOT_IN':
      needs(!!out.values && out.values.length > 0, '"values"');
      break;
    case 'BETWEEN':
      needs(out.value !== undefined && out.highValue !== undefined, '"value" and "highValue"');
      break;
    case 'HAS_PROPERTY':
    case 'NOT_HAS_PROPERTY':
      break;
    default:
      needs(out.value !== undefined, '"value"');
  }
  return out;
}

function compile(p: Portal, ts: TypeStore, f: Filter, now: number): Compiled {
  const name = f.propertyName;
  // associations.<singular object> pseudo-properties (reference §1.7)
  if (name.startsWith('associations.')) {
    const other = resolveObjectType(name.slice('associations.'.length));
    if (!other || other.custom)
      throw bad(`Invalid property "${name}": associations search supports standard objects only (e.g. associations.contact)`);
    const idsOf = (ids: string[]) => {
      const s = new Set<Rec>();
      for (const id of ids)
        for (const toId of p.assocTargets(other.name, id, ts.info.name, now)) {
          const r = ts.byId.get(toId);
          if (r) s.add(r);
        }
      return s;
    };
    // as of `now`: association changes reach search after the indexing delay too
    const has = (r: Rec, ids: string[]) => p.associatedWithAny(ts.info.name, r.id, other.name, ids, now);
    switch (f.operator) {
      case 'EQ':
        return { f, test: (r) => has(r, [f.value!]), candidates: () => idsOf([f.value!]) };
      case 'IN':
        return { f, test: (r) => has(r, f.values!), candidates: () => idsOf(f.values!) };
      case 'NEQ':
        return { f, test: (r) => !has(r, [f.value!]) };
      case 'NOT_IN':
        return { f, test: (r) => !has(r, f.values!) };
      case 'HAS_PROPERTY':
        return { f, test: (r) => p.assocCount(ts.info.name, r.id, other.name, now) > 0 };
      case 'NOT_HAS_PROPERTY':
        return { f, test: (r) => p.assocCount(ts.info.name, r.id, other.name, now) === 0 };
      default:
        throw bad(`Operator ${f.operator} is not supported on ${name}`);
    }
  }
  const def = ts.props.get(name);
  const type =
    def?.type ??
    (name === 'hs_object_id' ? 'number' : name === ts.info.createdProp || name === ts.info.modifiedProp ? 'datetime' : 'string');
  if (!def && !['hs_object_id', ts.info.createdProp, ts.info.modifiedProp].includes(name)) {
    throw bad(`There was a problem with the request. Property "${name}" does not exist on ${ts.info.name}.`);
  }
  if (
    (ts.info.name === 'emails' && ['hs_email_html', 'hs_body_preview', 'hs_body_preview_html'].includes(name)) ||
    name === 'hs_body_preview_html'
  ) {
    // reference §1.1: these cannot be filtered on
    throw bad(`Property "${name}" cannot be used in a search filter.`);
  }
  // a stored property is read straight from the record's (visible) properties
  const get = isComputed(ts, name) ? (r: Rec, props: Props) => valueOf(p, ts, r, name, now, props) : (_r: Rec, props: Props) => props[name];
  const present = (v: string | null | undefined): v is string => v != null && v !== '';
  const numeric = type === 'number' || type === 'datetime' || type === 'date';
  const toNum = (v: string): number | undefined => {
    if (type === 'number') {
      const n = Number(v);
      return Number.isFinite(n) ? n : undefined;
    }
    if (type === 'date') {
      const ms = toMs(v);
      return ms === undefined ? undefined : Math.floor(ms / 86_400_000) * 86_400_000;
    }
    return toMs(v); // datetime: epoch ms, or ISO-8601 accepted as well
  };
  const filterNum = (v: string, what: string): number => {
    const n = toNum(v);
    if (n === undefined)
      throw bad(`Invalid ${type} value "${v}" for ${what} on ${name}${type !== 'number' ? ' (use epoch milliseconds)' : ''}`);
    return n;
  };
  // reference §3.1 case rules: enumerations case-sensitive; other values case-insensitive;
  // string IN/NOT_IN compare against lowercase stored values (values must be lowercase)
  const caseSensitive = type === 'enumeration';
  const norm = (v: string) => (caseSensitive ? v : v.toLowerCase());
  const eq = (stored: string, v: string) => {
    if (numeric) {
      const a = toNum(stored);
      return a !== undefined && a === toNum(v);
    }
    if (type === 'enumeration' && def?.fieldType === 'checkbox') return stored.split(';').includes(v);
    return norm(stored) === norm(v);
  };
  /** eq(·, v) with v's side worked out once. */
  const eqTo = (v: string): ((stored: string) => boolean) => {
    if (numeric) {
      const n = toNum(v);
      return (stored) => {
        const a = toNum(stored);
        return a !== undefined && a === n;
      };
    }
    if (type === 'enumeration' && def?.fieldType === 'checkbox') return (stored) => stored.split(';').includes(v);
    const nv = norm(v);
    return caseSensitive ? (stored) => stored === nv : (stored) => stored.toLowerCase() === nv;
  };
  const inList = (stored: string, vs: string[]) => {
    if (numeric) return vs.some((v) => eq(stored, v));
    const s = caseSensitive ? stored : stored.toLowerCase();
    if (type === 'enumeration' && def?.fieldType === 'checkbox') return stored.split(';').some((x) => vs.includes(x));
    return vs.includes(s);
  };
  const indexable = !numeric && !!def && !def.calculated && name !== 'hs_object_id';
  const byId = (ids: string[]) => ids.map((id) => ts.byId.get(id)).filter((r): r is Rec => !!r);
  switch (f.operator) {
    case 'EQ': {
      const v = f.value!;
      const cand = name === 'hs_object_id' ? () => byId([v]) : indexable ? () => ts.lookup(name, [v]) : undefined;
      if (numeric) filterNum(v, 'EQ');
      const is = eqTo(v);
      return {
        f,
        test: (r, pr) => {
          const s = get(r, pr);
          return present(s) && is(s);
        },
        candidates: cand,
      };
    }
    case 'NEQ': {
      const v = f.value!;
      if (numeric) filterNum(v, 'NEQ');
      const is = eqTo(v);
      return {
        f,
        test: (r, pr) => {
          const s = get(r, pr);
          return !present(s) || !is(s);
        },
      };
    }
    case 'IN': {
      const vs = f.values!;
      if (numeric) vs.forEach((v) => filterNum(v, 'IN'));
      const cand = name === 'hs_object_id' ? () => byId(vs) : indexable ? () => ts.lookup(name, vs) : undefined;
      return {
        f,
        test: (r, pr) => {
          const s = get(r, pr);
          return present(s) && inList(s, vs);
        },
        candidates: cand,
      };
    }
    case 'NOT_IN': {
      const vs = f.values!;
      return {
        f,
        test: (r, pr) => {
          const s = get(r, pr);
          return !present(s) || !inList(s, vs);
        },
      };
    }
    case 'LT':
    case 'LTE':
    case 'GT':
    case 'GTE': {
      const op = f.operator;
      if (numeric) {
        const n = filterNum(f.value!, op);
        return {
          f,
          test: (r, pr) => {
            const s = get(r, pr);
            if (!present(s)) return false;
            const x = toNum(s);
            if (x === undefined) return false;
            return op === 'LT' ? x < n : op === 'LTE' ? x <= n : op === 'GT' ? x > n : x >= n;
          },
        };
      }
      const v = f.value!.toLowerCase();
      return {
        f,
        test: (r, pr) => {
          const s = get(r, pr);
          if (!present(s)) return false;
          const x = s.toLowerCase();
          return op === 'LT' ? x < v : op === 'LTE' ? x <= v : op === 'GT' ? x > v : x >= v;
        },
      };
    }
    case 'BETWEEN': {
      if (numeric) {
        const lo = filterNum(f.value!, 'BETWEEN'),
          hi = filterNum(f.highValue!, 'BETWEEN');
        return {
          f,
          test: (r, pr) => {
            const s = get(r, pr);
            if (!present(s)) return false;
            const x = toNum(s);
            return x !== undefined && x >= lo && x <= hi;
          },
        };
      }
      const lo = f.value!.toLowerCase(),
        hi = f.highValue!.toLowerCase();
      return {
        f,
        test: (r, pr) => {
          const s = get(r, pr);
          if (!present(s)) return false;
          const x = s.toLowerCase();
          return x >= lo && x <= hi;
        },
      };
    }
    case 'HAS_PROPERTY':
      return { f, test: (r, pr) => present(get(r, pr)) };
    case 'NOT_HAS_PROPERTY':
      return { f, test: (r, pr) => !present(get(r, pr)) };
    case 'CONTAINS_TOKEN':
    case 'NOT_CONTAINS_TOKEN': {
      const m = tokenMatcher(f.value!);
      const neg = f.operator === 'NOT_CONTAINS_TOKEN';
      return {
        f,
        test: (r, pr) => {
          const s = get(r, pr);
          const hit = present(s) && m(s);
          return neg ? !hit : hit;
        },
      };
    }
  }
}

/** CONTAINS_TOKEN: whole-token match, case-insensitive, `*` wildcards (e.g. "*@hubspot.com"). */
function tokenMatcher(pattern: string): (s: string) => boolean {
  const pat = pattern.toLowerCase();
  if (pat.includes('*')) {
    const re = new RegExp(
      `^${pat
        .split('*')
        .map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    return (s) => {
      const l = s.toLowerCase();
      return re.test(l) || l.split(/\s+/).some((t) => re.test(t));
    };
  }
  const ptoks = pat.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return (s) => {
    const l = s.toLowerCase();
    if (l === pat) return true;
    const toks = new Set([...l.split(/\s+/), ...l.split(/[^\p{L}\p{N}]+/u)].filter(Boolean));
    return toks.has(pat) || (ptoks.length > 0 && ptoks.every((t) => toks.has(t)));
  };
}

/** `query`: prefix match of each word on the type's default searchable properties. */
function matchesQuery(p: Portal, ts: TypeStore, r: Rec, props: Props, query: string, now: number): boolean {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w.replace(/\*/g, ''));
  if (!words.length) return true;
  const fields = QUERY_PROPERTIES[ts.info.name] ?? ['hs_object_id'];
  const toks: string[] = [];
  for (const n of fields) {
    const v = valueOf(p, ts, r, n, now, props);
    if (v) toks.push(v.toLowerCase(), ...v.toLowerCase().split(/[^\p{L}\p{N}@.]+/u));
  }
  return words.every((w) => toks.some((t) => t.startsWith(w) || (w.includes('@') && t === w)));
}
