// The health engine's input: one customer record as a service assembles it from HubSpot.
// Values are already converted (numbers, booleans, dates as epoch ms); `undefined` for a
// collection means "not loaded", which scores as no data, while `[]` means "loaded, none".

export type PropertyValue = string | number | boolean | null;

export const ENGAGEMENT_TYPES = ['MEETING', 'CALL', 'EMAIL', 'NOTE'] as const;
export type EngagementType = (typeof ENGAGEMENT_TYPES)[number];

export const ENGAGEMENT_DIRECTIONS = ['INCOMING', 'OUTGOING'] as const;
/** Calls: hs_call_direction INBOUND/OUTBOUND. Emails: INCOMING_EMAIL / EMAIL (FORWARDED_EMAIL: none). */
export type EngagementDirection = (typeof ENGAGEMENT_DIRECTIONS)[number];

export type Engagement = {
  type: EngagementType;
  direction?: EngagementDirection;
  /** hs_timestamp (meetings: the start time), epoch ms. */
  timestamp: number;
  /** hs_meeting_outcome, hs_call_status…: lets a criterion skip e.g. CANCELED meetings. */
  outcome?: string;
};

export type Ticket = {
  id?: string;
  /** createdate, epoch ms. */
  createdAt: number;
  /** The ticket's stage has metadata.ticketState = CLOSED. */
  closed: boolean;
  closedAt?: number;
  priority?: string;
};

export type Deal = {
  id?: string;
  /** The deal's stage has metadata.isClosed = "false". */
  open: boolean;
  /** closedate of a closed-won deal, epoch ms. */
  wonAt?: number;
  /** closedate of a closed-lost deal, epoch ms. */
  lostAt?: number;
  amount?: number;
};

export type HealthInputRecord = {
  id: string;
  label: string;
  /** Owner id of the record's CSM (the configured CSM property; hubspot_owner_id by default). */
  ownerId: string | null;
  properties: Readonly<Record<string, PropertyValue | undefined>>;
  engagements?: readonly Engagement[];
  tickets?: readonly Ticket[];
  deals?: readonly Deal[];
};
