// Record reads (HubSpot's SimplePublicObject shape), computed properties, and writes.
import { iso, toMs, ValidationError, type Portal, type Props, type Rec, type TypeStore } from './store';

/** HubSpot-computed properties (spec sandbox-fixture.md "computes what HubSpot computes"). */
export function computedValue(
  p: Portal,
  ts: TypeStore,
  r: Rec,
  name: string,
  now: number,
  props: Props = r.props,
): string | null | undefined {
  const t = ts.info;
  if (name === 'hs_object_id') return r.id;
  if (name === t.createdProp) return iso(r.createdAt);
  if (name === t.modifiedProp) return iso(r.updatedAt);
  const count = (to: string) => String(p.assocCount(t.name, r.id, to));
  switch (t.name) {
    case 'deals': {
      if (name === 'num_associated_contacts') return count('contacts');
      const st = p.stageOf('deals', props.dealstage);
      if (!st) break;
      const closed = st.metadata.isClosed === 'true';
      const prob = Number(st.metadata.probability ?? 'NaN');
      if (name === 'hs_is_closed') return String(closed);
      if (name === 'hs_is_closed_won') return String(closed && prob === 1);
      if (name === 'hs_is_closed_lost') return String(closed && prob === 0);
      if (name === 'hs_deal_stage_probability') return st.metadata.probability ?? null;
      break;
    }
    case 'contacts':
      if (name === 'num_associated_deals') return count('deals');
      if (name === 'hs_email_domain') return props.email?.includes('@') ? props.email.split('@')[1]!.toLowerCase() : undefined;
      break;
    case 'companies':
      if (name === 'num_associated_contacts') return count('contacts');
      if (name === 'num_associated_deals') return count('deals');
      break;
    case 'tasks': {
      // reference §1.2 [OBS]: hs_task_is_completed "0"/"1", hs_task_is_overdue "true"/"false"
      const done = props.hs_task_status === 'COMPLETED';
      if (name === 'hs_task_is_completed') return done ? '1' : '0';
      const due = props.hs_timestamp ? toMs(props.hs_timestamp) : undefined;
      if (name === 'hs_task_is_overdue') return String(!done && due !== undefined && due < now);
      if (name === 'hs_task_is_past_due_date') return String(due !== undefined && due < now);
      break;
    }
    case 'leads': {
      const st = p.stageOf('leads', props.hs_pipeline_stage);
      if (!st) break;
      const state = st.metadata.leadState;
      if (name === 'hs_lead_is_new') return String(state === 'OPEN');
      if (name === 'hs_lead_is_in_progress') return String(state === 'IN_PROGRESS');
      if (name === 'hs_lead_is_open') return String(state === 'OPEN' || state === 'IN_PROGRESS');
      if (name === 'hs_lead_is_qualified') return String(state === 'QUALIFIED');
      if (name === 'hs_lead_is_disqualified') return String(state === 'DISQUALIFIED');
      break;
    }
  }
  return undefined;
}

const COMPUTED: Record<string, string[]> = {
  deals: ['num_associated_contacts', 'hs_is_closed', 'hs_is_closed_won', 'hs_is_closed_lost', 'hs_deal_stage_probability'],
  contacts: ['num_associated_deals', 'hs_email_domain'],
  companies: ['num_associated_contacts', 'num_associated_deals'],
  tasks: ['hs_task_is_completed', 'hs_task_is_overdue', 'hs_task_is_past_due_date'],
  leads: ['hs_lead_is_new', 'hs_lead_is_in_progress', 'hs_lead_is_open', 'hs_lead_is_qualified', 'hs_lead_is_disqualified'],
};
export function isComputed(ts: TypeStore, name: string): boolean {
  return (
    name === 'hs_object_id' ||
    name === ts.info.createdProp ||
    name === ts.info.modifiedProp ||
    (COMPUTED[ts.info.name]?.includes(name) ?? false)
  );
}

/** A property value as HubSpot reports it: computed, else stored; undefined when unset. */
export function valueOf(p: Portal, ts: TypeStore, r: Rec, name: string, now: number, props: Props = r.props): string | null | undefined {
  const c = isComputed(ts, name) ? computedValue(p, ts, r, name, now, props) : undefined;
  return c !== undefined ? c : props[name];
}

export function propertyExists(ts: TypeStore, name: string): boolean {
  return ts.props.has(name) || isComputed(ts, name);
}

/** The property names a response lists, in order (sorted): the requested ones plus the system three, or the type's defaults. */
export function propertyNames(ts: TypeStore, requested: string[] | undefined): string[] {
  const names =
    requested && requested.length
      ? [...new Set([ts.info.createdProp, ts.info.modifiedProp, 'hs_object_id', ...requested])]
      : ts.info.defaultProperties;
  return [...names].sort();
}

/** Property map for a response: the requested names (or the type's defaults) plus the system three. */
export function shapeProperties(
  p: Portal,
  ts: TypeStore,
  r: Rec,
  requested: string[] | undefined,
  now: number,
  names = propertyNames(ts, requested),
): Props {
  const out: Props = {};
  for (const n of names) {
    const v = valueOf(p, ts, r, n, now);
    if (v !== undefined) out[n] = v;
    else if (propertyExists(ts, n) || n in r.props) out[n] = null;
  }
  return out;
}

export type ReadOpts = { properties?: string[]; propertiesWithHistory?: string[]; associations?: string[] };

/** SimplePublicObject(WithAssociations) JSON for a record. */
export function shapeRecord(p: Portal, ts: TypeStore, r: Rec, o: ReadOpts, now: number): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: r.id,
    properties: shapeProperties(p, ts, r, o.properties, now),
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    archived: r.archived,
  };
  if (r.archived && r.archivedAt !== undefined) out.archivedAt = iso(r.archivedAt);
  if (o.propertiesWithHistory && o.propertiesWithHistory.length) {
    const h: Record<string, unknown[]> = {};
    for (const n of o.propertiesWithHistory) {
      if (!propertyExists(ts, n) && !(n in r.props)) continue;
      h[n] = historyOf(p, ts, r, n, now);
    }
    out.propertiesWithHistory = h;
  }
  if (o.associations && o.associations.length) {
    const a: Record<string, unknown> = {};
    for (const key of o.associations) {
      const other = p.typeStore(key);
      if (!other) continue;
      const m = p.associated(ts.info.name, r.id, other.info.name);
      if (!m || m.size === 0) continue;
      const results: { id: string; type: string }[] = [];
      for (const [toId, typeIds] of m) {
        for (const tid of typeIds) {
          // v3 names: primary → "contact_to_company", its unlabelled twin → "…_unlabeled"
          const def = p.labelOf(ts.info.name, other.info.name, tid);
          const base = `${ts.info.singular}_to_${other.info.singular}`;
          const hasPrimary = p.assocTypes.some((d) => d.from === ts.info.name && d.to === other.info.name && d.label === 'Primary');
          const type =
            def?.label === 'Primary'
              ? base
              : def?.label
                ? `${base}_${def.label.toLowerCase().replace(/\s+/g, '_')}`
                : hasPrimary
                  ? `${base}_unlabeled`
                  : base;
          results.push({ id: toId, type });
        }
      }
      a[other.info.name] = { results };
    }
    out.associations = a;
  }
  return out;
}

/**
 * When a stored value with no recorded change (a fixture's or the generator's) was set: at the
 * record's creation, as HubSpot's history would date a value given then, except a date lying
 * between the creation and the last modification (a "last activity" date), set when it happened.
 * Not the last modification: that would date every property's value to the last change of any.
 */
function setAt(ts: TypeStore, r: Rec, n: string, value: string): number {
  const type = ts.props.get(n)?.type;
  if (type === 'date' || type === 'datetime') {
    const at = toMs(value);
    if (at !== undefined && at > r.createdAt && at <= r.updatedAt) return at;
  }
  return r.createdAt;
}

/** propertiesWithHistory entries, newest first (HubSpot's order). */
function historyOf(p: Portal, ts: TypeStore, r: Rec, n: string, now: number): unknown[] {
  const hist = r.history?.[n];
  const entries =
    hist && hist.length
      ? hist
      : (() => {
          const v = valueOf(p, ts, r, n, now);
          return v == null
            ? []
            : [
                {
                  value: v,
                  timestamp: isComputed(ts, n) ? r.createdAt : setAt(ts, r, n, v),
                  sourceType: isComputed(ts, n) ? 'CALCULATED' : 'CRM_UI',
                },
              ];
        })();
  return [...entries].reverse().map((e) => ({
    value: e.value,
    timestamp: iso(e.timestamp),
    sourceType: e.sourceType,
    ...('sourceId' in e && e.sourceId !== undefined ? { sourceId: e.sourceId } : {}),
    ...('sourceLabel' in e && e.sourceLabel !== undefined ? { sourceLabel: e.sourceLabel } : {}),
    ...('updatedByUserId' in e && e.updatedByUserId !== undefined ? { updatedByUserId: e.updatedByUserId } : {}),
  }));
}

/** Checks writable values the way HubSpot does (unknown property, read-only, bad enum option, bad number/date). */
export function checkWrite(ts: TypeStore, props: Record<string, unknown>): string[] {
  const errs: string[] = [];
  for (const [name, raw] of Object.entries(props)) {
    const def = ts.props.get(name);
    if (!def) {
      errs.push(`Property "${name}" does not exist`);
      continue;
    }
    if (def.readOnly || def.calculated) {
      errs.push(`"${name}" is a read only property; its value cannot be set.`);
      continue;
    }
    if (raw === null || raw === '') continue;
    const v = String(raw);
    if ((def.type === 'datetime' || def.type === 'date') && toMs(v) === undefined)
      errs.push(`${v} was not a valid long or ISO-8601 value for property ${name}`);
    else if (def.type === 'number' && !Number.isFinite(Number(v))) errs.push(`${v} was not a valid number for property ${name}`);
    else if (def.type === 'bool' && !['true', 'false'].includes(v.toLowerCase()))
      errs.push(`${v} was not a valid boolean for property ${name}`);
    else if (def.type === 'enumeration' && !def.externalOptions && def.options.length) {
      const values = def.fieldType === 'checkbox' ? v.split(';') : [v];
      for (const x of values)
        if (!def.options.some((o) => o.value === x))
          errs.push(`${x} was not one of the allowed options: [${def.options.map((o) => o.value).join(', ')}] for property ${name}`);
    }
  }
  return errs;
}

export type WriteCtx = { now: number; searchDelayMs: number };

function markPending(ts: TypeStore, r: Rec, ctx: WriteCtx, isNew: boolean) {
  if (ctx.searchDelayMs <= 0) return;
  if (!(r.visibleAt !== undefined && r.visibleAt > ctx.now)) {
    r.searchView = isNew ? null : { props: { ...r.props }, archived: r.archived, updatedAt: r.updatedAt };
  }
  r.visibleAt = ctx.now + ctx.searchDelayMs;
  ts.pending.add(r);
}

/** Creates a record (properties already checked). */
export function createRecord(p: Portal, ts: TypeStore, input: Record<string, unknown>, ctx: WriteCtx): Rec {
  const id = String(ts.nextId);
  const r: Rec = { id, props: {}, createdAt: ctx.now, updatedAt: ctx.now, archived: false };
  markPending(ts, r, ctx, true);
  for (const [k, v] of Object.entries(input)) {
    const nv = p.normalizeValue(ts, k, v == null ? null : String(v));
    r.props[k] = nv;
  }
  if (r.props.hubspot_owner_id) r.props.hubspot_owner_assigneddate = iso(ctx.now);
  if (ts.info.name === 'meetings' && !r.props.hs_timestamp && r.props.hs_meeting_start_time)
    r.props.hs_timestamp = r.props.hs_meeting_start_time;
  for (const [k, v] of Object.entries(r.props))
    if (v != null) (r.history ??= {})[k] = [{ value: v, timestamp: ctx.now, sourceType: p.source.changeSource }];
  ts.insert(r);
  if (p.onChange) {
    p.onChange({ kind: 'creation', type: ts.info.name, id, at: ctx.now, source: p.source });
    // a creation also reports the properties it set (as property changes), as HubSpot does
    for (const [k, v] of Object.entries(r.props))
      if (v != null && v !== '')
        p.onChange({ kind: 'propertyChange', type: ts.info.name, id, property: k, value: v, at: ctx.now, source: p.source });
  }
  return r;
}

/** Updates a record's properties; HubSpot bumps the last-modified date and records history. */
export function updateRecord(p: Portal, ts: TypeStore, r: Rec, input: Record<string, unknown>, ctx: WriteCtx): void {
  markPending(ts, r, ctx, false);
  const changed: string[] = [ts.info.modifiedProp];
  for (const [k, v] of Object.entries(input)) {
    const nv = p.normalizeValue(ts, k, v == null ? null : String(v));
    const before = r.props[k];
    if (before === nv) continue;
    changed.push(k);
    if (!r.history?.[k] && before != null)
      (r.history ??= {})[k] = [{ value: before, timestamp: setAt(ts, r, k, before), sourceType: 'CRM_UI' }];
    r.props[k] = nv;
    ts.reindex(r, k, before, nv);
    (r.history ??= {})[k] = [...(r.history[k] ?? []), { value: nv ?? '', timestamp: ctx.now, sourceType: p.source.changeSource }];
    p.onChange?.({ kind: 'propertyChange', type: ts.info.name, id: r.id, property: k, value: nv, at: ctx.now, source: p.source });
    if (k === 'hubspot_owner_id') {
      const b = r.props.hubspot_owner_assigneddate;
      r.props.hubspot_owner_assigneddate = iso(ctx.now);
      ts.reindex(r, 'hubspot_owner_assigneddate', b, r.props.hubspot_owner_assigneddate);
      changed.push('hubspot_owner_assigneddate');
      p.onChange?.({
        kind: 'propertyChange',
        type: ts.info.name,
        id: r.id,
        property: 'hubspot_owner_assigneddate',
        value: r.props.hubspot_owner_assigneddate,
        at: ctx.now,
        source: p.source,
      });
    }
  }
  r.updatedAt = Math.max(ctx.now, r.updatedAt + 1);
  ts.touched(r, changed);
}

export function archiveRecord(p: Portal, ts: TypeStore, r: Rec, ctx: WriteCtx): void {
  if (r.archived) return;
  markPending(ts, r, ctx, false);
  r.archived = true;
  r.archivedAt = ctx.now;
  p.dropAllAssociations(ts.info.name, r.id);
  p.onChange?.({ kind: 'deletion', type: ts.info.name, id: r.id, at: ctx.now, source: p.source });
}

/** Brings an archived record back from the recycle bin (HubSpot's UI; no public API). Its associations stay gone. */
export function restoreRecord(p: Portal, ts: TypeStore, r: Rec, ctx: WriteCtx): void {
  if (!r.archived) return;
  markPending(ts, r, ctx, false);
  r.archived = false;
  r.archivedAt = undefined;
  r.updatedAt = Math.max(ctx.now, r.updatedAt + 1);
  ts.touched(r, [ts.info.modifiedProp]);
  p.onChange?.({ kind: 'restore', type: ts.info.name, id: r.id, at: ctx.now, source: p.source });
}

/**
 * Merges `merged` into `primary` (POST /crm/v3/objects/{type}/merge): the primary keeps its id and
 * its values, takes the merged record's values for the properties it lacks and its associations;
 * the merged record leaves (archived, so neither reads nor search find it). One merge event.
 */
export function mergeRecords(p: Portal, ts: TypeStore, primary: Rec, merged: Rec, ctx: WriteCtx): number {
  const moved: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(merged.props)) {
    if (v != null && v !== '' && (primary.props[k] == null || primary.props[k] === '')) moved[k] = v;
  }
  const onChange = p.onChange;
  p.onChange = undefined; // the merge event stands for the moved values and associations
  try {
    if (Object.keys(moved).length) updateRecord(p, ts, primary, moved, ctx);
    for (const [key, m] of [...p.assoc]) {
      const [from, to] = key.split('>') as [string, string];
      if (from !== ts.info.name) continue;
      const adj = m.get(merged.id);
      if (!adj) continue;
      for (let i = 0; i < adj.length; i += 2) {
        const toId = adj[i] as string;
        if (toId !== primary.id) p.associate(from, primary.id, to, toId, adj[i + 1] as number);
      }
    }
    markPending(ts, merged, ctx, false);
    merged.archived = true;
    merged.archivedAt = ctx.now;
    p.dropAllAssociations(ts.info.name, merged.id);
    markPending(ts, primary, ctx, false);
    primary.updatedAt = Math.max(ctx.now, primary.updatedAt + 1);
    ts.touched(primary, [ts.info.modifiedProp]);
  } finally {
    p.onChange = onChange;
  }
  const count = Object.keys(moved).length;
  p.onChange?.({
    kind: 'merge',
    type: ts.info.name,
    primaryId: primary.id,
    mergedIds: [merged.id],
    propertiesMoved: count,
    at: ctx.now,
    source: p.source,
  });
  return count;
}

export function notFound(ts: TypeStore, id: string): ValidationError {
  return new ValidationError('Object not found.  objectId are usually numeric.', 'OBJECT_NOT_FOUND', 404, { context: { id: [id] } });
}
