// In-memory portal: records per object type with lazy per-property indexes, association
// adjacency maps, pipelines, properties, owners and users. Built once from a validated fixture.
import {
  builtinAssociationTypes,
  builtinPropertyType,
  CALL_DISPOSITIONS,
  defaultPipelines,
  defaultProperties,
  type AssocTypeDef,
  type PropDef,
} from './catalog';
import {
  FixtureError,
  parseTimestamp,
  validateFixture,
  type Fixture,
  type FixturePipeline,
  type FixtureRecordInput,
  type LoadedFixture,
} from './fixture';
import { BUILTIN_TYPES, resolveObjectType, type ObjectTypeInfo } from './object-types';

export type Hist = {
  value: string;
  timestamp: number;
  sourceType: string;
  sourceId?: string;
  sourceLabel?: string;
  updatedByUserId?: number;
};
export type Props = Record<string, string | null>;
export type Rec = {
  id: string;
  props: Props;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
  history?: Record<string, Hist[]>; // oldest first
  // search indexing delay: until visibleAt, search sees `searchView` (null: not yet indexed)
  visibleAt?: number;
  searchView?: { props: Props; archived: boolean; updatedAt: number } | null;
};

/** Who made a change, as HubSpot's webhooks report it (`changeSource`, `sourceId`). */
export type ChangeSource = { changeSource: string; sourceId?: string };
/** The API's own writes: an app's OAuth token. */
export const API_SOURCE: ChangeSource = { changeSource: 'INTEGRATION' };

/** A change to a portal's CRM data, as the webhook emitter sees it (sandbox/src/webhooks.ts). */
export type StoreChange = { at: number; source: ChangeSource } & (
  | { kind: 'creation' | 'deletion' | 'restore'; type: string; id: string }
  | { kind: 'propertyChange'; type: string; id: string; property: string; value: string | null }
  | { kind: 'merge'; type: string; primaryId: string; mergedIds: string[]; propertiesMoved: number }
  | {
      kind: 'association';
      from: string;
      fromId: string;
      to: string;
      toId: string;
      typeId: number;
      category: string;
      label: string | null;
      removed: boolean;
    }
);

export class ValidationError extends Error {
  constructor(
    message: string,
    readonly category = 'VALIDATION_ERROR',
    readonly status = 400,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const isoCache = new Map<string, number>();
/** Epoch ms of a stored datetime value (ISO string), cached. */
export function toMs(v: string): number | undefined {
  let ms = isoCache.get(v);
  if (ms !== undefined) return ms;
  ms = parseTimestamp(v);
  if (ms === undefined) return undefined;
  if (isoCache.size > 2_000_000) isoCache.clear();
  isoCache.set(v, ms);
  return ms;
}
export const iso = (ms: number) => new Date(ms).toISOString();
const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const parseTs = (v: string | number) => (typeof v === 'string' ? parseIso(v) : parseTimestamp(v));
/** Epoch ms of a stored datetime, not cached (load-time use: each value is seen once). */
function parseIso(v: string): number | undefined {
  if (CANONICAL_ISO.test(v)) {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return parseTimestamp(v);
}

export class TypeStore {
  readonly byId = new Map<string, Rec>();
  readonly props = new Map<string, PropDef>();
  private readonly indexes = new Map<string, Map<string, Set<Rec>>>();
  readonly pending = new Set<Rec>();
  nextId = 1;

  constructor(readonly info: ObjectTypeInfo) {
    for (const p of defaultProperties(info.name)) this.props.set(p.name, p);
  }

  /** Records in id order (ascending numeric id). */
  *records(): Iterable<Rec> {
    yield* this.byId.values();
  }

  /** Records whose stored `prop` lowercases to one of `keys` (superset filter; caller re-checks). */
  lookup(prop: string, keys: string[]): Set<Rec> {
    let idx = this.indexes.get(prop);
    if (!idx) {
      idx = new Map();
      for (const r of this.byId.values()) {
        const v = r.props[prop];
        if (v != null && v !== '') addTo(idx, v.toLowerCase(), r);
      }
      this.indexes.set(prop, idx);
    }
    if (keys.length === 1) return idx.get(keys[0]!.toLowerCase()) ?? new Set();
    const out = new Set<Rec>();
    for (const k of keys) for (const r of idx.get(k.toLowerCase()) ?? []) out.add(r);
    return out;
  }

  /** Keeps indexes in step with a property change. */
  reindex(r: Rec, prop: string, before: string | null | undefined, after: string | null | undefined): void {
    const idx = this.indexes.get(prop);
    if (!idx) return;
    if (before != null && before !== '') idx.get(before.toLowerCase())?.delete(r);
    if (after != null && after !== '') addTo(idx, after.toLowerCase(), r);
  }

  insert(r: Rec): void {
    this.byId.set(r.id, r);
    const n = Number(r.id);
    if (n >= this.nextId) this.nextId = n + 1;
    if (this.indexes.size) for (const k in r.props) this.reindex(r, k, undefined, r.props[k]);
    for (const [name, idx] of this.sorted) if (!idx.place(r)) this.sorted.delete(name);
  }

  // --- sort orders (search): built on first use, kept in step with writes ---
  private readonly sorted = new Map<string, SortIndex>();

  /** The records with a value for a sort key, ascending by (key, numeric id); undefined when the keys cannot be ordered by index. */
  sortIndex(name: string, keyOf: SortKeyOf): SortIndex | undefined {
    let idx = this.sorted.get(name);
    if (!idx) {
      idx = new SortIndex(keyOf, this.byId.values());
      if (!idx.usable) return undefined; // mixed or NaN keys: the caller sorts (not cached: rare)
      this.sorted.set(name, idx);
    }
    return idx;
  }

  /** A record's sort keys may have changed (`names`: the properties written, plus the modified date). */
  touched(r: Rec, names: Iterable<string>): void {
    if (!this.sorted.size) return;
    for (const n of names) {
      const idx = this.sorted.get(n);
      if (idx && !idx.place(r)) this.sorted.delete(n);
    }
  }
}

export type SortKey = number | string;
export type SortKeyOf = (r: Rec) => SortKey | undefined;

/**
 * One sort order of a type's records: `recs` ascending by (key, numeric id), only records with a
 * value (search puts the others last, by id). Usable only when every key is a number (not NaN) or
 * every key is a string, so that comparing keys is a total order equal to search's comparator.
 */
export class SortIndex {
  recs: Rec[] = [];
  keys: SortKey[] = [];
  private kind: 'number' | 'string' | undefined;
  usable = true;

  constructor(
    readonly keyOf: SortKeyOf,
    records: Iterable<Rec>,
  ) {
    const items: { r: Rec; k: SortKey; n: number }[] = [];
    for (const r of records) {
      const k = this.keyOf(r);
      if (k === undefined) continue;
      if (!this.accepts(k)) {
        this.usable = false;
        return;
      }
      items.push({ r, k, n: Number(r.id) });
    }
    items.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.n - b.n));
    this.recs = items.map((x) => x.r);
    this.keys = items.map((x) => x.k);
  }

  private accepts(k: SortKey): boolean {
    const kind = typeof k === 'number' ? 'number' : 'string';
    if (kind === 'number' && Number.isNaN(k)) return false;
    this.kind ??= kind;
    return this.kind === kind;
  }

  /** Moves a record to where its current key belongs; false when the key breaks the order (drop the index). */
  place(r: Rec): boolean {
    const at = this.recs.indexOf(r);
    if (at >= 0) {
      this.recs.splice(at, 1);
      this.keys.splice(at, 1);
    }
    const k = this.keyOf(r);
    if (k === undefined) return true;
    if (!this.accepts(k)) return false;
    const n = Number(r.id);
    let lo = 0,
      hi = this.recs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const mk = this.keys[mid]!;
      if (mk < k || (mk === k && Number(this.recs[mid]!.id) < n)) lo = mid + 1;
      else hi = mid;
    }
    this.recs.splice(lo, 0, r);
    this.keys.splice(lo, 0, k);
    return true;
  }
}

/**
 * One record's associations with one other object type: flat pairs [toId, typeId, toId, typeId, …],
 * each pair once, the pairs of one toId kept together (in the order they were added), toIds in the
 * order they were first associated. ~10× smaller than a Map of Sets per record (1M links in the
 * large demo portal).
 */
export type Adj = (string | number)[];

/** Adds a pair; returns the (possibly new) array. Small lists are copied at their exact size. */
function adjAdd(adj: Adj, toId: string, typeId: number): Adj {
  let last = -1;
  for (let i = 0; i < adj.length; i += 2) {
    if (adj[i] === toId) {
      if (adj[i + 1] === typeId) return adj;
      last = i;
    }
  }
  if (last >= 0) {
    adj.splice(last + 2, 0, toId, typeId);
    return adj;
  }
  const n = adj.length;
  if (n >= 32) {
    adj.push(toId, typeId);
    return adj;
  }
  const out: Adj = new Array<string | number>(n + 2);
  for (let i = 0; i < n; i++) out[i] = adj[i]!;
  out[n] = toId;
  out[n + 1] = typeId;
  return out;
}

/** Removes the pairs of `toId` (only the `typeId` one when given); returns the new array. */
function adjRemove(adj: Adj, toId: string, typeId?: number): Adj {
  return adj.filter((_, i) => {
    const j = i - (i % 2);
    return !(adj[j] === toId && (typeId === undefined || adj[j + 1] === typeId));
  });
}

function hasPair(adj: Adj, toId: string, typeId: number): boolean {
  for (let i = 0; i < adj.length; i += 2) if (adj[i] === toId && adj[i + 1] === typeId) return true;
  return false;
}

function adjDistinct(adj: Adj): number {
  let n = 0;
  outer: for (let i = 0; i < adj.length; i += 2) {
    for (let j = i - 2; j >= 0 && adj[j] === adj[i]; j -= 2) continue outer; // pairs of one toId are adjacent
    n++;
  }
  return n;
}

function addTo(idx: Map<string, Set<Rec>>, k: string, r: Rec) {
  let s = idx.get(k);
  if (!s) idx.set(k, (s = new Set()));
  s.add(r);
}

export type PortalUser = {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  timeZone: string | null;
  superAdmin: boolean;
  teamIds: string[];
  ownerId: string | null;
};
export type PortalOwner = LoadedFixture['owners'][number] & { createdAtMs: number; updatedAtMs: number };
export type Enrollment = {
  id: string;
  sequenceId: string;
  sequenceName: string;
  contactId: string;
  enrolledAt: number;
  updatedAt: number;
  enrolledBy: string;
  enrolledByEmail: string;
  toEmail: string;
};

export class Portal {
  readonly id: number;
  readonly accessToken: string;
  readonly timeZone: string;
  readonly domain: string;
  readonly scopes?: Set<string>;
  readonly users: PortalUser[];
  readonly owners: PortalOwner[];
  readonly teams: { id: string; name: string }[];
  readonly types = new Map<string, TypeStore>();
  readonly pipelines = new Map<string, FixturePipeline[]>();
  readonly assocTypes: AssocTypeDef[];
  // `${from}>${to}` -> fromId -> flat [toId, typeId, toId, typeId, …] (see `Adj`)
  readonly assoc = new Map<string, Map<string, Adj>>();
  readonly dispositions: { id: string; label: string }[];
  readonly sequences: NonNullable<LoadedFixture['sequences']>;
  readonly enrollments = new Map<string, Enrollment>(); // by contact id (the API returns one)
  nextEnrollmentId = 1;
  readonly extraTokens = new Set<string>();
  /** Set by the server once the portal is built: every later change is reported here (webhooks). */
  onChange?: (c: StoreChange) => void;
  /** Who the writes in progress come from (the API's app unless a control call says "another user"). */
  source: ChangeSource = API_SOURCE;
  /** The server's clock, for the time of association changes. */
  clock: () => number = Date.now;

  constructor(fx: LoadedFixture, loadTime: number, source: string) {
    this.id = fx.portal.id;
    this.accessToken = fx.portal.accessToken;
    this.timeZone = fx.portal.timeZone;
    this.domain = fx.portal.domain ?? `portal-${fx.portal.id}.example`;
    this.scopes = fx.portal.scopes ? new Set(fx.portal.scopes) : undefined;
    this.teams = fx.teams;
    this.owners = fx.owners.map((o) => ({
      ...o,
      createdAtMs: o.createdAt !== undefined ? parseTimestamp(o.createdAt)! : loadTime,
      updatedAtMs: o.updatedAt !== undefined ? parseTimestamp(o.updatedAt)! : loadTime,
    }));
    this.users = fx.users.map((u) => ({
      id: u.id,
      email: u.email,
      firstName: u.firstName,
      lastName: u.lastName,
      timeZone: u.timeZone ?? null,
      superAdmin: u.superAdmin,
      teamIds: u.teamIds,
      ownerId: this.owners.find((o) => o.userId != null && String(o.userId) === u.id)?.id ?? null,
    }));
    this.dispositions = [...CALL_DISPOSITIONS, ...(fx.callDispositions ?? [])];
    this.sequences = fx.sequences ?? [];
    // The API answers a contact's latest enrollment only (reference §3.8): the latest one per contact.
    for (const e of [...(fx.enrollments ?? [])].sort((a, b) => parseTimestamp(a.enrolledAt)! - parseTimestamp(b.enrolledAt)!)) {
      const seq = this.sequences.find((s) => s.id === e.sequenceId);
      const by = this.users.find((u) => u.id === e.enrolledBy);
      const at = parseTimestamp(e.enrolledAt)!;
      this.enrollments.set(e.contactId, {
        id: e.id,
        sequenceId: e.sequenceId,
        sequenceName: seq?.name ?? '',
        contactId: e.contactId,
        enrolledAt: at,
        updatedAt: at,
        enrolledBy: e.enrolledBy,
        enrolledByEmail: by?.email ?? '',
        toEmail: '',
      });
      this.nextEnrollmentId = Math.max(this.nextEnrollmentId, Number(e.id) + 1);
    }

    for (const t of BUILTIN_TYPES) this.types.set(t.name, new TypeStore(t));
    for (const key of Object.keys(fx.objects)) {
      const t = resolveObjectType(key)!;
      if (!this.types.has(t.name)) this.types.set(t.name, new TypeStore(t));
    }
    for (const [key, defs] of Object.entries(fx.properties)) {
      const ts = this.typeStore(key)!;
      for (const d of defs) {
        ts.props.set(d.name, {
          name: d.name,
          label: d.label ?? d.name,
          type: d.type,
          fieldType: d.fieldType,
          groupName: d.groupName ?? `${ts.info.singular}information`,
          description: d.description ?? '',
          options: (d.options ?? []).map((o, i) => ({ ...o, displayOrder: o.displayOrder ?? i })),
          displayOrder: d.displayOrder,
          hasUniqueValue: d.hasUniqueValue,
          hidden: d.hidden,
          calculated: d.calculated,
          externalOptions: d.externalOptions,
          formField: d.formField,
          hubspotDefined: false,
        });
      }
    }
    for (const name of ['deals', 'leads', 'tickets', 'services']) this.pipelines.set(name, defaultPipelines(name));
    for (const [key, list] of Object.entries(fx.pipelines)) this.pipelines.set(resolveObjectType(key)!.name, list);
    this.refreshPipelineOptions();
    const disp = this.types.get('calls')!.props.get('hs_call_disposition')!;
    disp.options = this.dispositions.map((d, i) => ({ label: d.label, value: d.id, displayOrder: i, hidden: false }));
    const owner = (p: PropDef | undefined) =>
      p &&
      (p.options = this.owners
        .filter((o) => !o.archived)
        .map((o, i) => ({ label: `${o.firstName} ${o.lastName}`.trim() || o.email, value: o.id, displayOrder: i, hidden: false })));
    for (const ts of this.types.values()) owner(ts.props.get('hubspot_owner_id'));

    // users object (0-115), one record per fixture user (reference §3.6)
    const usersStore = this.types.get('users')!;
    this.users.forEach((u, i) => {
      usersStore.insert({
        id: String(i + 1),
        createdAt: loadTime,
        updatedAt: loadTime,
        archived: false,
        props: {
          hs_internal_user_id: u.id,
          hs_standard_time_zone: u.timeZone,
          hs_email: u.email,
          hs_given_name: u.firstName,
          hs_family_name: u.lastName,
        },
      });
    });

    for (const [key, list] of Object.entries(fx.objects)) {
      const ts = this.typeStore(key)!;
      const { createdProp, modifiedProp } = ts.info;
      // a generated (trusted) fixture may leave `properties` / `archived` to their defaults
      for (const r of list as FixtureRecordInput[]) {
        // computed system properties live outside `props`; they are skipped rather than deleted
        // afterwards (a `delete` turns every record's property bag into a slow, large dictionary)
        const props: Props = {};
        let createdRaw: string | null | undefined;
        let modifiedRaw: string | null | undefined;
        const src = r.properties ?? {};
        for (const k in src) {
          const v = this.normalizeValue(ts, k, src[k]!);
          if (k === createdProp) createdRaw = v;
          else if (k === modifiedProp) modifiedRaw = v;
          else if (k !== 'hs_object_id') props[k] = v;
        }
        let history: Record<string, Hist[]> | undefined;
        if (r.propertiesWithHistory) {
          history = {};
          for (const [k, entries] of Object.entries(r.propertiesWithHistory)) {
            history[k] = entries.map((e) => ({
              ...e,
              value: this.normalizeValue(ts, k, e.value) ?? '',
              timestamp: parseTs(e.timestamp)!,
              sourceType: e.sourceType ?? 'CRM_UI',
            }));
            if (!entries.length || k in src) continue;
            const last = history[k]![history[k]!.length - 1]!.value;
            if (k === createdProp) createdRaw = last;
            else if (k === modifiedProp) modifiedRaw = last;
            else if (k !== 'hs_object_id') props[k] = last;
          }
        }
        const created = r.createdAt !== undefined ? parseTs(r.createdAt)! : ((createdRaw ? parseIso(createdRaw) : undefined) ?? loadTime);
        const updated = r.updatedAt !== undefined ? parseTs(r.updatedAt)! : ((modifiedRaw ? parseIso(modifiedRaw) : undefined) ?? created);
        ts.insert({
          id: r.id,
          props,
          createdAt: created,
          updatedAt: updated,
          archived: r.archived ?? false,
          archivedAt: r.archivedAt !== undefined ? parseTs(r.archivedAt) : undefined,
          history,
        });
      }
    }

    this.assocTypes = builtinAssociationTypes();
    for (const l of fx.associationLabels ?? []) {
      const f = resolveObjectType(l.from)?.name ?? l.from;
      const t = resolveObjectType(l.to)?.name ?? l.to;
      this.assocTypes.push({
        from: f,
        to: t,
        typeId: l.typeId,
        label: l.label,
        category: l.category,
        inverse: l.inverseTypeId ?? 0,
        isDefault: false,
      });
      if (l.inverseTypeId)
        this.assocTypes.push({
          from: t,
          to: f,
          typeId: l.inverseTypeId,
          label: l.inverseLabel ?? l.label,
          category: l.category,
          inverse: l.typeId,
          isDefault: false,
        });
    }
    const problems: string[] = [];
    // "<type>/<id>" ends: the type part resolved once per distinct prefix (consecutive ends share it)
    const typeNames = new Map<string, string>();
    let lastKey = '',
      lastName = '';
    const end = (ref: string): [string, string] => {
      const cut = ref.indexOf('/');
      if (cut !== lastKey.length || !ref.startsWith(lastKey)) {
        lastKey = ref.slice(0, cut);
        let n = typeNames.get(lastKey);
        if (n === undefined) typeNames.set(lastKey, (n = resolveObjectType(lastKey)!.name));
        lastName = n;
      }
      return [lastName, ref.slice(cut + 1)];
    };
    for (let i = 0; i < fx.associations.length; i++) {
      const a = fx.associations[i]!;
      const [f, fid] = end(a.from);
      const [t, tid] = end(a.to);
      const err = this.associate(f, fid, t, tid, a.typeId);
      if (err) problems.push(`${source}: $.associations[${i}]: ${err}`);
    }
    if (problems.length) throw new FixtureError(problems);
  }

  typeStore(key: string): TypeStore | undefined {
    const t = resolveObjectType(key);
    if (!t) return undefined;
    const ts = this.types.get(t.name);
    if (!ts && t.custom) return undefined;
    return ts;
  }

  refreshPipelineOptions(): void {
    const set = (type: string, pipeProp: string, stageProp: string) => {
      const ts = this.types.get(type);
      const pipes = this.pipelines.get(type) ?? [];
      const pp = ts?.props.get(pipeProp);
      const sp = ts?.props.get(stageProp);
      if (pp) pp.options = pipes.map((p) => ({ label: p.label, value: p.id, displayOrder: p.displayOrder, hidden: false }));
      if (sp)
        sp.options = pipes.flatMap((p) =>
          p.stages.map((s) => ({ label: s.label, value: s.id, displayOrder: s.displayOrder, hidden: false, description: `${p.label}` })),
        );
    };
    set('deals', 'pipeline', 'dealstage');
    set('leads', 'hs_pipeline', 'hs_pipeline_stage');
    set('tickets', 'hs_pipeline', 'hs_pipeline_stage');
    set('services', 'hs_pipeline', 'hs_pipeline_stage');
  }

  stageOf(type: string, stageId: string | null | undefined): { metadata: Record<string, string>; pipelineId: string } | undefined {
    if (!stageId) return undefined;
    for (const p of this.pipelines.get(type) ?? [])
      for (const s of p.stages) if (s.id === stageId) return { metadata: s.metadata, pipelineId: p.id };
    return undefined;
  }

  /** Stores a value the way HubSpot returns it (datetimes as ISO UTC, dates as YYYY-MM-DD, bools lowercase). */
  normalizeValue(ts: TypeStore, name: string, v: string | null): string | null {
    if (v === null || v === '') return v === '' ? '' : null;
    const type = ts.props.get(name)?.type;
    if (type === 'datetime') {
      if (v.length === 24 && v.charCodeAt(23) === 90 /* Z */ && v.charCodeAt(19) === 46 /* . */) return v; // already canonical
      const ms = parseTimestamp(v);
      return ms === undefined ? v : iso(ms);
    }
    if (type === 'date') {
      const ms = parseTimestamp(v);
      return ms === undefined ? v : iso(ms).slice(0, 10);
    }
    if (type === 'bool') return v.toLowerCase();
    return v;
  }

  // --- associations ---
  assocMap(from: string, to: string, create: true): Map<string, Adj>;
  assocMap(from: string, to: string, create?: false): Map<string, Adj> | undefined;
  assocMap(from: string, to: string, create = false) {
    const k = `${from}>${to}`;
    let m = this.assoc.get(k);
    if (!m && create) this.assoc.set(k, (m = new Map()));
    return m;
  }

  private readonly typeCache = new Map<string, AssocTypeDef | null>();
  defaultType(from: string, to: string): AssocTypeDef | undefined {
    const k = `${from}>${to}`;
    let d = this.typeCache.get(k);
    if (d === undefined) {
      d = this.assocTypes.find((t) => t.from === from && t.to === to && t.isDefault && t.category === 'HUBSPOT_DEFINED') ?? null;
      this.typeCache.set(k, d);
    }
    return d ?? undefined;
  }
  private readonly byTypeId = new Map<string, AssocTypeDef | null>();
  typeById(from: string, to: string, typeId: number): AssocTypeDef | undefined {
    const k = `${from}>${to}>${typeId}`;
    let d = this.byTypeId.get(k);
    if (d === undefined) {
      d = this.assocTypes.find((t) => t.from === from && t.to === to && t.typeId === typeId) ?? null;
      this.byTypeId.set(k, d);
    }
    return d ?? undefined;
  }

  /** Adds an association (and its inverse); returns an error sentence or undefined. */
  associate(from: string, fromId: string, to: string, toId: string, typeId?: number): string | undefined {
    // the records' own id strings are stored (one copy of each id in memory)
    const fromRec = this.types.get(from)?.byId.get(fromId);
    if (!fromRec) return `no ${from} record with id "${fromId}"`;
    const toRec = this.types.get(to)?.byId.get(toId);
    if (!toRec) return `no ${to} record with id "${toId}"`;
    const plan = this.linkPlan(from, to, typeId);
    if (typeof plan === 'string') return plan;
    const fid = fromRec.id,
      tid = toRec.id;
    const watched = !!this.onChange || this.searchDelay() > 0;
    for (const [m, forward, id] of plan) {
      const a = forward ? fid : tid,
        b = forward ? tid : fid;
      const adj = m.get(a);
      // only live changes are watched (not the fixture load): webhooks and the search delay
      const added = watched && (!adj || !hasPair(adj, b, id));
      if (added) this.holdForSearch(forward ? from : to, forward ? to : from, a, adj);
      if (!adj) m.set(a, [b, id]);
      else {
        const next = adjAdd(adj, b, id);
        if (next !== adj) m.set(a, next);
      }
      if (added && this.onChange) this.reportLink(forward ? from : to, a, forward ? to : from, b, id, false);
    }
    return undefined;
  }

  /** The links one association makes ([map, forward?, typeId]), or why it cannot be made; cached per (from, to, typeId). */
  private readonly plans = new Map<string, Map<string, Map<number, [Map<string, Adj>, boolean, number][] | string>>>();
  private linkPlan(from: string, to: string, typeId: number | undefined): [Map<string, Adj>, boolean, number][] | string {
    let byTo = this.plans.get(from);
    if (!byTo) this.plans.set(from, (byTo = new Map()));
    let byType = byTo.get(to);
    if (!byType) byTo.set(to, (byType = new Map()));
    let plan = byType.get(typeId ?? 0);
    if (plan !== undefined) return plan;
    const def = typeId === undefined ? this.defaultType(from, to) : this.typeById(from, to, typeId);
    if (!def) {
      plan =
        typeId === undefined
          ? `no HubSpot-defined default association type between ${from} and ${to}; give a typeId`
          : `association type ${typeId} does not exist from ${from} to ${to}`;
    } else {
      const fwd = this.assocMap(from, to, true),
        back = this.assocMap(to, from, true);
      plan = [[fwd, true, def.typeId]];
      // a labelled association implies the unlabelled default one, in both directions
      const base = def.isDefault ? def : this.defaultType(from, to);
      if (base && base !== def) plan.push([fwd, true, base.typeId]);
      const inverse = def.inverse || base?.inverse;
      if (inverse) plan.push([back, false, inverse]);
      if (base && base.inverse && base.inverse !== inverse) plan.push([back, false, base.inverse]);
    }
    byType.set(typeId ?? 0, plan);
    return plan;
  }

  /** Removes all associations between two records (both directions). */
  unassociate(from: string, fromId: string, to: string, toId: string, typeId?: number): void {
    const drop = (f: string, fid: string, t: string, tid: string, id?: number) => {
      const m = this.assocMap(f, t);
      const adj = m?.get(fid);
      if (!adj) return;
      const next = adjRemove(adj, tid, id);
      if (next.length !== adj.length) this.holdForSearch(f, t, fid, adj);
      m!.set(fid, next);
      if (this.onChange && next.length !== adj.length) {
        for (let i = 0; i < adj.length; i += 2) {
          if (adj[i] === tid && (id === undefined || adj[i + 1] === id)) this.reportLink(f, fid, t, tid, adj[i + 1] as number, true);
        }
      }
    };
    if (typeId === undefined) {
      drop(from, fromId, to, toId);
      drop(to, toId, from, fromId);
      return;
    }
    const def = this.assocTypes.find((t) => t.from === from && t.to === to && t.typeId === typeId);
    drop(from, fromId, to, toId, typeId);
    if (def?.inverse) drop(to, toId, from, fromId, def.inverse);
    if (def?.isDefault) {
      // removing the unlabelled association removes the labelled ones too
      drop(from, fromId, to, toId);
      drop(to, toId, from, fromId);
    }
  }

  /** Reports one directed link added or removed (HubSpot fires association changes for both sides). */
  private reportLink(from: string, fromId: string, to: string, toId: string, typeId: number, removed: boolean): void {
    const def = this.typeById(from, to, typeId);
    this.onChange?.({
      kind: 'association',
      at: this.clock(),
      source: this.source,
      from,
      fromId,
      to,
      toId,
      typeId,
      category: def?.category ?? 'HUBSPOT_DEFINED',
      label: def?.label ?? null,
      removed,
    });
  }

  /** The associated records of one type, toId -> typeIds, in association order (built on demand). */
  associated(from: string, fromId: string, to: string): Map<string, Set<number>> | undefined {
    const adj = this.assocMap(from, to)?.get(fromId);
    if (!adj) return undefined;
    const out = new Map<string, Set<number>>();
    for (let i = 0; i < adj.length; i += 2) {
      const k = adj[i] as string;
      let s = out.get(k);
      if (!s) out.set(k, (s = new Set()));
      s.add(adj[i + 1] as number);
    }
    return out;
  }

  /** How many distinct records of type `to` a record is associated with. */
  assocCount(from: string, fromId: string, to: string, searchAt?: number): number {
    const adj = this.adjOf(from, fromId, to, searchAt);
    return adj ? adjDistinct(adj) : 0;
  }

  /** Whether a record is associated with any of `ids` (records of type `to`). */
  associatedWithAny(from: string, fromId: string, to: string, ids: readonly string[], searchAt?: number): boolean {
    const adj = this.adjOf(from, fromId, to, searchAt);
    if (!adj) return false;
    for (let i = 0; i < adj.length; i += 2) if (ids.includes(adj[i] as string)) return true;
    return false;
  }

  /** Ids of the records of type `to` a record is associated with (a record may repeat). */
  *assocTargets(from: string, fromId: string, to: string, searchAt?: number): Iterable<string> {
    const adj = this.adjOf(from, fromId, to, searchAt);
    if (adj) for (let i = 0; i < adj.length; i += 2) yield adj[i] as string;
  }

  // --- search indexing delay for associations: search sees a record's links as they were until the delay passes ---
  /** The server's search delay knob (ms). */
  searchDelay: () => number = () => 0;
  // `${from}>${to}` -> fromId -> the links search still sees, until visibleAt
  private readonly searchHeld = new Map<string, Map<string, { adj: Adj | undefined; visibleAt: number }>>();

  /** Before a record's links change: keep what search sees (the first snapshot wins while pending). */
  private holdForSearch(from: string, to: string, fromId: string, adj: Adj | undefined): void {
    const delay = this.searchDelay();
    if (delay <= 0) return;
    const k = `${from}>${to}`;
    let m = this.searchHeld.get(k);
    if (!m) this.searchHeld.set(k, (m = new Map()));
    const visibleAt = this.clock() + delay;
    const held = m.get(fromId);
    if (held && held.visibleAt > this.clock()) held.visibleAt = visibleAt;
    else m.set(fromId, { adj: adj ? [...adj] : undefined, visibleAt });
  }

  /** A record's links to one type: as search sees them at `searchAt`, or the current ones. */
  private adjOf(from: string, fromId: string, to: string, searchAt?: number): Adj | undefined {
    if (searchAt !== undefined && this.searchHeld.size) {
      const m = this.searchHeld.get(`${from}>${to}`);
      const held = m?.get(fromId);
      if (held) {
        if (held.visibleAt > searchAt) return held.adj;
        m!.delete(fromId);
      }
    }
    return this.assocMap(from, to)?.get(fromId);
  }

  dropAllAssociations(type: string, id: string): void {
    for (const [k, m] of this.assoc) {
      const [f, t] = k.split('>') as [string, string];
      if (f === type) {
        const adj = m.get(id);
        if (adj) {
          const back = this.assocMap(t, f);
          for (let i = 0; i < adj.length; i += 2) {
            const toId = adj[i] as string;
            const other = back?.get(toId);
            if (other) {
              this.holdForSearch(t, f, toId, other);
              back!.set(toId, adjRemove(other, id));
            }
          }
          this.holdForSearch(f, t, id, adj);
        }
        m.delete(id);
      }
    }
  }

  labelOf(from: string, to: string, typeId: number): AssocTypeDef | undefined {
    return this.typeById(from, to, typeId);
  }
}

/** Validates and builds a portal; throws FixtureError with one line per problem. */
export function buildPortal(fixture: Fixture | LoadedFixture, loadTime: number, source = '<fixture>', validated = false): Portal {
  const fx = validated ? (fixture as LoadedFixture) : validateFixture(fixture, source, builtinPropertyType);
  return new Portal(fx, loadTime, source);
}
