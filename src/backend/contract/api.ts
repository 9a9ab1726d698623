// The backend's HTTP contract (../shared/spec/api.md). The UI imports only these types.

export type ObjectRef = { objectType: string; objectId: string; label: string };

export type ErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_INSTALLED'
  /** HubSpot refused Tiller's refresh token: a manager must reconnect (details.reconnectUrl). */
  | 'NEEDS_RECONNECT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'HUBSPOT_FAILED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export type ErrorBody = { error: { code: ErrorCode; message: string; details?: unknown } };

/** Present on any response that HubSpot let us compute only in part. */
export type PartialResult = { partial?: true; warnings?: string[] };

/** On every answer computed from the portal copy (api.md "Freshness of every answer"). */
export type Freshness = {
  /** The moment up to which the portal's copy is known complete. */
  dataAsOf: string;
  /** Present while the first load runs: the answer holds what is loaded so far. */
  syncing?: { percent: number };
};

/** GET /api/v1/sync/status (managers). */
export type SyncStatusResponse = {
  state: 'loading' | 'ready' | 'needs-reconnect';
  dataAsOf: string;
  /** The whole first load's share done (100 once every type is ready). */
  percent: number;
  /** Seconds left in the first load at its pace so far (null when ready or not yet measurable). */
  etaSeconds: number | null;
  objects: Record<
    string,
    {
      records: number;
      state: 'pending' | 'loading' | 'ready' | 'error';
      lastChangeSeenAt: string | null;
      lagSeconds: number | null;
      /** HubSpot's count when the type's load started. */
      total: number | null;
      percent: number;
      etaSeconds: number | null;
      /** A type the copy holds, loaded again (new properties): its records are served meanwhile; percent is that load's. */
      reloading: boolean;
    }
  >;
};

export type Task = {
  id: string;
  subject: string;
  dueAt: string;
  status: string;
  priority: string;
  type: string;
  ownerId: string | null;
  associations: ObjectRef[];
};

export type TaskBucket = { count: number; tasks: Task[] };
export type TaskBucketName = 'overdue' | 'today' | 'tomorrow';

// Freshness is optional here only until the UI's fixtures carry it; the backend always sends it.
export type TaskBucketsResponse = PartialResult &
  Partial<Freshness> & {
    timeZone: string;
    buckets: Record<TaskBucketName, TaskBucket>;
  };

export type GuidedActionCategory = 'deal' | 'prospecting';
export type GuidedActionFeedback = 'YES_CONTINUE' | 'NOT_REALLY';

export type GuidedAction = {
  id: string;
  rule: string;
  category: GuidedActionCategory;
  title: string;
  reason: string;
  record: ObjectRef;
  members: ObjectRef[];
  associated: ObjectRef[];
  facts: Record<string, unknown>;
  firstSeenAt: string;
  expiresAt: string | null;
  links: { label: string; href: string }[];
  feedback: GuidedActionFeedback | null;
};

// Freshness is optional here only until the UI's fixtures carry it; the backend always sends it.
export type GuidedActionsResponse = PartialResult &
  Partial<Freshness> & {
    actions: GuidedAction[];
    /** Actions matching the filters before `limit` (the list stays under hubspot.fetch's 1 MB). */
    total?: number;
    /** Actions per category (after the record filter, before `limit`). */
    counts?: { all: number; deal: number; prospecting: number };
  };

export type HealthCategory = 'AT_RISK' | 'NEUTRAL' | 'GOOD';

// dataAsOf / syncing: from the portal copy (optional only until the UI fixtures carry them).
export type HealthSummaryResponse = PartialResult &
  Partial<Freshness> & {
    profileId: string;
    profileVersion: number;
    customers: number;
    average: number | null;
    categories: Record<HealthCategory, { count: number; percent: number }>;
    thresholds: { atRiskBelow: number; goodFrom: number };
    distribution: { from: number; to: number; count: number }[];
    /** Daily averages; `backfilled` days were computed from the copy's dated data after install. */
    history: { date: string; average: number; backfilled?: true }[];
  };

export type HealthDelta = { criterionId: string; label: string; delta: number };

// dataAsOf / syncing: from the portal copy (optional only until the UI fixtures carry them).
export type HealthRecordResponse = PartialResult &
  Partial<Freshness> & {
    objectType: string;
    objectId: string;
    profileId: string;
    profileVersion: number;
    score: number;
    category: HealthCategory;
    computedAt: string;
    /**
     * Re-scaled so that they add up: `score` is the sum of the groups' scores, their `maxPoints` add
     * up to 100. A group without data is `excluded` (maxPoints 0, score 0), its weight shared out.
     */
    groups: { id: string; label: string; maxPoints: number; score: number; excluded?: true }[];
    criteria: {
      id: string;
      group: string;
      label: string;
      points: number;
      noData: boolean;
      facts: Record<string, unknown>;
    }[];
    change: { from: HealthCategory; to: HealthCategory; at: string; deltas: HealthDelta[] } | null;
    /** The last stored score before this one (the card's trend), or null when there is none. */
    previous?: { score: number; computedAt: string } | null;
  };

export type HealthAlert = {
  id: string;
  record: ObjectRef;
  from: HealthCategory;
  to: HealthCategory;
  raisedAt: string;
  expiresAt: string;
  deltas: HealthDelta[];
};

// dataAsOf / syncing: from the portal copy (optional only until the UI fixtures carry them).
export type HealthAlertsResponse = PartialResult &
  Partial<Freshness> & {
    alerts: HealthAlert[];
    paging?: { next: { after: string } };
  };

// Health profiles (managers): CRUD and the dry-run preview.
export type { Profile as HealthProfile } from '../engines/health/profile';
export type { ProfilePreview as HealthProfilePreview } from '../engines/health/preview';

export type HealthProfileSummary = {
  id: string;
  name: string;
  objectType: string;
  version: number;
  isDefault: boolean;
  updatedAt: string;
};

/** GET /api/v1/health/profiles */
export type HealthProfilesResponse = { profiles: HealthProfileSummary[] };

/** GET/POST/PUT /api/v1/health/profiles/{id}: PUT takes { profile, expectedVersion } and answers 409 on a stale version. */
export type HealthProfileResponse = { profile: import('../engines/health/profile').Profile };

/**
 * GET /api/v1/me: who is looking, and what they may do. From the portal copy (dataAsOf: the
 * copy's), or from HubSpot before the first load has copied the owners (dataAsOf: now).
 */
export type MeResponse = PartialResult &
  Freshness & {
    portalId: number;
    userId: number;
    viewAsUserId: number;
    ownerId: string | null;
    isManager: boolean;
    timeZone: string;
  };

/** GET /api/v1/health/customers?profileId=&category=&after= — the drill-down list behind a summary count. */
// dataAsOf / syncing: from the portal copy (optional only until the UI fixtures carry them).
export type HealthCustomersResponse = PartialResult &
  Partial<Freshness> & {
    customers: (ObjectRef & { score: number; category: HealthCategory; computedAt: string })[];
    paging?: { next: { after: string } };
  };

/** GET /api/v1/users (managers): the people a manager can view a workspace as. */
export type UsersResponse = Freshness & { users: { userId: number; ownerId: string | null; name: string; email: string | null }[] };

/** POST /api/v1/guided-actions/{id}/feedback */
export type GuidedActionFeedbackRequest = { answer: GuidedActionFeedback };
export type * from './actions';
