import { z } from 'zod';
import { FILTER_OPERATORS } from './operators';
import { ENGAGEMENT_DIRECTIONS, ENGAGEMENT_TYPES } from './record';

// A health profile: which records are scored and how. Rules are data (style habit 2).
// Every string and list is capped: a profile is stored and shown, so 100,000-character names
// and endless lists are refused at the edge.

/** A HubSpot internal name (property, object type) is at most 100 characters. */
const internalName = z.string().min(1).max(100);
const shortId = z.string().min(1).max(64);
const label = z.string().min(1).max(200);
const operand = z.union([z.string().max(1000), z.number(), z.boolean()]);

const NEEDS_NOTHING = new Set(['HAS_PROPERTY', 'NOT_HAS_PROPERTY']);
const NEEDS_VALUES = new Set(['IN', 'NOT_IN']);

export const propertyFilterSchema = z
  .object({
    propertyName: internalName,
    operator: z.enum(FILTER_OPERATORS),
    value: operand.optional(),
    values: z.array(operand).max(500).optional(),
    highValue: operand.optional(),
  })
  .superRefine((f, ctx) => {
    if (NEEDS_NOTHING.has(f.operator)) return;
    if (NEEDS_VALUES.has(f.operator)) {
      if (!f.values || f.values.length === 0)
        ctx.addIssue({ code: 'custom', path: ['values'], message: `${f.operator} needs a non-empty values list` });
      return;
    }
    if (f.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `${f.operator} needs a value` });
    if (f.operator === 'BETWEEN' && f.highValue === undefined)
      ctx.addIssue({ code: 'custom', path: ['highValue'], message: 'BETWEEN needs a highValue' });
  });

// The search API's own limits, so a segment can be sent to HubSpot as is.
export const segmentSchema = z
  .object({
    filterGroups: z.array(z.object({ filters: z.array(propertyFilterSchema).min(1).max(6) })).max(5),
  })
  .refine((s) => s.filterGroups.reduce((n, g) => n + g.filters.length, 0) <= 18, {
    message: 'A segment has at most 18 filters in total',
  });

/** A value range → points. `min` inclusive, `max` exclusive; the first matching band wins. */
export const bandSchema = z
  .object({ min: z.number().optional(), max: z.number().optional(), points: z.number() })
  .refine((b) => b.min === undefined || b.max === undefined || b.min < b.max, {
    message: 'A band needs min < max',
  });
export type Band = z.infer<typeof bandSchema>;

const bands = z.array(bandSchema).min(1).max(50);

export const MISSING_DATA_MODES = ['zero', 'exclude'] as const;

const common = {
  id: shortId,
  label,
  /** zero: no data scores 0 points; exclude: the criterion is left out and its group re-scaled. */
  missingData: z.enum(MISSING_DATA_MODES).default('exclude'),
};

const windowDays = z.number().int().positive().max(3650);

export const criterionSchema = z.discriminatedUnion('kind', [
  z.object({
    ...common,
    kind: z.literal('property'),
    filter: propertyFilterSchema,
    matchPoints: z.number(),
    noMatchPoints: z.number().default(0),
  }),
  z.object({
    ...common,
    kind: z.literal('engagementCount'),
    types: z.array(z.enum(ENGAGEMENT_TYPES)).min(1),
    direction: z.enum(ENGAGEMENT_DIRECTIONS).optional(),
    ignoreOutcomes: z.array(z.string().max(100)).max(50).default([]),
    windowDays,
    /** Over the number of engagements in the window (0 included). */
    bands,
  }),
  z.object({
    ...common,
    kind: z.literal('engagementRecency'),
    types: z.array(z.enum(ENGAGEMENT_TYPES)).min(1),
    direction: z.enum(ENGAGEMENT_DIRECTIONS).optional(),
    ignoreOutcomes: z.array(z.string().max(100)).max(50).default([]),
    windowDays,
    /** Over the days since the latest engagement in the window. */
    bands,
    noneInWindowPoints: z.number().default(0),
  }),
  z.object({
    ...common,
    kind: z.literal('openTickets'),
    /** Over the number of open tickets (0 included). */
    bands,
  }),
  z.object({
    ...common,
    kind: z.literal('ticketAge'),
    /** Over the age in days of the oldest open ticket. */
    bands,
    noOpenTicketPoints: z.number().default(0),
  }),
  z.object({
    ...common,
    kind: z.literal('deals'),
    measure: z.enum(['open', 'won', 'lost']),
    /** For won and lost: deals closed within the window. */
    windowDays: windowDays.default(90),
    /** Over the number of matching deals (0 included). */
    bands,
  }),
  z.object({
    ...common,
    kind: z.literal('renewal'),
    /** The configured renewal-date property (epoch ms). */
    property: internalName,
    /** Over the days until renewal; negative once the date has passed. */
    bands,
  }),
  z.object({
    ...common,
    kind: z.literal('daysSince'),
    /** A date property such as notes_last_contacted (epoch ms). */
    property: internalName,
    bands,
  }),
  z.object({
    ...common,
    kind: z.literal('sentiment'),
    property: internalName.default('hs_csm_sentiment'),
    /** Property value → points; keys match case-insensitively, "at-risk" = "AT_RISK". */
    points: z.record(z.string().max(100), z.number()).refine((p) => Object.keys(p).length <= 50, { message: 'At most 50 values' }),
  }),
  z.object({
    ...common,
    kind: z.literal('nps'),
    property: internalName,
    bands,
  }),
]);
export type Criterion = z.infer<typeof criterionSchema>;
export type CriterionKind = Criterion['kind'];
export type CriterionOf<K extends CriterionKind> = Extract<Criterion, { kind: K }>;

export const groupSchema = z.object({
  id: shortId,
  label,
  maxPoints: z.number().positive().max(100),
  criteria: z.array(criterionSchema).min(1).max(30),
});
export type CriterionGroup = z.infer<typeof groupSchema>;

export const DEFAULT_THRESHOLDS = { atRiskBelow: 40, goodFrom: 70 } as const;
export const DEFAULT_HYSTERESIS = { consecutiveRuns: 2, marginPoints: 5 } as const;

export const thresholdsSchema = z
  .object({
    atRiskBelow: z.number().min(0).max(100).default(DEFAULT_THRESHOLDS.atRiskBelow),
    goodFrom: z.number().min(0).max(100).default(DEFAULT_THRESHOLDS.goodFrom),
  })
  .refine((t) => t.atRiskBelow < t.goodFrom, {
    message: 'atRiskBelow must be lower than goodFrom',
    path: ['goodFrom'],
  });
export type Thresholds = z.infer<typeof thresholdsSchema>;

export const hysteresisSchema = z.object({
  /** Runs in a row the new category must hold (1 = confirm at once). */
  consecutiveRuns: z.number().int().min(1).max(50).default(DEFAULT_HYSTERESIS.consecutiveRuns),
  /** A score this far beyond the crossed threshold confirms at once. */
  marginPoints: z.number().min(0).max(100).default(DEFAULT_HYSTERESIS.marginPoints),
});
export type Hysteresis = z.infer<typeof hysteresisSchema>;

/** companies, contacts, or a custom object (2-1234567 or p_name / p123_name). */
export const objectTypeSchema = z
  .string()
  .max(100)
  .regex(/^(companies|contacts|2-\d+|p\d*_[a-z0-9_]+)$/i, {
    message: 'Use companies, contacts or a custom object type id',
  });

const POINTS_TOLERANCE = 1e-6;

export const profileSchema = z
  .object({
    id: shortId,
    name: z.string().min(1).max(120),
    objectType: objectTypeSchema.default('companies'),
    segment: segmentSchema.nullable().default(null),
    groups: z.array(groupSchema).min(1).max(20),
    thresholds: thresholdsSchema.default({ ...DEFAULT_THRESHOLDS }),
    hysteresis: hysteresisSchema.default({ ...DEFAULT_HYSTERESIS }),
    version: z.number().int().min(1).default(1),
  })
  .superRefine((p, ctx) => {
    const total = p.groups.reduce((sum, g) => sum + g.maxPoints, 0);
    if (Math.abs(total - 100) > POINTS_TOLERANCE)
      ctx.addIssue({ code: 'custom', path: ['groups'], message: `Group max points must add up to 100 (they add up to ${total})` });
    const groupIds = new Set<string>();
    const criterionIds = new Set<string>();
    p.groups.forEach((g, gi) => {
      if (groupIds.has(g.id)) ctx.addIssue({ code: 'custom', path: ['groups', gi, 'id'], message: `Duplicate group id ${g.id}` });
      groupIds.add(g.id);
      g.criteria.forEach((c, ci) => {
        if (criterionIds.has(c.id))
          ctx.addIssue({ code: 'custom', path: ['groups', gi, 'criteria', ci, 'id'], message: `Duplicate criterion id ${c.id}` });
        criterionIds.add(c.id);
      });
    });
  });

export type Profile = z.infer<typeof profileSchema>;
export type ProfileInput = z.input<typeof profileSchema>;

/** Parses an untrusted profile (request body, stored JSON); throws a ZodError listing each bad field. */
export function parseProfile(input: unknown): Profile {
  return profileSchema.parse(input);
}
