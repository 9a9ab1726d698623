import type { Pipeline, PropertyDefinition } from '../../crm/types';
import { readBoolean, readDatetime, readNumber, readValue } from '../../crm/values';
import {
  DAY_MS,
  type Deal,
  type Engagement,
  type EngagementType,
  type HealthInputRecord,
  type Profile,
  type PropertyValue,
  type Ticket,
} from '../../engines/health';
import { labelProperties, recordLabel } from '../record-labels';
import { createCopyRepo, createHealthCopyRepo, type CustomerRecord, type Queryable } from '../../storage';

// What a profile needs, read from the portal copy (docs/decisions/0007): a page of customers at a
// time with every property the criteria read, then, for that page, one statement each for their
// engagements in the widest window, their tickets and their deals (associations both ways).
// No HubSpot call; memory is bounded by the page, not by the portal.

export const ENGAGEMENT_OBJECT: Record<EngagementType, string> = {
  MEETING: 'meetings',
  CALL: 'calls',
  EMAIL: 'emails',
  NOTE: 'notes',
};

const ENGAGEMENT_PROPERTIES: Record<EngagementType, string[]> = {
  MEETING: ['hs_timestamp', 'hs_meeting_outcome'],
  CALL: ['hs_timestamp', 'hs_call_direction', 'hs_call_status'],
  EMAIL: ['hs_timestamp', 'hs_email_direction'],
  NOTE: ['hs_timestamp'],
};

export const DEFAULT_CSM_PROPERTY = 'hubspot_owner_id';

/** What a profile needs loaded: properties, engagement windows per type, tickets, deals. */
export type DataNeeds = {
  objectType: string;
  properties: string[];
  /** Engagement type → the widest window (days) a criterion looks back. */
  engagementDays: Partial<Record<EngagementType, number>>;
  tickets: boolean;
  /** The widest won/lost window (days); null: deals not needed. */
  dealDays: number | null;
};

/** Reads the criteria once: the union of what they need (several profiles may merge theirs). */
export function needsOf(profile: Profile, csmProperty: string): DataNeeds {
  const properties = new Set<string>([...labelProperties(profile.objectType), csmProperty, 'createdate']);
  const engagementDays: DataNeeds['engagementDays'] = {};
  let tickets = false;
  let dealDays: number | null = null;
  for (const g of profile.segment?.filterGroups ?? []) for (const f of g.filters) properties.add(f.propertyName);
  for (const group of profile.groups) {
    for (const c of group.criteria) {
      switch (c.kind) {
        case 'property':
          properties.add(c.filter.propertyName);
          break;
        case 'engagementCount':
        case 'engagementRecency':
          for (const t of c.types) engagementDays[t] = Math.max(engagementDays[t] ?? 0, c.windowDays);
          break;
        case 'openTickets':
        case 'ticketAge':
          tickets = true;
          break;
        case 'deals':
          dealDays = Math.max(dealDays ?? 0, c.measure === 'open' ? 0 : c.windowDays);
          break;
        case 'renewal':
        case 'daysSince':
        case 'sentiment':
        case 'nps':
          properties.add(c.property);
          break;
      }
    }
  }
  return { objectType: profile.objectType, properties: [...properties].sort(), engagementDays, tickets, dealDays };
}

/**
 * The properties whose value on a past day a backfill reads from their history: those the criteria
 * score and those the segment filters on (a record outside the segment on a day is not scored for
 * it). createdate never changes.
 */
export function historyPropertiesOf(profile: Profile): string[] {
  const properties = new Set<string>();
  for (const g of profile.segment?.filterGroups ?? []) for (const f of g.filters) properties.add(f.propertyName);
  for (const group of profile.groups)
    for (const c of group.criteria) {
      if (c.kind === 'property') properties.add(c.filter.propertyName);
      else if (c.kind === 'renewal' || c.kind === 'daysSince' || c.kind === 'sentiment' || c.kind === 'nps') properties.add(c.property);
    }
  properties.delete('createdate');
  return [...properties].sort();
}

/** Whether `loaded` holds everything `wanted` needs (a dry run on stored inputs is then exact). */
export function missingNeeds(loaded: DataNeeds, wanted: DataNeeds): string[] {
  const out: string[] = [];
  if (loaded.objectType !== wanted.objectType) return [`The last run scored ${loaded.objectType}, not ${wanted.objectType}.`];
  const props = new Set(loaded.properties);
  const missingProps = wanted.properties.filter((p) => !props.has(p));
  if (missingProps.length) out.push(`The last run did not read ${missingProps.join(', ')}; those criteria show no data in this preview.`);
  for (const [type, days] of Object.entries(wanted.engagementDays) as [EngagementType, number][]) {
    const have = loaded.engagementDays[type];
    if (have === undefined || have < days)
      out.push(`The last run loaded ${ENGAGEMENT_OBJECT[type]} over ${have ?? 0} days, not ${days}; the preview counts what it has.`);
  }
  if (wanted.tickets && !loaded.tickets) out.push('The last run did not load tickets; ticket criteria show no data in this preview.');
  if (wanted.dealDays !== null && (loaded.dealDays === null || loaded.dealDays < wanted.dealDays))
    out.push('The last run did not load deals over that window; deal criteria count what it has.');
  return out;
}

/** Merges two plans (profiles of the same object share one load). */
export function mergeNeeds(a: DataNeeds, b: DataNeeds): DataNeeds {
  const engagementDays = { ...a.engagementDays };
  for (const [t, d] of Object.entries(b.engagementDays) as [EngagementType, number][])
    engagementDays[t] = Math.max(engagementDays[t] ?? 0, d);
  return {
    objectType: a.objectType,
    properties: [...new Set([...a.properties, ...b.properties])].sort(),
    engagementDays,
    tickets: a.tickets || b.tickets,
    dealDays: a.dealDays === null ? b.dealDays : b.dealDays === null ? a.dealDays : Math.max(a.dealDays, b.dealDays),
  };
}

/** A property's past values, oldest first: each from `at` (epoch ms) on; undefined means unset. */
export type PropertyTimeline = { at: number; value: PropertyValue | undefined }[];

/** One scored record as loaded, plus what the service keeps beside the engine input. */
export type LoadedRecord = HealthInputRecord & {
  createdAt: number | null;
  /** The copy's modification time (hs_lastmodifieddate): no property changed after it. */
  modifiedAt?: number | null;
  dealCreatedAt?: Record<string, number>;
  /** Past values of the properties a backfill reads as of each day (InputReader.withHistory). */
  history?: Record<string, PropertyTimeline>;
};

export type LoadStats = { searches: number; general: number; records: number; engagements: number; tickets: number; deals: number };

export type Metadata = {
  definitions: Map<string, PropertyDefinition>;
  openTicketStages: string[] | null;
  ticketClosedProperty: string | null;
  dealStages: Map<string, { closed: boolean; won: boolean }> | null;
};

/** Converts a HubSpot string value with the property's type: numbers, booleans, dates as epoch ms. */
export function convertValue(raw: string | null | undefined, def: PropertyDefinition | undefined): PropertyValue | undefined {
  return readValue(raw, def?.type);
}

const ms = (raw: string | null | undefined) => readDatetime(raw) ?? undefined;

const TICKET_PROPERTIES = ['createdate', 'hs_pipeline_stage', 'hs_ticket_priority', 'closed_date'];
const DEAL_PROPERTIES = ['dealstage', 'closedate', 'createdate', 'amount'];

/** Property definitions and pipelines, from the copy (its first load stores them). */
export async function loadMetadata(db: Queryable, portalId: number, needs: DataNeeds, warnings: string[]): Promise<Metadata> {
  const repo = createCopyRepo(db);
  const [defs, ticketPipelines, ticketDefs, dealPipelines] = await Promise.all([
    repo.propertyDefinitions<PropertyDefinition>(portalId, needs.objectType),
    needs.tickets ? repo.pipelines<Pipeline>(portalId, 'tickets') : null,
    needs.tickets ? repo.propertyDefinitions<PropertyDefinition>(portalId, 'tickets') : null,
    needs.dealDays !== null ? repo.pipelines<Pipeline>(portalId, 'deals') : null,
  ]);
  const openTicketStages = ticketPipelines?.length
    ? ticketPipelines.flatMap((p) =>
        p.stages.filter((s) => s.metadata.ticketState !== 'CLOSED' && readBoolean(s.metadata.isClosed) !== true).map((s) => s.id),
      )
    : null;
  const dealStages = dealPipelines?.length
    ? new Map(
        dealPipelines.flatMap((p) =>
          p.stages.map((s) => {
            const closed = readBoolean(s.metadata.isClosed) === true;
            return [s.id, { closed, won: closed && (readNumber(s.metadata.probability) ?? 0) >= 1 }] as const;
          }),
        ),
      )
    : null;
  if (needs.tickets && !openTicketStages) warnings.push('Ticket stages are not in the copy of this portal: ticket criteria show no data.');
  if (needs.dealDays !== null && !dealStages) warnings.push('Deal stages are not in the copy of this portal: deal criteria show no data.');
  return {
    definitions: new Map(defs.map((d) => [d.name, d])),
    openTicketStages,
    ticketClosedProperty: ticketDefs?.some((d) => d.name === 'closed_date') ? 'closed_date' : null,
    dealStages,
  };
}

export type LoadOptions = {
  /** Score as of this instant (epoch ms). */
  asOf: number;
  /** Load this many days more history, to score past days (backfill). */
  lookbackDays?: number;
  csmProperty?: string;
};

/** Customers read from the copy per page: bounds memory (20,000 companies stay well under 500 MB). */
export const PAGE_SIZE = 1000;

/**
 * Reads the engine's input from the portal copy, a page of customers at a time: per page one
 * statement for the customers, one for their engagements in the widest window, one for their
 * tickets, one for their deals. No HubSpot call.
 */
export type InputReader = {
  warnings: string[];
  stats: LoadStats;
  /** Every live customer of needs.objectType, a page at a time, ascending ids. */
  pages(pageSize?: number): AsyncGenerator<LoadedRecord[]>;
  /** The given customers (absent ones are left out). */
  byIds(ids: string[]): Promise<LoadedRecord[]>;
  /**
   * Attaches to `records` the copy's history of `properties` (those the portal defines), for
   * asOf: a property with no stored history keeps its current value. No HubSpot call: the caller
   * has made the copy hold it (sync/property-history.ts).
   */
  withHistory(records: LoadedRecord[], properties: readonly string[]): Promise<void>;
  /** Whether the portal defines this property on the object (the copy's definitions). */
  defines(property: string): boolean;
};

export async function inputReader(db: Queryable, portalId: number, needs: DataNeeds, opts: LoadOptions): Promise<InputReader> {
  const warnings: string[] = [];
  const stats: LoadStats = { searches: 0, general: 0, records: 0, engagements: 0, tickets: 0, deals: 0 };
  const repo = createHealthCopyRepo(db);
  const lookback = opts.lookbackDays ?? 0;
  const csm = opts.csmProperty ?? DEFAULT_CSM_PROPERTY;
  const meta = await loadMetadata(db, portalId, needs, warnings);
  const props = needs.properties.filter((p) => meta.definitions.has(p) || p === 'createdate');
  const engagementDays = Object.entries(needs.engagementDays) as [EngagementType, number][];
  const widest = Math.max(0, ...engagementDays.map(([, d]) => d)) + lookback;
  const engagementTypes = engagementDays.map(([t]) => ENGAGEMENT_OBJECT[t]);
  const typeOf = new Map(engagementDays.map(([t]) => [ENGAGEMENT_OBJECT[t], t]));
  const fromOf = new Map(engagementDays.map(([t, d]) => [t, opts.asOf - (d + lookback) * DAY_MS]));
  const openTickets = new Set(meta.openTicketStages ?? []);
  const ticketsClosedSince = lookback > 0 && meta.ticketClosedProperty ? opts.asOf - lookback * DAY_MS : null;
  const dealsSince = opts.asOf - ((needs.dealDays ?? 0) + lookback) * DAY_MS;

  async function complete(customers: CustomerRecord[]): Promise<LoadedRecord[]> {
    const byId = new Map<string, LoadedRecord>();
    for (const c of customers) byId.set(c.id, toInput(needs.objectType, c, meta, csm, props));
    stats.records += byId.size;
    const ids = [...byId.keys()];
    const [engagements, tickets, deals] = await Promise.all([
      engagementTypes.length
        ? repo.linked(portalId, needs.objectType, ids, engagementTypes, ENGAGEMENT_FIELDS, {
            from: new Date(opts.asOf - widest * DAY_MS),
            to: new Date(opts.asOf),
          })
        : null,
      needs.tickets && meta.openTicketStages ? repo.linked(portalId, needs.objectType, ids, ['tickets'], TICKET_PROPERTIES) : null,
      needs.dealDays !== null && meta.dealStages ? repo.linked(portalId, needs.objectType, ids, ['deals'], DEAL_PROPERTIES) : null,
    ]);
    if (engagements) {
      for (const rec of byId.values()) rec.engagements = [];
      for (const row of engagements) {
        const type = typeOf.get(row.objectType);
        if (!type) continue;
        const e = toEngagement(type, row.properties);
        if (!e || e.timestamp <= fromOf.get(type)! || e.timestamp > opts.asOf) continue;
        stats.engagements += 1;
        (byId.get(row.customerId)?.engagements as Engagement[] | undefined)?.push(e);
      }
    }
    if (tickets) {
      for (const rec of byId.values()) rec.tickets = [];
      for (const row of tickets) {
        const p = row.properties;
        const createdAt = ms(p.createdate) ?? row.createdAt?.getTime();
        if (createdAt === undefined) continue;
        const closed = !openTickets.has(p.hs_pipeline_stage ?? '');
        const closedAt = ms(p.closed_date);
        // Open tickets, and (backfill) tickets closed inside the lookback: what the scan used to read.
        if (closed && !(ticketsClosedSince !== null && closedAt !== undefined && closedAt > ticketsClosedSince)) continue;
        const t: Ticket = { id: row.id, createdAt, closed, priority: p.hs_ticket_priority ?? undefined };
        if (closed && closedAt !== undefined) t.closedAt = closedAt;
        stats.tickets += 1;
        (byId.get(row.customerId)?.tickets as Ticket[] | undefined)?.push(t);
      }
    }
    if (deals) {
      for (const rec of byId.values()) {
        rec.deals = [];
        rec.dealCreatedAt = {};
      }
      for (const row of deals) {
        const p = row.properties;
        const stage = meta.dealStages?.get(p.dealstage ?? '');
        if (!stage) continue;
        const closeAt = ms(p.closedate);
        // Open deals, and deals closing after the widest won/lost window's start.
        if (stage.closed && !(closeAt !== undefined && closeAt > dealsSince)) continue;
        const d: Deal = { id: row.id, open: !stage.closed };
        if (stage.closed && closeAt !== undefined) {
          if (stage.won) d.wonAt = closeAt;
          else d.lostAt = closeAt;
        }
        const amount = readNumber(p.amount);
        if (amount !== null) d.amount = amount;
        stats.deals += 1;
        const created = ms(p.createdate) ?? row.createdAt?.getTime();
        const rec = byId.get(row.customerId);
        if (!rec) continue;
        (rec.deals as Deal[]).push(d);
        if (created !== undefined) rec.dealCreatedAt![row.id] = created;
      }
    }
    return [...byId.values()];
  }

  return {
    warnings,
    stats,
    async *pages(pageSize = PAGE_SIZE) {
      // One page ahead: the next page is read while the caller scores and writes this one.
      const fetchPage = async (after: string | null) => {
        const page = await repo.customerPage(portalId, needs.objectType, props, after, pageSize);
        return { page, records: page.length ? complete(page) : Promise.resolve([]) };
      };
      let current = await fetchPage(null);
      while (current.page.length > 0) {
        const last = current.page.length < pageSize ? null : current.page[current.page.length - 1]!.id;
        const next = last === null ? null : fetchPage(last);
        // A failed prefetch surfaces when awaited below, not as an unhandled rejection meanwhile.
        void next?.then((n) => n.records.catch(() => {})).catch(() => {});
        yield await current.records;
        if (!next) return;
        current = await next;
      }
    },
    async byIds(ids) {
      return complete(await repo.customersByIds(portalId, needs.objectType, props, ids));
    },
    defines: (property) => meta.definitions.has(property),
    async withHistory(records, properties) {
      const known = properties.filter((p) => meta.definitions.has(p));
      if (known.length === 0 || records.length === 0) return;
      const byId = new Map(records.map((r) => [r.id, r]));
      const rows = await createCopyRepo(db).propertyHistories(portalId, needs.objectType, known, [...byId.keys()]);
      for (const row of rows) {
        const rec = byId.get(row.recordId);
        if (!rec) continue;
        const timeline = ((rec.history ??= {})[row.property] ??= []);
        timeline.push({
          at: row.changedAt.getTime(),
          value: row.value === null ? undefined : convertValue(row.value, meta.definitions.get(row.property)),
        });
      }
    },
  };
}

function toInput(objectType: string, r: CustomerRecord, meta: Metadata, csm: string, props: string[]): LoadedRecord {
  const properties: Record<string, PropertyValue | undefined> = {};
  for (const name of props) {
    const raw = r.properties[name];
    if (raw !== undefined) properties[name] = convertValue(raw, meta.definitions.get(name));
  }
  const owner = r.properties[csm];
  return {
    id: r.id,
    label: recordLabel(objectType, { id: r.id, properties: r.properties, createdAt: '', updatedAt: '' }),
    ownerId: owner ? String(owner) : null,
    properties,
    createdAt: ms(r.properties.createdate) ?? r.createdAt?.getTime() ?? null,
    modifiedAt: r.modifiedAt?.getTime() ?? null,
  };
}

const ENGAGEMENT_FIELDS = [...new Set(Object.values(ENGAGEMENT_PROPERTIES).flat())];

function toEngagement(type: EngagementType, p: Record<string, string | null>): Engagement | null {
  const timestamp = ms(p.hs_timestamp);
  if (timestamp === undefined) return null;
  const e: Engagement = { type, timestamp };
  if (type === 'EMAIL') {
    const d = p.hs_email_direction;
    if (d === 'INCOMING_EMAIL') e.direction = 'INCOMING';
    else if (d === 'EMAIL') e.direction = 'OUTGOING';
  } else if (type === 'CALL') {
    const d = p.hs_call_direction;
    if (d === 'INBOUND') e.direction = 'INCOMING';
    else if (d === 'OUTBOUND') e.direction = 'OUTGOING';
    if (p.hs_call_status) e.outcome = p.hs_call_status;
  } else if (type === 'MEETING' && p.hs_meeting_outcome) {
    e.outcome = p.hs_meeting_outcome;
  }
  return e;
}

/**
 * The record as it stood at `at` (backfill): engagements after `at` are ignored by the engine's
 * windows; tickets and deals are reopened or hidden from their timestamps; null when the record
 * did not exist yet. A property with history (record.history) takes the value of its last entry at
 * or before `at` (unset before the first); the others keep today's value.
 */
export function asOf(record: LoadedRecord, at: number): HealthInputRecord | null {
  if (record.createdAt !== null && record.createdAt > at) return null;
  const out: HealthInputRecord = { ...record };
  if (record.history) {
    const properties = { ...record.properties };
    for (const [name, timeline] of Object.entries(record.history)) {
      let value: PropertyValue | undefined;
      for (const entry of timeline) {
        if (entry.at > at) break;
        value = entry.value;
      }
      if (value === undefined) delete properties[name];
      else properties[name] = value;
    }
    out.properties = properties;
  }
  if (record.tickets)
    out.tickets = record.tickets
      .filter((t) => t.createdAt <= at)
      .map((t) =>
        t.closed && t.closedAt !== undefined && t.closedAt > at
          ? { id: t.id, createdAt: t.createdAt, closed: false, priority: t.priority }
          : t,
      );
  if (record.deals)
    out.deals = record.deals
      .filter((d) => d.id === undefined || (record.dealCreatedAt?.[d.id] ?? 0) <= at)
      .map((d) => {
        const closedAt = d.wonAt ?? d.lostAt;
        return !d.open && closedAt !== undefined && closedAt > at ? { id: d.id, open: true, amount: d.amount } : d;
      });
  return out;
}

/** The engine input as stored (JSON): no service-only fields. */
export function storedInput(record: LoadedRecord): HealthInputRecord {
  const { createdAt: _c, modifiedAt: _m, dealCreatedAt: _d, history: _h, ...input } = record;
  return input;
}

/** One customer, from the copy (the health card when no fresh score is stored). */
export async function loadOne(
  db: Queryable,
  portalId: number,
  needs: DataNeeds,
  objectId: string,
  opts: { asOf: number; csmProperty?: string },
): Promise<{ record: LoadedRecord | null; warnings: string[] }> {
  const reader = await inputReader(db, portalId, needs, opts);
  const [record] = await reader.byIds([objectId]);
  return { record: record ?? null, warnings: reader.warnings };
}
