import { profileSchema, type Criterion, type CriterionGroup, type Profile } from './profile';

// Zero setup: a profile built from what the portal has, always valid (groups add up to 100).

export type PortalCapabilities = {
  objectType?: string;
  /** Meetings, calls, emails and notes are associated with the customer records. */
  hasEngagements: boolean;
  hasTickets: boolean;
  hasDeals: boolean;
  /** The configured renewal-date property, if any. */
  renewalDateProperty?: string | null;
  /** hs_csm_sentiment exists on the scored object. */
  hasCsmSentiment: boolean;
  /** A number property holding the NPS answer (0–10), if any. */
  npsProperty?: string | null;
  /** Date property used when engagements are not available; notes_last_contacted by default. */
  lastContactedProperty?: string | null;
};

type GroupTemplate = {
  id: string;
  label: string;
  weight: number;
  /** Criterion points as fractions of the group's max points. */
  criteria: (max: number) => Criterion[];
};

const pts = (max: number, fraction: number) => Math.round(max * fraction);

const engagement: GroupTemplate = {
  id: 'engagement',
  label: 'Engagement',
  weight: 35,
  criteria: (max) => [
    {
      id: 'meeting-recency',
      label: 'Last meeting',
      kind: 'engagementRecency',
      types: ['MEETING'],
      ignoreOutcomes: ['CANCELED', 'NO_SHOW', 'RESCHEDULED'],
      windowDays: 90,
      bands: [
        { max: 31, points: pts(max, 0.45) },
        { min: 31, max: 61, points: pts(max, 0.25) },
        { min: 61, points: pts(max, 0.1) },
      ],
      noneInWindowPoints: 0,
      missingData: 'exclude',
    },
    {
      id: 'calls-emails-30d',
      label: 'Calls and emails',
      kind: 'engagementCount',
      types: ['CALL', 'EMAIL'],
      ignoreOutcomes: [],
      windowDays: 30,
      bands: [
        { max: 1, points: 0 },
        { min: 1, max: 2, points: pts(max, 0.1) },
        { min: 2, max: 5, points: pts(max, 0.25) },
        { min: 5, points: pts(max, 0.35) },
      ],
      missingData: 'exclude',
    },
    {
      id: 'customer-replies-30d',
      label: 'Emails from the customer',
      kind: 'engagementCount',
      types: ['EMAIL'],
      direction: 'INCOMING',
      ignoreOutcomes: [],
      windowDays: 30,
      bands: [
        { max: 1, points: 0 },
        { min: 1, points: pts(max, 0.2) },
      ],
      missingData: 'exclude',
    },
  ],
};

const lastContacted = (property: string): GroupTemplate => ({
  id: 'engagement',
  label: 'Engagement',
  weight: 35,
  criteria: (max) => [
    {
      id: 'last-contacted',
      label: 'Last contacted',
      kind: 'daysSince',
      property,
      bands: [
        { max: 15, points: max },
        { min: 15, max: 31, points: pts(max, 0.7) },
        { min: 31, max: 61, points: pts(max, 0.4) },
        { min: 61, max: 91, points: pts(max, 0.15) },
      ],
      missingData: 'zero',
    },
  ],
});

const support: GroupTemplate = {
  id: 'support',
  label: 'Support',
  weight: 20,
  criteria: (max) => [
    {
      id: 'open-tickets',
      label: 'Open tickets',
      kind: 'openTickets',
      bands: [
        { max: 1, points: max },
        { min: 1, max: 3, points: pts(max, 0.6) },
        { min: 3, max: 5, points: pts(max, 0.3) },
        { min: 5, points: 0 },
      ],
      missingData: 'exclude',
    },
    {
      id: 'oldest-open-ticket',
      label: 'Oldest open ticket',
      kind: 'ticketAge',
      bands: [
        { max: 14, points: 0 },
        { min: 14, max: 30, points: -pts(max, 0.15) },
        { min: 30, points: -pts(max, 0.3) },
      ],
      noOpenTicketPoints: 0,
      missingData: 'exclude',
    },
  ],
};

const deals: GroupTemplate = {
  id: 'deals',
  label: 'Deals',
  weight: 15,
  criteria: (max) => [
    {
      id: 'open-deals',
      label: 'Open deals',
      kind: 'deals',
      measure: 'open',
      windowDays: 90,
      bands: [
        { max: 1, points: 0 },
        { min: 1, points: pts(max, 0.4) },
      ],
      missingData: 'exclude',
    },
    {
      id: 'deals-won-365d',
      label: 'Deals won',
      kind: 'deals',
      measure: 'won',
      windowDays: 365,
      bands: [
        { max: 1, points: 0 },
        { min: 1, points: pts(max, 0.6) },
      ],
      missingData: 'exclude',
    },
    {
      id: 'deals-lost-90d',
      label: 'Deals lost',
      kind: 'deals',
      measure: 'lost',
      windowDays: 90,
      bands: [
        { max: 1, points: 0 },
        { min: 1, points: -pts(max, 0.4) },
      ],
      missingData: 'exclude',
    },
  ],
};

const renewal = (property: string): GroupTemplate => ({
  id: 'renewal',
  label: 'Renewal',
  weight: 10,
  criteria: (max) => [
    {
      id: 'days-to-renewal',
      label: 'Days to renewal',
      kind: 'renewal',
      property,
      // A near or lapsed renewal is a risk window, a distant one is calm.
      bands: [
        { max: 0, points: 0 },
        { min: 0, max: 31, points: pts(max, 0.3) },
        { min: 31, max: 91, points: pts(max, 0.6) },
        { min: 91, points: max },
      ],
      missingData: 'exclude',
    },
  ],
});

const sentiment: GroupTemplate = {
  id: 'csm-sentiment',
  label: 'CSM sentiment',
  weight: 10,
  criteria: (max) => [
    {
      id: 'csm-sentiment',
      label: 'CSM sentiment',
      kind: 'sentiment',
      property: 'hs_csm_sentiment',
      // The values seen in portals vary in case and wording; keys are normalised when compiled.
      points: {
        GOOD: max,
        POSITIVE: max,
        NEUTRAL: pts(max, 0.5),
        AT_RISK: 0,
        BAD: 0,
        NEGATIVE: 0,
      },
      missingData: 'exclude',
    },
  ],
};

const nps = (property: string): GroupTemplate => ({
  id: 'nps',
  label: 'NPS',
  weight: 10,
  criteria: (max) => [
    {
      id: 'nps',
      label: 'NPS',
      kind: 'nps',
      property,
      bands: [
        { max: 7, points: 0 },
        { min: 7, max: 9, points: pts(max, 0.5) },
        { min: 9, points: max },
      ],
      missingData: 'exclude',
    },
  ],
});

/** Integer weights scaled to add up to exactly 100 (largest remainder). */
function scaleTo100(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w * 100) / total);
  const floors = exact.map(Math.floor);
  let left = 100 - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => ({ i, rest: e - Math.floor(e) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    left -= 1;
  }
  return floors;
}

/** Builds the zero-setup profile from the portal's capabilities; valid for any combination. */
export function buildDefaultProfile(capabilities: PortalCapabilities): Profile {
  const templates: GroupTemplate[] = [
    capabilities.hasEngagements ? engagement : lastContacted(capabilities.lastContactedProperty || 'notes_last_contacted'),
  ];
  if (capabilities.hasTickets) templates.push(support);
  if (capabilities.hasDeals) templates.push(deals);
  if (capabilities.renewalDateProperty) templates.push(renewal(capabilities.renewalDateProperty));
  if (capabilities.hasCsmSentiment) templates.push(sentiment);
  if (capabilities.npsProperty) templates.push(nps(capabilities.npsProperty));

  const maxima = scaleTo100(templates.map((t) => t.weight));
  const groups: CriterionGroup[] = templates.map((t, i) => {
    const max = maxima[i] ?? 0;
    return { id: t.id, label: t.label, maxPoints: max, criteria: t.criteria(max) };
  });
  return profileSchema.parse({
    id: 'default',
    name: 'Default health score',
    objectType: capabilities.objectType ?? 'companies',
    segment: null,
    groups,
  });
}
