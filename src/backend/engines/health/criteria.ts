import { evaluateFilter, isMissing } from './operators';
import type { Band, Criterion, CriterionKind, CriterionOf } from './profile';
import type { Engagement, EngagementDirection, EngagementType, HealthInputRecord, PropertyValue } from './record';

// One compiler per criterion kind: a profile is compiled once, then applied to every record.

export const DAY_MS = 86_400_000;

/** Dates in facts are epoch ms, like the input. */
export type CriterionEvaluation = {
  points: number;
  noData: boolean;
  /** A lower-case phrase for sentences: "no meeting in 60 days", "3 open tickets". */
  reason: string;
  facts: Record<string, unknown>;
};

export type CompiledCriterion = {
  criterion: Criterion;
  /** The most this criterion can add (≥ 0); used to re-scale a group when a criterion is excluded. */
  maxPoints: number;
  evaluate: (record: HealthInputRecord, now: number) => CriterionEvaluation;
};

type Compiler<K extends CriterionKind> = (criterion: CriterionOf<K>) => CompiledCriterion;

function pickBand(bands: readonly Band[], value: number): Band | undefined {
  return bands.find((b) => (b.min === undefined || value >= b.min) && (b.max === undefined || value < b.max));
}

function bandFacts(bands: readonly Band[], value: number): { points: number; band: Band | null } {
  const band = pickBand(bands, value) ?? null;
  return { points: band?.points ?? 0, band };
}

function bestOf(...points: number[]): number {
  return Math.max(0, ...points);
}

const bandsMax = (bands: readonly Band[]) => bestOf(...bands.map((b) => b.points));

const daysSince = (at: number, now: number) => Math.floor((now - at) / DAY_MS);

function daysUntil(at: number, now: number): number {
  const days = Math.ceil((at - now) / DAY_MS);
  return days === 0 ? 0 : days;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

function noData(reason: string, facts: Record<string, unknown> = {}): CriterionEvaluation {
  return { points: 0, noData: true, reason, facts };
}

function numberValue(value: PropertyValue | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

const ENGAGEMENT_NOUNS: Record<EngagementType, readonly [string, string]> = {
  MEETING: ['meeting', 'meetings'],
  CALL: ['call', 'calls'],
  EMAIL: ['email', 'emails'],
  NOTE: ['note', 'notes'],
};

const DIRECTION_SUFFIX: Record<EngagementDirection, string> = {
  INCOMING: ' from the customer',
  OUTGOING: ' to the customer',
};

function engagementNouns(types: readonly EngagementType[], direction: EngagementDirection | undefined) {
  const suffix = direction ? DIRECTION_SUFFIX[direction] : '';
  return {
    one: types.map((t) => ENGAGEMENT_NOUNS[t][0]).join(' or ') + suffix,
    many: types.map((t) => ENGAGEMENT_NOUNS[t][1]).join(' or ') + suffix,
  };
}

type EngagementFilter = {
  types: EngagementType[];
  direction?: EngagementDirection;
  ignoreOutcomes: string[];
  windowDays: number;
};

/** Returns a predicate over engagements plus the window's start; the sets are built once per profile. */
function engagementMatcher(c: EngagementFilter) {
  const types = new Set<EngagementType>(c.types);
  const ignored = new Set(c.ignoreOutcomes.map((o) => o.toUpperCase()));
  return (e: Engagement, from: number, now: number) =>
    types.has(e.type) &&
    e.timestamp > from &&
    e.timestamp <= now &&
    (c.direction === undefined || e.direction === c.direction) &&
    (ignored.size === 0 || e.outcome === undefined || !ignored.has(e.outcome.toUpperCase()));
}

const NO_ENGAGEMENTS = 'no engagement data';

const normalizeKey = (value: string) =>
  value
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');

const prettyValue = (value: string) => value.trim().toLowerCase().replace(/[_-]+/g, ' ');

const compilers: { [K in CriterionKind]: Compiler<K> } = {
  property: (c) => ({
    criterion: c,
    maxPoints: bestOf(c.matchPoints, c.noMatchPoints),
    evaluate: (record) => {
      const value = record.properties[c.filter.propertyName];
      const outcome = evaluateFilter(c.filter, value);
      const facts = { property: c.filter.propertyName, operator: c.filter.operator, value: value ?? null };
      if (outcome.missing && c.filter.operator !== 'HAS_PROPERTY' && c.filter.operator !== 'NOT_HAS_PROPERTY')
        return noData(`no ${lowerFirst(c.label)} (${c.filter.propertyName} not set)`, facts);
      return {
        points: outcome.matched ? c.matchPoints : c.noMatchPoints,
        noData: false,
        reason: outcome.matched ? lowerFirst(c.label) : `not ${lowerFirst(c.label)}`,
        facts: { ...facts, matched: outcome.matched },
      };
    },
  }),

  engagementCount: (c) => {
    const matches = engagementMatcher(c);
    const nouns = engagementNouns(c.types, c.direction);
    return {
      criterion: c,
      maxPoints: bandsMax(c.bands),
      evaluate: (record, now) => {
        if (!record.engagements) return noData(NO_ENGAGEMENTS);
        const from = now - c.windowDays * DAY_MS;
        let count = 0;
        for (const e of record.engagements) if (matches(e, from, now)) count += 1;
        const { points, band } = bandFacts(c.bands, count);
        return {
          points,
          noData: false,
          reason: `${count === 0 ? `no ${nouns.many}` : plural(count, nouns.one, nouns.many)} in the last ${c.windowDays} days`,
          facts: { types: c.types, direction: c.direction ?? null, windowDays: c.windowDays, count, band },
        };
      },
    };
  },

  engagementRecency: (c) => {
    const matches = engagementMatcher(c);
    const nouns = engagementNouns(c.types, c.direction);
    return {
      criterion: c,
      maxPoints: bestOf(bandsMax(c.bands), c.noneInWindowPoints),
      evaluate: (record, now) => {
        if (!record.engagements) return noData(NO_ENGAGEMENTS);
        const from = now - c.windowDays * DAY_MS;
        let latest = -Infinity;
        for (const e of record.engagements) if (e.timestamp > latest && matches(e, from, now)) latest = e.timestamp;
        if (latest === -Infinity)
          return {
            points: c.noneInWindowPoints,
            noData: false,
            reason: `no ${nouns.one} in ${c.windowDays} days`,
            facts: { types: c.types, direction: c.direction ?? null, windowDays: c.windowDays, lastAt: null, daysSince: null, band: null },
          };
        const days = daysSince(latest, now);
        const { points, band } = bandFacts(c.bands, days);
        return {
          points,
          noData: false,
          reason: days === 0 ? `last ${nouns.one} today` : `last ${nouns.one} ${plural(days, 'day', 'days')} ago`,
          facts: { types: c.types, direction: c.direction ?? null, windowDays: c.windowDays, lastAt: latest, daysSince: days, band },
        };
      },
    };
  },

  openTickets: (c) => ({
    criterion: c,
    maxPoints: bandsMax(c.bands),
    evaluate: (record) => {
      if (!record.tickets) return noData('no ticket data');
      let open = 0;
      for (const t of record.tickets) if (!t.closed) open += 1;
      const { points, band } = bandFacts(c.bands, open);
      return {
        points,
        noData: false,
        reason: open === 0 ? 'no open tickets' : plural(open, 'open ticket', 'open tickets'),
        facts: { openTickets: open, band },
      };
    },
  }),

  ticketAge: (c) => ({
    criterion: c,
    maxPoints: bestOf(bandsMax(c.bands), c.noOpenTicketPoints),
    evaluate: (record, now) => {
      if (!record.tickets) return noData('no ticket data');
      let oldest = Infinity;
      let open = 0;
      for (const t of record.tickets)
        if (!t.closed) {
          open += 1;
          if (t.createdAt < oldest) oldest = t.createdAt;
        }
      if (open === 0)
        return {
          points: c.noOpenTicketPoints,
          noData: false,
          reason: 'no open tickets',
          facts: { openTickets: 0, oldestOpenDays: null, band: null },
        };
      const days = Math.max(0, daysSince(oldest, now));
      const { points, band } = bandFacts(c.bands, days);
      return {
        points,
        noData: false,
        reason: `oldest open ticket ${plural(days, 'day', 'days')} old`,
        facts: { openTickets: open, oldestOpenDays: days, oldestOpenAt: oldest, band },
      };
    },
  }),

  deals: (c) => ({
    criterion: c,
    maxPoints: bandsMax(c.bands),
    evaluate: (record, now) => {
      if (!record.deals) return noData('no deal data');
      const from = now - c.windowDays * DAY_MS;
      const inWindow = (at: number | undefined) => at !== undefined && at > from && at <= now;
      let count = 0;
      for (const d of record.deals) {
        if (c.measure === 'open' ? d.open : c.measure === 'won' ? inWindow(d.wonAt) : inWindow(d.lostAt)) count += 1;
      }
      const { points, band } = bandFacts(c.bands, count);
      const reason =
        c.measure === 'open'
          ? count === 0
            ? 'no open deals'
            : plural(count, 'open deal', 'open deals')
          : `${count === 0 ? 'no deal' : plural(count, 'deal', 'deals')} ${c.measure} in the last ${c.windowDays} days`;
      return {
        points,
        noData: false,
        reason,
        facts: { measure: c.measure, count, windowDays: c.measure === 'open' ? null : c.windowDays, band },
      };
    },
  }),

  renewal: (c) => ({
    criterion: c,
    maxPoints: bandsMax(c.bands),
    evaluate: (record, now) => {
      const at = numberValue(record.properties[c.property]);
      if (at === null) return noData('no renewal date', { property: c.property });
      const days = daysUntil(at, now);
      const { points, band } = bandFacts(c.bands, days);
      const reason =
        days === 0
          ? 'renewal today'
          : days > 0
            ? `renewal in ${plural(days, 'day', 'days')}`
            : `renewal ${plural(-days, 'day', 'days')} ago`;
      return { points, noData: false, reason, facts: { property: c.property, renewalAt: at, daysUntil: days, band } };
    },
  }),

  daysSince: (c) => ({
    criterion: c,
    maxPoints: bandsMax(c.bands),
    evaluate: (record, now) => {
      const at = numberValue(record.properties[c.property]);
      if (at === null) return noData(`no ${lowerFirst(c.label)} (${c.property} not set)`, { property: c.property });
      const days = Math.max(0, daysSince(at, now));
      const { points, band } = bandFacts(c.bands, days);
      return {
        points,
        noData: false,
        reason: `${lowerFirst(c.label)} ${days === 0 ? 'today' : `${plural(days, 'day', 'days')} ago`}`,
        facts: { property: c.property, at, daysSince: days, band },
      };
    },
  }),

  sentiment: (c) => {
    const table = new Map(Object.entries(c.points).map(([k, v]) => [normalizeKey(k), v] as const));
    return {
      criterion: c,
      maxPoints: bestOf(...table.values()),
      evaluate: (record) => {
        const value = record.properties[c.property];
        if (isMissing(value)) return noData(`no ${lowerFirst(c.label)} (${c.property} not set)`, { property: c.property });
        const points = table.get(normalizeKey(String(value)));
        if (points === undefined)
          return noData(`${lowerFirst(c.label)} "${String(value)}" has no points`, { property: c.property, value, unmapped: true });
        return {
          points,
          noData: false,
          reason: `${c.label}: ${prettyValue(String(value))}`,
          facts: { property: c.property, value },
        };
      },
    };
  },

  nps: (c) => ({
    criterion: c,
    maxPoints: bandsMax(c.bands),
    evaluate: (record) => {
      const value = numberValue(record.properties[c.property]);
      if (value === null) return noData(`no ${c.label} (${c.property} not set)`, { property: c.property });
      const { points, band } = bandFacts(c.bands, value);
      return { points, noData: false, reason: `${c.label} ${value}`, facts: { property: c.property, value, band } };
    },
  }),
};

/** Compiles one criterion with its kind's entry in the table (the compiler checks the table is complete). */
export function compileCriterion(criterion: Criterion): CompiledCriterion {
  const compile = compilers[criterion.kind] as Compiler<CriterionKind>;
  return compile(criterion as CriterionOf<CriterionKind>);
}
