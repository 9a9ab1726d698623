import { DateTime } from 'luxon';
import type { ObjectRef } from '../../contract/api';
import type {
  AssociationMap,
  Call,
  Company,
  Contact,
  Deal,
  Email,
  EpochMs,
  GuidedActionsInput,
  Lead,
  Meeting,
  Note,
  ObjectType,
  Pipeline,
  PipelineStage,
  Task,
} from './input';
import type { EngagedSignal, GuidedActionSettings } from './settings';
import { isoString, minuteString, quarterHourOffsets } from './time';

// Indexes built once per evaluation (by id, by association in both directions, per record
// email and engagement summaries memoised), so every rule reads in O(1)/O(own data).

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export type Signal = { signal: EngagedSignal; at: EpochMs; source: string };

type StageIndex = { pipeline: Pipeline; stages: Map<string, PipelineStage>; firstStageId: string | null };

const EMPTY: readonly string[] = [];

export type Ctx = ReturnType<typeof buildContext>;

function byId<T extends { id: string }>(rows: readonly T[]): Map<string, T> {
  const m = new Map<string, T>();
  for (const r of rows) m.set(r.id, r);
  return m;
}

function indexPipelines(pipelines: readonly Pipeline[]): Map<string, StageIndex> {
  const m = new Map<string, StageIndex>();
  for (const p of pipelines) {
    let first: PipelineStage | null = null;
    for (const s of p.stages) if (!first || s.displayOrder < first.displayOrder) first = s;
    m.set(p.id, { pipeline: p, stages: byId(p.stages), firstStageId: first?.id ?? null });
  }
  return m;
}

const lower = (s: string | null | undefined) => (s ? s.trim().toLowerCase() : null);
export const emailDomain = (email: string | null | undefined): string | null => {
  const e = lower(email);
  const at = e ? e.lastIndexOf('@') : -1;
  return e && at >= 0 ? e.slice(at + 1) : null;
};

type IdLists = Record<string, readonly string[]>;

/** Appends the ids of `from` not yet in `into` (lists are short: `includes` beats a Set). */
const addNew = (into: string[], from: readonly string[]) => {
  for (const id of from) if (!into.includes(id)) into.push(id);
  return into;
};
const hasDuplicates = (ids: readonly string[]) => {
  if (ids.length > 16) return new Set(ids).size < ids.length;
  for (let i = 1; i < ids.length; i++) if (ids.indexOf(ids[i]!) < i) return true;
  return false;
};
/** The list without its repeats: the list itself when it has none (most). */
const distinct = (ids: readonly string[]) => (hasDuplicates(ids) ? addNew([], ids) : ids);

/** `b → [a…]` for every `a → [b…]` of `map`, in `map`'s order, deduplicated. */
function reverse(map: IdLists): Map<string, string[]> {
  const rev = new Map<string, string[]>();
  for (const a of Object.keys(map))
    for (const b of map[a]!) {
      const list = rev.get(b);
      if (!list) rev.set(b, [a]);
      // The keys are distinct, so `a` can be in b's list only from a repeat in a's own list: last.
      else if (list[list.length - 1] !== a) list.push(a);
    }
  return rev;
}

/**
 * The x → y lists: `forward` (the input's x→y map) and `backward` (its y→x map, reversed), merged
 * in input order (`forwardFirst`) and deduplicated. A forward list without duplicates is kept as
 * the input's own array (never written to). Empty lists are left out: a missing one reads as empty.
 */
function pairTable(forward: IdLists | null, backward: IdLists | null, forwardFirst: boolean): Map<string, readonly string[]> {
  if (!forward || !forwardFirst) {
    // The reversed map is the table (its lists are ours to extend) and the forward lists follow.
    const table: Map<string, readonly string[]> = backward ? reverse(backward) : new Map();
    if (forward)
      for (const a of Object.keys(forward)) {
        const bs = forward[a]!;
        if (!bs.length) continue;
        const list = table.get(a) as string[] | undefined;
        if (list) addNew(list, bs);
        else table.set(a, distinct(bs));
      }
    return table;
  }
  const table = new Map<string, readonly string[]>();
  for (const a of Object.keys(forward)) {
    const bs = forward[a]!;
    if (bs.length) table.set(a, distinct(bs));
  }
  if (backward)
    for (const [b, as] of reverse(backward)) {
      const list = table.get(b);
      table.set(b, list ? addNew(addNew([], list), as) : as);
    }
  return table;
}

/** A type associated with itself: each map entry adds both directions to one table, in turn. */
function selfTable(map: IdLists) {
  const table = new Map<string, string[]>();
  for (const a of Object.keys(map)) {
    let list = table.get(a);
    if (!list) table.set(a, (list = []));
    for (const b of map[a]!) {
      if (!list.includes(b)) list.push(b);
      let rev = table.get(b);
      if (!rev) table.set(b, (rev = []));
      if (!rev.includes(a)) rev.push(a);
    }
  }
  return table;
}

/**
 * Associations in both directions, deduplicated: `assoc(from, id, to)` lists the ids of `to`
 * associated with `from` record `id`: `associations[from][to][id]` and every `a` of
 * `associations[to][from]` that lists `id`, the two maps taken in the input's order.
 * A pair of types is indexed on its first lookup: the data plan reads more pairs than the
 * rules look up.
 */
function associationIndex(associations: AssociationMap) {
  const build = (x: string, y: string) => {
    let forward: IdLists | null = null;
    let backward: IdLists | null = null;
    let forwardFirst = true;
    for (const [from, tos] of Object.entries(associations))
      for (const [to, map] of Object.entries(tos ?? {})) {
        if (!map) continue;
        if (from === x && to === y) forward = map;
        else if (from === y && to === x) {
          backward = map;
          forwardFirst = forward !== null;
        }
      }
    if (x === y) return forward ? selfTable(forward) : new Map<string, readonly string[]>();
    return pairTable(forward, backward, forwardFirst);
  };
  const tables = new Map<string, Map<string, Map<string, readonly string[]>>>();
  return (from: ObjectType, id: string, to: ObjectType): readonly string[] => {
    let byTo = tables.get(from);
    if (!byTo) tables.set(from, (byTo = new Map()));
    let table = byTo.get(to);
    if (!table) byTo.set(to, (table = build(from, to)));
    return table.get(id) ?? EMPTY;
  };
}

/**
 * `emails.sort((a, b) => a.sentAt - b.sentAt)`, in place without the builtin's allocations: an
 * insertion sort is stable too, so with comparable times (no NaN) the order is the same. Lists
 * are short and mostly in order already; a long one, or one with a NaN, goes to the builtin.
 */
const oldestFirst = (emails: Email[]) => {
  if (emails.length > 32) return emails.sort((a, b) => a.sentAt - b.sentAt);
  for (const e of emails) if (typeof e.sentAt !== 'number' || Number.isNaN(e.sentAt)) return emails.sort((a, b) => a.sentAt - b.sentAt);
  for (let i = 1; i < emails.length; i++) {
    const e = emails[i]!;
    let j = i;
    for (; j > 0 && emails[j - 1]!.sentAt > e.sentAt; j--) emails[j] = emails[j - 1]!;
    emails[j] = e;
  }
  return emails;
};

/** HubSpot's default lifecycle stages, in their order. */
export const DEFAULT_LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'marketingqualifiedlead',
  'salesqualifiedlead',
  'opportunity',
  'customer',
  'evangelist',
  'other',
] as const;
const DEFAULT_LIFECYCLE = new Set<string>(DEFAULT_LIFECYCLE_STAGES);

/** Builds every index the rules read; call once per evaluation. */
export function buildContext(input: GuidedActionsInput, now: EpochMs, settings: GuidedActionSettings) {
  const rep = input.rep;
  const repEmail = lower(rep.email);
  const ids = {
    contacts: byId<Contact>(input.contacts),
    companies: byId<Company>(input.companies),
    deals: byId<Deal>(input.deals),
    leads: byId<Lead>(input.leads),
    tasks: byId<Task>(input.tasks),
    calls: byId<Call>(input.calls),
    emails: byId<Email>(input.emails),
    meetings: byId<Meeting>(input.meetings),
    notes: byId<Note>(input.notes),
  };

  const assoc = associationIndex(input.associations);

  const dealPipelines = indexPipelines(input.pipelines.deals);
  const leadPipelines = indexPipelines(input.pipelines.leads);
  const dealStage = (d: Deal) => dealPipelines.get(d.pipelineId)?.stages.get(d.stageId) ?? null;
  const leadStage = (l: Lead) => leadPipelines.get(l.pipelineId)?.stages.get(l.stageId) ?? null;
  /** Unknown stages count as open (HubSpot always knows; a missing stage is stale metadata). */
  const isDealOpen = (d: Deal) => !(dealStage(d)?.isClosed ?? false);
  const isDealFirstStage = (d: Deal) => dealPipelines.get(d.pipelineId)?.firstStageId === d.stageId;
  const isLeadOpen = (l: Lead) => !(leadStage(l)?.isClosed ?? false) && !isLeadDisqualified(l);
  const isLeadFirstStage = (l: Lead) => leadPipelines.get(l.pipelineId)?.firstStageId === l.stageId;
  const disqualified = new Set(settings.disqualifiedLeadStageIds);
  const isLeadDisqualified = (l: Lead) => disqualified.has(l.stageId);

  // Lifecycle: default lifecycle → customer/evangelist end rule 1; customised → its last stage.
  const visible = input.lifecycleStages.filter((o) => !o.hidden);
  const customised = visible.length > 0 && visible.some((o) => !DEFAULT_LIFECYCLE.has(o.value));
  let lastStage: string | null = null;
  let lastOrder = -Infinity;
  for (const o of visible)
    if (o.displayOrder > lastOrder) {
      lastOrder = o.displayOrder;
      lastStage = o.value;
    }
  const finalLifecycleStages = customised && lastStage ? [lastStage] : settings.finalLifecycleStages;

  const isRep = (ownerId: string | null | undefined) => ownerId === rep.ownerId;
  const isRepAddress = (email: string | null | undefined) => repEmail !== null && lower(email) === repEmail;
  const isTaskOpen = (t: Task) => !settings.completedTaskStatuses.includes(t.status ?? '');

  // Emails associated with a record, oldest first (memoised per type, then id).
  const emailMemo = new Map<string, Map<string, Email[]>>();
  const emailsOf = (type: ObjectType, id: string): Email[] => {
    let byId = emailMemo.get(type);
    if (!byId) emailMemo.set(type, (byId = new Map()));
    let list = byId.get(id);
    if (!list) {
      list = [];
      for (const eid of assoc(type, id, 'emails')) {
        const e = ids.emails.get(eid);
        if (e) list.push(e);
      }
      byId.set(id, oldestFirst(list));
    }
    return list;
  };

  /** Emails of a lead: those associated with the lead and with its primary contact. */
  const leadContactId = (l: Lead): string | null => {
    if (l.primaryContactId) return l.primaryContactId;
    for (const c of assoc('leads', l.id, 'contacts')) return c;
    return null;
  };
  const leadEmails = (l: Lead): Email[] => {
    let mix = emailMemo.get('leadmix');
    if (!mix) emailMemo.set('leadmix', (mix = new Map()));
    let list = mix.get(l.id);
    if (!list) {
      const cid = leadContactId(l);
      const seen = new Set<string>();
      list = [];
      for (const e of [...emailsOf('leads', l.id), ...(cid ? emailsOf('contacts', cid) : [])]) {
        if (!seen.has(e.id)) {
          seen.add(e.id);
          list.push(e);
        }
      }
      mix.set(l.id, oldestFirst(list));
    }
    return list;
  };

  const isOutgoingFromRep = (e: Email) => e.direction === 'EMAIL' && isRep(e.ownerId);
  const isIncomingFrom = (e: Email, address: string | null) =>
    e.direction === 'INCOMING_EMAIL' && (e.fromEmail === null || address === null || lower(e.fromEmail) === lower(address));

  /**
   * The reply state of a conversation: the rep's last outgoing email, and the first incoming
   * email (from `address`) later than it — "replied" in the rule book — that satisfies `which`.
   */
  const replyState = (emails: readonly Email[], address: string | null, which?: (e: Email) => boolean) => {
    let lastOutgoing: Email | null = null;
    for (const e of emails) if (isOutgoingFromRep(e)) lastOutgoing = e;
    let reply: Email | null = null;
    for (const e of emails)
      if (isIncomingFrom(e, address) && (lastOutgoing === null || e.sentAt > lastOutgoing.sentAt) && (!which || which(e))) {
        reply = e;
        break;
      }
    return { lastOutgoing, reply };
  };
  const isPrimaryRecipient = (e: Email) => isRepAddress(e.toEmails[0]);

  // Engagement signals of a record ("engaged", inferred), memoised.
  const signalMemo = new Map<string, Signal[]>();
  const wanted = new Set(settings.engagedSignals);
  const connected = new Set(settings.connectedCallDispositionIds);
  const engagementSignals = (type: ObjectType, id: string): Signal[] => {
    const out: Signal[] = [];
    for (const e of emailsOf(type, id)) {
      if (e.direction === 'INCOMING_EMAIL') out.push({ signal: 'INCOMING_EMAIL', at: e.sentAt, source: `emails:${e.id}` });
    }
    for (const mid of assoc(type, id, 'meetings')) {
      const m = ids.meetings.get(mid);
      if (m) out.push({ signal: 'MEETING_BOOKED', at: m.createdAt, source: `meetings:${m.id}` });
    }
    for (const cid of assoc(type, id, 'calls')) {
      const c = ids.calls.get(cid);
      if (!c) continue;
      if (c.direction === 'INBOUND') out.push({ signal: 'INBOUND_CALL', at: c.startedAt, source: `calls:${c.id}` });
      else if (c.disposition && connected.has(c.disposition))
        out.push({ signal: 'CONNECTED_CALL', at: c.startedAt, source: `calls:${c.id}` });
    }
    return out;
  };
  const contactSignals = (contactId: string): Signal[] => {
    const k = `contacts:${contactId}`;
    let list = signalMemo.get(k);
    if (!list) {
      list = engagementSignals('contacts', contactId);
      const c = ids.contacts.get(contactId);
      if (c?.salesEmailLastOpenedAt != null)
        list.push({ signal: 'EMAIL_OPEN', at: c.salesEmailLastOpenedAt, source: 'hs_sales_email_last_opened' });
      if (c?.salesEmailLastClickedAt != null)
        list.push({ signal: 'EMAIL_CLICK', at: c.salesEmailLastClickedAt, source: 'hs_sales_email_last_clicked' });
      if (c?.recentConversionAt != null)
        list.push({ signal: 'FORM_SUBMISSION', at: c.recentConversionAt, source: 'recent_conversion_date' });
      list = list.filter((s) => wanted.has(s.signal) && s.at <= now).sort((a, b) => a.at - b.at);
      signalMemo.set(k, list);
    }
    return list;
  };
  const leadSignals = (l: Lead): Signal[] => {
    const k = `leads:${l.id}`;
    let list = signalMemo.get(k);
    if (!list) {
      const cid = leadContactId(l);
      const seen = new Set<string>();
      list = [];
      for (const s of [
        ...engagementSignals('leads', l.id).filter((x) => wanted.has(x.signal) && x.at <= now),
        ...(cid ? contactSignals(cid) : []),
      ]) {
        const key = `${s.signal}|${s.source}`;
        if (!seen.has(key)) {
          seen.add(key);
          list.push(s);
        }
      }
      list.sort((a, b) => a.at - b.at);
      signalMemo.set(k, list);
    }
    return list;
  };

  // Labels.
  // `[firstName, lastName].filter(Boolean).join(' ')`, without the arrays.
  const contactLabel = (c: Contact) =>
    (c.firstName && c.lastName ? `${c.firstName} ${c.lastName}` : c.firstName || c.lastName) || c.email || `Contact ${c.id}`;
  const label = (type: ObjectType, id: string): string => {
    switch (type) {
      case 'contacts': {
        const c = ids.contacts.get(id);
        return c ? contactLabel(c) : `Contact ${id}`;
      }
      case 'companies':
        return ids.companies.get(id)?.name || `Company ${id}`;
      case 'deals':
        return ids.deals.get(id)?.name || `Deal ${id}`;
      case 'leads':
        return ids.leads.get(id)?.name || `Lead ${id}`;
      case 'tasks':
        return ids.tasks.get(id)?.subject || `Task ${id}`;
      case 'calls':
        return ids.calls.get(id)?.title || `Call ${id}`;
      case 'meetings':
        return ids.meetings.get(id)?.title || `Meeting ${id}`;
      case 'emails':
        return ids.emails.get(id)?.subject || `Email ${id}`;
      case 'notes':
        return `Note ${id}`;
    }
  };
  const ref = (type: ObjectType, id: string): ObjectRef => ({ objectType: type, objectId: id, label: label(type, id) });
  const refs = (from: ObjectType, id: string, to: readonly ObjectType[]): ObjectRef[] => {
    const out: ObjectRef[] = [];
    for (const t of to) for (const x of assoc(from, id, t)) out.push(ref(t, x));
    return out;
  };

  const tz = DateTime.fromMillis(now, { zone: rep.timeZone }).isValid ? rep.timeZone : input.portal.timeZone;
  // Not memoised: formatting is cheaper than a map lookup keyed by a number.
  const iso = isoString;
  const offsetAt = quarterHourOffsets(tz);
  const local = (ms: EpochMs) => minuteString(ms + offsetAt(ms) * MINUTE);

  return {
    input,
    now,
    settings,
    rep,
    tz,
    ids,
    assoc,
    isDealOpen,
    isDealFirstStage,
    isLeadOpen,
    isLeadFirstStage,
    isLeadDisqualified,
    leadStage,
    dealStage,
    finalLifecycleStages,
    lifecycleCustomised: customised,
    isRep,
    isRepAddress,
    isTaskOpen,
    emailsOf,
    leadEmails,
    leadContactId,
    isOutgoingFromRep,
    replyState,
    isPrimaryRecipient,
    contactSignals,
    leadSignals,
    contactLabel,
    label,
    ref,
    refs,
    iso,
    local,
  };
}
