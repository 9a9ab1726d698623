import type { PortalCrm } from '../../crm/gateway';
import type { CrmRecord, Filter, PropertyDefinition, SearchRequest } from '../../crm/types';
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
import { warningFor } from '../crm-errors';

// The data plan: what a profile needs from HubSpot, loaded with the fewest calls.
//   1. one scan (search, 200 a page) of the scored object with every property the profile reads;
//   2. per engagement type a criterion uses, one time-windowed scan of that type, joined to the
//      scored records through association batch reads (1,000 ids a call);
//   3. open (and recently closed) tickets, open and recently closed deals: the same way.
// Never a per-record read: the joins go from the (few, windowed) activity records to the customers.

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

/** One scored record as loaded, plus what the service keeps beside the engine input. */
export type LoadedRecord = HealthInputRecord & { createdAt: number | null; dealCreatedAt?: Record<string, number> };

export type LoadStats = { searches: number; general: number; records: number; engagements: number; tickets: number; deals: number };

export type LoadResult = { records: LoadedRecord[]; warnings: string[]; stats: LoadStats };

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

export async function loadMetadata(crm: PortalCrm, needs: DataNeeds, warnings: string[]): Promise<Metadata> {
  const [defs, ticketPipelines, ticketDefs, dealPipelines] = await Promise.all([
    crm.properties(needs.objectType),
    needs.tickets ? crm.pipelines('tickets').catch((err) => (warnings.push(warningFor('Ticket stages', err)), null)) : null,
    needs.tickets ? crm.properties('tickets').catch(() => null) : null,
    needs.dealDays !== null ? crm.pipelines('deals').catch((err) => (warnings.push(warningFor('Deal stages', err)), null)) : null,
  ]);
  const openTicketStages = ticketPipelines
    ? ticketPipelines.flatMap((p) =>
        p.stages.filter((s) => s.metadata.ticketState !== 'CLOSED' && readBoolean(s.metadata.isClosed) !== true).map((s) => s.id),
      )
    : null;
  const dealStages = dealPipelines
    ? new Map(
        dealPipelines.flatMap((p) =>
          p.stages.map((s) => {
            const closed = readBoolean(s.metadata.isClosed) === true;
            return [s.id, { closed, won: closed && (readNumber(s.metadata.probability) ?? 0) >= 1 }] as const;
          }),
        ),
      )
    : null;
  return {
    definitions: new Map(defs.map((d) => [d.name, d])),
    openTicketStages,
    ticketClosedProperty: ticketDefs?.some((d) => d.name === 'closed_date') ? 'closed_date' : null,
    dealStages,
  };
}

const toSearchValue = (v: unknown) => String(v);

function segmentFilters(profile: Profile | null, definitions: Map<string, PropertyDefinition>): SearchRequest['filterGroups'] {
  if (!profile?.segment) return [];
  return profile.segment.filterGroups.map((g) => ({
    filters: g.filters.map((f): Filter => {
      const isDate = ['date', 'datetime'].includes(definitions.get(f.propertyName)?.type ?? '');
      const conv = (v: unknown) =>
        isDate && typeof v === 'string' && !/^\d+$/.test(v) ? String(readDatetime(v) ?? NaN) : toSearchValue(v);
      return {
        propertyName: f.propertyName,
        operator: f.operator,
        ...(f.value !== undefined ? { value: conv(f.value) } : {}),
        ...(f.highValue !== undefined ? { highValue: conv(f.highValue) } : {}),
        ...(f.values ? { values: f.values.map(conv) } : {}),
      };
    }),
  }));
}

const PAGE = 200;
const CHAIN_PAGES = 20;
const MAX_SLICES = 8;

/**
 * `crm.scan` split into concurrent slices of hs_object_id (found with two one-result searches):
 * a scan is a chain of pages, each waiting for the last; several short chains keep the search
 * limiter busy to the end, where one long chain would leave it idle between round trips.
 */
async function splitScan(
  crm: PortalCrm,
  objectType: string,
  request: { filterGroups: SearchRequest['filterGroups']; properties: string[] },
  onProgress?: (count: number) => void,
): Promise<CrmRecord[]> {
  const groups = request.filterGroups.length ? request.filterGroups : [{ filters: [] }];
  const splittable = groups.every((g) => g.filters.length <= 3) && groups.reduce((n, g) => n + g.filters.length + 3, 0) <= 18;
  if (!splittable) return crm.scan(objectType, request, onProgress);
  const probe = (direction: 'ASCENDING' | 'DESCENDING') =>
    crm.search(objectType, {
      filterGroups: request.filterGroups,
      properties: ['hs_object_id'],
      sorts: [{ propertyName: 'hs_object_id', direction }],
      limit: 1,
    });
  const [first, last] = await Promise.all([probe('ASCENDING'), probe('DESCENDING')]);
  if (first.results.length === 0) return [];
  const slices = Math.min(MAX_SLICES, Math.max(1, Math.ceil(first.total / PAGE / CHAIN_PAGES)));
  const min = Number(first.results[0]!.id);
  const max = Number(last.results[0]?.id ?? min);
  if (slices === 1 || !Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max <= min)
    return crm.scan(objectType, request, onProgress);
  const step = Math.ceil((max - min + 1) / slices);
  let seen = 0;
  const parts = await Promise.all(
    Array.from({ length: slices }, (_, i) => {
      const lo = min + i * step;
      const hi = i === slices - 1 ? max + 1 : lo + step;
      const filterGroups = groups.map((g) => ({
        filters: [
          ...g.filters,
          { propertyName: 'hs_object_id', operator: 'GTE' as const, value: String(lo) },
          { propertyName: 'hs_object_id', operator: 'LT' as const, value: String(hi) },
        ],
      }));
      let mine = 0;
      return crm.scan(objectType, { filterGroups, properties: request.properties }, (n) => {
        seen += n - mine;
        mine = n;
        onProgress?.(seen);
      });
    }),
  );
  const out: CrmRecord[] = [];
  for (const part of parts) for (const r of part) out.push(r);
  return out;
}

/** Links `from` records to scored records through the association batch API (1,000 ids a call). */
async function joinTo(crm: PortalCrm, fromType: string, toType: string, ids: string[]): Promise<Map<string, string[]>> {
  return ids.length ? crm.associations(fromType, toType, ids) : new Map();
}

export type LoadOptions = {
  /** Score as of this instant (epoch ms). */
  asOf: number;
  /** Load this many days more history, to score past days (backfill). */
  lookbackDays?: number;
  csmProperty?: string;
  /** Restrict the scan to the profile's segment (search filters). */
  segmentOf?: Profile | null;
  onProgress?: (what: string, count: number) => void;
};

/**
 * Loads every record of `needs.objectType` with what the criteria need. The scan of the scored
 * object must succeed; a failed engagement, ticket or deal load leaves that part "not loaded"
 * (criteria show no data) and adds a warning.
 */
export async function loadInputs(crm: PortalCrm, needs: DataNeeds, opts: LoadOptions): Promise<LoadResult> {
  const warnings: string[] = [];
  const stats: LoadStats = { searches: 0, general: 0, records: 0, engagements: 0, tickets: 0, deals: 0 };
  const lookback = opts.lookbackDays ?? 0;
  const csm = opts.csmProperty ?? DEFAULT_CSM_PROPERTY;
  const meta = await loadMetadata(crm, needs, warnings);
  const props = needs.properties.filter((p) => meta.definitions.has(p) || p === 'createdate');

  const scanRecords = splitScan(
    crm,
    needs.objectType,
    { filterGroups: segmentFilters(opts.segmentOf ?? null, meta.definitions), properties: props },
    (n) => opts.onProgress?.(needs.objectType, n),
  );

  // Activity loads run beside the main scan so the search limiter never idles.
  const engagementLoads = (Object.entries(needs.engagementDays) as [EngagementType, number][]).map(async ([type, days]) => {
    const objectType = ENGAGEMENT_OBJECT[type];
    const from = opts.asOf - (days + lookback) * DAY_MS;
    const rows = await splitScan(
      crm,
      objectType,
      {
        filterGroups: [
          {
            filters: [
              { propertyName: 'hs_timestamp', operator: 'GT', value: String(from) },
              { propertyName: 'hs_timestamp', operator: 'LTE', value: String(opts.asOf) },
            ],
          },
        ],
        properties: ENGAGEMENT_PROPERTIES[type],
      },
      (n) => opts.onProgress?.(objectType, n),
    );
    const links = await joinTo(
      crm,
      objectType,
      needs.objectType,
      rows.map((r) => r.id),
    );
    return { type, rows, links };
  });

  const ticketLoad =
    needs.tickets && meta.openTicketStages
      ? (async () => {
          const groups: SearchRequest['filterGroups'] = [
            { filters: [{ propertyName: 'hs_pipeline_stage', operator: 'IN', values: meta.openTicketStages! }] },
          ];
          if (lookback > 0 && meta.ticketClosedProperty)
            groups.push({
              filters: [{ propertyName: meta.ticketClosedProperty, operator: 'GT', value: String(opts.asOf - lookback * DAY_MS) }],
            });
          const rows = await splitScan(
            crm,
            'tickets',
            { filterGroups: groups, properties: ['createdate', 'hs_pipeline_stage', 'hs_ticket_priority', 'closed_date'] },
            (n) => opts.onProgress?.('tickets', n),
          );
          const links = await joinTo(
            crm,
            'tickets',
            needs.objectType,
            rows.map((r) => r.id),
          );
          return { rows, links };
        })()
      : null;

  const dealLoad =
    needs.dealDays !== null && meta.dealStages
      ? (async () => {
          const open = [...meta.dealStages!].filter(([, s]) => !s.closed).map(([id]) => id);
          const since = opts.asOf - ((needs.dealDays ?? 0) + lookback) * DAY_MS;
          const groups: SearchRequest['filterGroups'] = [
            { filters: [{ propertyName: 'closedate', operator: 'GT', value: String(since) }] },
          ];
          if (open.length) groups.unshift({ filters: [{ propertyName: 'dealstage', operator: 'IN', values: open }] });
          const rows = await splitScan(
            crm,
            'deals',
            { filterGroups: groups, properties: ['dealstage', 'closedate', 'createdate', 'amount'] },
            (n) => opts.onProgress?.('deals', n),
          );
          const links = await joinTo(
            crm,
            'deals',
            needs.objectType,
            rows.map((r) => r.id),
          );
          return { rows, links };
        })()
      : null;
  if (needs.tickets && !meta.openTicketStages) warnings.push('Ticket stages could not be read: ticket criteria show no data.');
  if (needs.dealDays !== null && !meta.dealStages) warnings.push('Deal stages could not be read: deal criteria show no data.');

  const [scanned, engagementResults, ticketResult, dealResult] = await Promise.all([
    scanRecords,
    Promise.allSettled(engagementLoads),
    ticketLoad
      ? ticketLoad.then(
          (v) => ({ ok: true as const, v }),
          (err: unknown) => ({ ok: false as const, err }),
        )
      : null,
    dealLoad
      ? dealLoad.then(
          (v) => ({ ok: true as const, v }),
          (err: unknown) => ({ ok: false as const, err }),
        )
      : null,
  ]);

  const byId = new Map<string, LoadedRecord>();
  for (const r of scanned) byId.set(r.id, toInput(needs.objectType, r, meta, csm));
  stats.records = byId.size;

  const engagementsOk = engagementResults.every((r) => r.status === 'fulfilled');
  if (Object.keys(needs.engagementDays).length > 0 && engagementsOk) for (const rec of byId.values()) rec.engagements = [];
  for (const result of engagementResults) {
    if (result.status === 'rejected') {
      warnings.push(warningFor('Engagements', result.reason));
      continue;
    }
    if (!engagementsOk) continue;
    const { type, rows, links } = result.value;
    for (const row of rows) {
      const e = toEngagement(type, row);
      if (!e) continue;
      stats.engagements += 1;
      for (const id of links.get(row.id) ?? []) (byId.get(id)?.engagements as Engagement[] | undefined)?.push(e);
    }
  }

  if (ticketResult) {
    if (!ticketResult.ok) warnings.push(warningFor('Tickets', ticketResult.err));
    else {
      for (const rec of byId.values()) rec.tickets = [];
      const open = new Set(meta.openTicketStages ?? []);
      for (const row of ticketResult.v.rows) {
        const createdAt = ms(row.properties.createdate) ?? ms(row.createdAt);
        if (createdAt === undefined) continue;
        const closed = !open.has(row.properties.hs_pipeline_stage ?? '');
        const t: Ticket = { id: row.id, createdAt, closed, priority: row.properties.hs_ticket_priority ?? undefined };
        const closedAt = ms(row.properties.closed_date);
        if (closed && closedAt !== undefined) t.closedAt = closedAt;
        stats.tickets += 1;
        for (const id of ticketResult.v.links.get(row.id) ?? []) (byId.get(id)?.tickets as Ticket[] | undefined)?.push(t);
      }
    }
  }

  if (dealResult) {
    if (!dealResult.ok) warnings.push(warningFor('Deals', dealResult.err));
    else {
      for (const rec of byId.values()) {
        rec.deals = [];
        rec.dealCreatedAt = {};
      }
      for (const row of dealResult.v.rows) {
        const stage = meta.dealStages?.get(row.properties.dealstage ?? '');
        if (!stage) continue;
        const closeAt = ms(row.properties.closedate);
        const d: Deal = { id: row.id, open: !stage.closed };
        if (stage.closed && closeAt !== undefined) {
          if (stage.won) d.wonAt = closeAt;
          else d.lostAt = closeAt;
        }
        const amount = readNumber(row.properties.amount);
        if (amount !== null) d.amount = amount;
        stats.deals += 1;
        const created = ms(row.properties.createdate) ?? ms(row.createdAt);
        for (const id of dealResult.v.links.get(row.id) ?? []) {
          const rec = byId.get(id);
          if (!rec) continue;
          (rec.deals as Deal[]).push(d);
          if (created !== undefined) rec.dealCreatedAt![row.id] = created;
        }
      }
    }
  }
  return { records: [...byId.values()], warnings, stats };
}

function toInput(objectType: string, r: CrmRecord, meta: Metadata, csm: string): LoadedRecord {
  const properties: Record<string, PropertyValue | undefined> = {};
  for (const [name, raw] of Object.entries(r.properties)) properties[name] = convertValue(raw, meta.definitions.get(name));
  const owner = r.properties[csm];
  return {
    id: r.id,
    label: recordLabel(objectType, r),
    ownerId: owner ? String(owner) : null,
    properties,
    createdAt: ms(r.properties.createdate) ?? ms(r.createdAt) ?? null,
  };
}

function toEngagement(type: EngagementType, row: CrmRecord): Engagement | null {
  const timestamp = ms(row.properties.hs_timestamp);
  if (timestamp === undefined) return null;
  const e: Engagement = { type, timestamp };
  if (type === 'EMAIL') {
    const d = row.properties.hs_email_direction;
    if (d === 'INCOMING_EMAIL') e.direction = 'INCOMING';
    else if (d === 'EMAIL') e.direction = 'OUTGOING';
  } else if (type === 'CALL') {
    const d = row.properties.hs_call_direction;
    if (d === 'INBOUND') e.direction = 'INCOMING';
    else if (d === 'OUTBOUND') e.direction = 'OUTGOING';
    if (row.properties.hs_call_status) e.outcome = row.properties.hs_call_status;
  } else if (type === 'MEETING' && row.properties.hs_meeting_outcome) {
    e.outcome = row.properties.hs_meeting_outcome;
  }
  return e;
}

/**
 * The record as it stood at `at` (backfill): engagements after `at` are ignored by the engine's
 * windows; tickets and deals are reopened or hidden from their timestamps; null when the record
 * did not exist yet. Properties (sentiment, NPS…) keep today's values: HubSpot gives no history
 * without one read per record.
 */
export function asOf(record: LoadedRecord, at: number): HealthInputRecord | null {
  if (record.createdAt !== null && record.createdAt > at) return null;
  const out: HealthInputRecord = { ...record };
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
  const { createdAt: _c, dealCreatedAt: _d, ...input } = record;
  return input;
}

/**
 * One record, live (the health card when no fresh snapshot exists): a read, then per activity
 * type one association call and batch reads of the associated ids, filtered to the windows.
 */
export async function loadOne(
  crm: PortalCrm,
  needs: DataNeeds,
  objectId: string,
  opts: { asOf: number; csmProperty?: string },
): Promise<{ record: LoadedRecord | null; warnings: string[] }> {
  const warnings: string[] = [];
  const meta = await loadMetadata(crm, needs, warnings);
  const props = needs.properties.filter((p) => meta.definitions.has(p) || p === 'createdate');
  const row = await crm.getRecord(needs.objectType, objectId, props);
  if (!row) return { record: null, warnings };
  const record = toInput(needs.objectType, row, meta, opts.csmProperty ?? DEFAULT_CSM_PROPERTY);
  const linked = async (toType: string, properties: string[]) => {
    const ids = (await crm.associations(needs.objectType, toType, [objectId])).get(objectId) ?? [];
    return ids.length ? [...(await crm.batchRead(toType, ids, properties)).values()] : [];
  };
  const engagementTypes = Object.entries(needs.engagementDays) as [EngagementType, number][];
  const [engagements, tickets, deals] = await Promise.allSettled([
    Promise.all(
      engagementTypes.map(async ([type, days]) => {
        const rows = await linked(ENGAGEMENT_OBJECT[type], ENGAGEMENT_PROPERTIES[type]);
        const from = opts.asOf - days * DAY_MS;
        return rows
          .map((r) => toEngagement(type, r))
          .filter((e): e is Engagement => e !== null && e.timestamp > from && e.timestamp <= opts.asOf);
      }),
    ),
    needs.tickets && meta.openTicketStages
      ? linked('tickets', ['createdate', 'hs_pipeline_stage', 'hs_ticket_priority', 'closed_date'])
      : Promise.resolve(null),
    needs.dealDays !== null && meta.dealStages
      ? linked('deals', ['dealstage', 'closedate', 'createdate', 'amount'])
      : Promise.resolve(null),
  ]);
  if (engagementTypes.length) {
    if (engagements.status === 'fulfilled') record.engagements = engagements.value.flat();
    else warnings.push(warningFor('Engagements', engagements.reason));
  }
  if (tickets.status === 'rejected') warnings.push(warningFor('Tickets', tickets.reason));
  else if (tickets.value) {
    const open = new Set(meta.openTicketStages ?? []);
    record.tickets = tickets.value.flatMap((r): Ticket[] => {
      const createdAt = ms(r.properties.createdate) ?? ms(r.createdAt);
      if (createdAt === undefined) return [];
      const closed = !open.has(r.properties.hs_pipeline_stage ?? '');
      return [
        {
          id: r.id,
          createdAt,
          closed,
          priority: r.properties.hs_ticket_priority ?? undefined,
          ...(closed && ms(r.properties.closed_date) ? { closedAt: ms(r.properties.closed_date) } : {}),
        },
      ];
    });
  }
  if (deals.status === 'rejected') warnings.push(warningFor('Deals', deals.reason));
  else if (deals.value) {
    record.deals = deals.value.flatMap((r): Deal[] => {
      const stage = meta.dealStages?.get(r.properties.dealstage ?? '');
      if (!stage) return [];
      const closeAt = ms(r.properties.closedate);
      const d: Deal = { id: r.id, open: !stage.closed };
      if (stage.closed && closeAt !== undefined) {
        if (stage.won) d.wonAt = closeAt;
        else d.lostAt = closeAt;
      }
      return [d];
    });
  }
  return { record, warnings };
}
