// In-memory portal: records per object type with lazy per-property indexes, association
// adjacency maps, pipelines, properties, owners and users. Built once from a validated fixture.
import {
  builtinAssociationTypes, builtinPropertyType, CALL_DISPOSITIONS, defaultPipelines, defaultProperties,
  type AssocTypeDef, type PropDef,
} from './catalog';
import { FixtureError, parseTimestamp, validateFixture, type Fixture, type FixturePipeline, type LoadedFixture } from './fixture';
import { BUILTIN_TYPES, resolveObjectType, type ObjectTypeInfo } from './object-types';

export type Hist = { value: string; timestamp: number; sourceType: string; sourceId?: string; sourceLabel?: string; updatedByUserId?: number };
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

export class ValidationError extends Error {
  constructor(message: string, readonly category = 'VALIDATION_ERROR', readonly status = 400, readonly extra: Record<string, unknown> = {}) {
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
    for (const [k, v] of Object.entries(r.props)) this.reindex(r, k, undefined, v);
  }
}

function addTo(idx: Map<string, Set<Rec>>, k: string, r: Rec) {
  let s = idx.get(k);
  if (!s) idx.set(k, (s = new Set()));
  s.add(r);
}

export type PortalUser = { id: string; email: string; firstName: string; lastName: string; timeZone: string | null; superAdmin: boolean; teamIds: string[]; ownerId: string | null };
export type PortalOwner = LoadedFixture['owners'][number] & { createdAtMs: number; updatedAtMs: number };
export type Enrollment = { id: string; sequenceId: string; sequenceName: string; contactId: string; enrolledAt: number; updatedAt: number; enrolledBy: string; enrolledByEmail: string; toEmail: string };

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
  // `${from}>${to}` -> fromId -> toId -> typeIds
  readonly assoc = new Map<string, Map<string, Map<string, Set<number>>>>();
  readonly dispositions: { id: string; label: string }[];
  readonly sequences: NonNullable<LoadedFixture['sequences']>;
  readonly enrollments = new Map<string, Enrollment>(); // by contact id (the API returns one)
  nextEnrollmentId = 1;
  readonly extraTokens = new Set<string>();

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
      id: u.id, email: u.email, firstName: u.firstName, lastName: u.lastName, timeZone: u.timeZone ?? null,
      superAdmin: u.superAdmin, teamIds: u.teamIds,
      ownerId: this.owners.find((o) => o.userId != null && String(o.userId) === u.id)?.id ?? null,
    }));
    this.dispositions = [...CALL_DISPOSITIONS, ...(fx.callDispositions ?? [])];
    this.sequences = fx.sequences ?? [];

    for (const t of BUILTIN_TYPES) this.types.set(t.name, new TypeStore(t));
    for (const key of Object.keys(fx.objects)) {
      const t = resolveObjectType(key)!;
      if (!this.types.has(t.name)) this.types.set(t.name, new TypeStore(t));
    }
    for (const [key, defs] of Object.entries(fx.properties)) {
      const ts = this.typeStore(key)!;
      for (const d of defs) {
        ts.props.set(d.name, {
          name: d.name, label: d.label ?? d.name, type: d.type, fieldType: d.fieldType, groupName: d.groupName ?? `${ts.info.singular}information`,
          description: d.description ?? '', options: (d.options ?? []).map((o, i) => ({ ...o, displayOrder: o.displayOrder ?? i })),
          displayOrder: d.displayOrder, hasUniqueValue: d.hasUniqueValue, hidden: d.hidden, calculated: d.calculated,
          externalOptions: d.externalOptions, formField: d.formField, hubspotDefined: false,
        });
      }
    }
    for (const name of ['deals', 'leads', 'tickets', 'services']) this.pipelines.set(name, defaultPipelines(name));
    for (const [key, list] of Object.entries(fx.pipelines)) this.pipelines.set(resolveObjectType(key)!.name, list);
    this.refreshPipelineOptions();
    const disp = this.types.get('calls')!.props.get('hs_call_disposition')!;
    disp.options = this.dispositions.map((d, i) => ({ label: d.label, value: d.id, displayOrder: i, hidden: false }));
    const owner = (p: PropDef | undefined) => p && (p.options = this.owners.filter((o) => !o.archived).map((o, i) => ({ label: `${o.firstName} ${o.lastName}`.trim() || o.email, value: o.id, displayOrder: i, hidden: false })));
    for (const ts of this.types.values()) owner(ts.props.get('hubspot_owner_id'));

    // users object (0-115), one record per fixture user (reference §3.6)
    const usersStore = this.types.get('users')!;
    this.users.forEach((u, i) => {
      usersStore.insert({
        id: String(i + 1), createdAt: loadTime, updatedAt: loadTime, archived: false,
        props: { hs_internal_user_id: u.id, hs_standard_time_zone: u.timeZone, hs_email: u.email, hs_given_name: u.firstName, hs_family_name: u.lastName },
      });
    });

    for (const [key, list] of Object.entries(fx.objects)) {
      const ts = this.typeStore(key)!;
      for (const r of list) {
        const props: Props = {};
        for (const [k, v] of Object.entries(r.properties)) props[k] = this.normalizeValue(ts, k, v);
        let history: Record<string, Hist[]> | undefined;
        if (r.propertiesWithHistory) {
          history = {};
          for (const [k, entries] of Object.entries(r.propertiesWithHistory)) {
            history[k] = entries.map((e) => ({ ...e, value: this.normalizeValue(ts, k, e.value) ?? '', timestamp: parseTimestamp(e.timestamp)!, sourceType: e.sourceType ?? 'CRM_UI' }));
            if (!(k in props) && entries.length) props[k] = history[k]![history[k]!.length - 1]!.value;
          }
        }
        const created = r.createdAt !== undefined ? parseTimestamp(r.createdAt)! : (props[ts.info.createdProp] ? toMs(props[ts.info.createdProp]!) : undefined) ?? loadTime;
        const updated = r.updatedAt !== undefined ? parseTimestamp(r.updatedAt)! : (props[ts.info.modifiedProp] ? toMs(props[ts.info.modifiedProp]!) : undefined) ?? created;
        // computed system properties live outside `props`
        delete props[ts.info.createdProp];
        delete props[ts.info.modifiedProp];
        delete props.hs_object_id;
        ts.insert({ id: r.id, props, createdAt: created, updatedAt: updated, archived: r.archived,
          archivedAt: r.archivedAt !== undefined ? parseTimestamp(r.archivedAt) : undefined, history });
      }
    }

    this.assocTypes = builtinAssociationTypes();
    for (const l of fx.associationLabels ?? []) {
      const f = resolveObjectType(l.from)?.name ?? l.from;
      const t = resolveObjectType(l.to)?.name ?? l.to;
      this.assocTypes.push({ from: f, to: t, typeId: l.typeId, label: l.label, category: l.category, inverse: l.inverseTypeId ?? 0, isDefault: false });
      if (l.inverseTypeId) this.assocTypes.push({ from: t, to: f, typeId: l.inverseTypeId, label: l.inverseLabel ?? l.label, category: l.category, inverse: l.typeId, isDefault: false });
    }
    const problems: string[] = [];
    fx.associations.forEach((a, i) => {
      const [fk, fid] = a.from.split('/') as [string, string];
      const [tk, tid] = a.to.split('/') as [string, string];
      const f = resolveObjectType(fk)!.name;
      const t = resolveObjectType(tk)!.name;
      const err = this.associate(f, fid, t, tid, a.typeId);
      if (err) problems.push(`${source}: $.associations[${i}]: ${err}`);
    });
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
      if (sp) sp.options = pipes.flatMap((p) => p.stages.map((s) => ({ label: s.label, value: s.id, displayOrder: s.displayOrder, hidden: false, description: `${p.label}` })));
    };
    set('deals', 'pipeline', 'dealstage');
    set('leads', 'hs_pipeline', 'hs_pipeline_stage');
    set('tickets', 'hs_pipeline', 'hs_pipeline_stage');
    set('services', 'hs_pipeline', 'hs_pipeline_stage');
  }

  stageOf(type: string, stageId: string | null | undefined): { metadata: Record<string, string>; pipelineId: string } | undefined {
    if (!stageId) return undefined;
    for (const p of this.pipelines.get(type) ?? []) for (const s of p.stages) if (s.id === stageId) return { metadata: s.metadata, pipelineId: p.id };
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
  assocMap(from: string, to: string, create: true): Map<string, Map<string, Set<number>>>;
  assocMap(from: string, to: string, create?: false): Map<string, Map<string, Set<number>>> | undefined;
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
    if (!this.types.get(from)?.byId.has(fromId)) return `no ${from} record with id "${fromId}"`;
    if (!this.types.get(to)?.byId.has(toId)) return `no ${to} record with id "${toId}"`;
    const def = typeId === undefined ? this.defaultType(from, to) : this.typeById(from, to, typeId);
    if (!def) {
      return typeId === undefined
        ? `no HubSpot-defined default association type between ${from} and ${to}; give a typeId`
        : `association type ${typeId} does not exist from ${from} to ${to}`;
    }
    const link = (f: string, fid: string, t: string, tid: string, id: number) => {
      const m = this.assocMap(f, t, true);
      let inner = m.get(fid);
      if (!inner) m.set(fid, (inner = new Map()));
      let s = inner.get(tid);
      if (!s) inner.set(tid, (s = new Set()));
      s.add(id);
    };
    link(from, fromId, to, toId, def.typeId);
    // a labelled association implies the unlabelled default one, in both directions
    const base = def.isDefault ? def : this.defaultType(from, to);
    if (base && base !== def) link(from, fromId, to, toId, base.typeId);
    const inverse = def.inverse || base?.inverse;
    if (inverse) link(to, toId, from, fromId, inverse);
    if (base && base.inverse && base.inverse !== inverse) link(to, toId, from, fromId, base.inverse);
    return undefined;
  }

  /** Removes all associations between two records (both directions). */
  unassociate(from: string, fromId: string, to: string, toId: string, typeId?: number): void {
    const drop = (f: string, fid: string, t: string, tid: string, id?: number) => {
      const inner = this.assocMap(f, t)?.get(fid);
      if (!inner) return;
      if (id === undefined) inner.delete(tid);
      else {
        const s = inner.get(tid);
        s?.delete(id);
        if (s && s.size === 0) inner.delete(tid);
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

  associated(from: string, fromId: string, to: string): Map<string, Set<number>> | undefined {
    return this.assocMap(from, to)?.get(fromId);
  }

  dropAllAssociations(type: string, id: string): void {
    for (const [k, m] of this.assoc) {
      const [f, t] = k.split('>') as [string, string];
      if (f === type) {
        const inner = m.get(id);
        if (inner) for (const toId of inner.keys()) this.assocMap(t, f)?.get(toId)?.delete(id);
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
