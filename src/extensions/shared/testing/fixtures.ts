import type {
  GuidedAction,
  GuidedActionsResponse,
  HealthAlert,
  HealthProfilesResponse,
  HealthSummaryResponse,
  Task,
  TaskBucketsResponse,
} from '../../api/contract';

export const ORIGIN = 'https://backend.test';

export function task(overrides: Partial<Task> = {}): Task {
  return {
    id: '1',
    subject: 'Call Bo about renewal',
    dueAt: '2026-03-03T09:30:00.000Z',
    status: 'NOT_STARTED',
    priority: 'HIGH',
    type: 'CALL',
    ownerId: '77',
    associations: [{ objectType: 'companies', objectId: '4', label: 'Bo Client Inc.' }],
    ...overrides,
  };
}

export function buckets(overrides: Partial<TaskBucketsResponse> = {}): TaskBucketsResponse {
  return {
    timeZone: 'Europe/Paris',
    buckets: {
      overdue: {
        count: 12,
        tasks: [
          task({ id: '11' }),
          task({ id: '12', subject: 'Send deck', associations: [{ objectType: 'contacts', objectId: '9', label: 'Ann Lee' }] }),
        ],
      },
      today: {
        count: 1,
        tasks: [task({ id: '21', subject: 'Prepare QBR', associations: [{ objectType: 'deals', objectId: '5', label: 'Big deal' }] })],
      },
      tomorrow: { count: 0, tasks: [] },
    },
    ...overrides,
  };
}

export const EMPTY: TaskBucketsResponse = {
  timeZone: 'Europe/Paris',
  buckets: { overdue: { count: 0, tasks: [] }, today: { count: 0, tasks: [] }, tomorrow: { count: 0, tasks: [] } },
};

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

type Route = unknown | ((url: URL, options: { method?: string; body?: unknown } | undefined) => Response | Promise<Response> | unknown);

/**
 * Answers hubspot.fetch by "METHOD /path" (or "/path" for GET): a body (200), a Response, or a
 * function of the URL. Anything else gets a 404 in our error shape, so a stray call shows up.
 */
export function backendAnswering(routes: Record<string, Route>) {
  return async (input: string | URL, options?: { method?: string; body?: unknown }): Promise<Response> => {
    const url = new URL(String(input));
    const method = options?.method ?? 'GET';
    const route = routes[`${method} ${url.pathname}`] ?? (method === 'GET' ? routes[url.pathname] : undefined);
    if (route === undefined) return json({ error: { code: 'NOT_FOUND', message: `No fake for ${method} ${url.pathname}` } }, 404);
    const answer = typeof route === 'function' ? await (route as (u: URL, o: typeof options) => unknown)(url, options) : route;
    return answer instanceof Response ? answer : json(answer);
  };
}

/** The pathname and query of every call a fetch spy received, e.g. `GET /api/v1/me?`. */
export function callsOf(spy: {
  mock: { calls: unknown[][] };
}): { method: string; path: string; query: Record<string, string>; body: unknown }[] {
  return spy.mock.calls.map(([input, options]) => {
    const url = new URL(String(input));
    const opts = (options ?? {}) as { method?: string; body?: unknown };
    return { method: opts.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body: opts.body };
  });
}

export function guidedAction(overrides: Partial<GuidedAction> = {}): GuidedAction {
  return {
    id: 'ga-1',
    rule: 'EMAIL_REPLY',
    category: 'prospecting',
    title: 'Email replies',
    reason: 'Bo Client replied 2026-11-20 09:14; you have not answered.',
    record: { objectType: 'contacts', objectId: '9', label: 'Bo Client' },
    members: [],
    associated: [{ objectType: 'companies', objectId: '4', label: 'Bo Client Inc.' }],
    facts: { repliedAt: '2026-11-20T09:14:00Z' },
    firstSeenAt: '2026-11-20T09:14:00Z',
    expiresAt: '2026-12-04T09:14:00Z',
    links: [
      { label: 'Reply', href: 'https://app.hubspot.com/contacts/4242/record/0-1/9' },
      { label: 'Enrol in a sequence', href: 'https://app.hubspot.com/sequences/4242' },
    ],
    feedback: null,
    ...overrides,
  };
}

export function guidedActions(): GuidedActionsResponse {
  return {
    actions: [
      guidedAction(),
      guidedAction({
        id: 'ga-2',
        rule: 'LOG_CALL_OUTCOME',
        category: 'deal',
        title: 'Log call outcomes',
        reason: 'Log outcomes of 3 recent calls.',
        record: { objectType: 'deals', objectId: '5', label: 'Big deal' },
        members: [
          { objectType: 'calls', objectId: '81', label: 'Call with Ann' },
          { objectType: 'calls', objectId: '82', label: 'Call with Bo' },
          { objectType: 'calls', objectId: '83', label: 'Call with Cy' },
        ],
        associated: [],
        links: [{ label: 'Log the first call', href: 'https://app.hubspot.com/contacts/4242/record/0-3/5' }],
        feedback: 'NOT_REALLY',
      }),
      guidedAction({ id: 'ga-3', rule: 'NEWLY_ASSIGNED_CONTACT', title: 'Newly assigned contacts', reason: 'Assigned to you 2 days ago.' }),
    ],
  };
}

export function healthSummary(overrides: Partial<HealthSummaryResponse> = {}): HealthSummaryResponse {
  return {
    profileId: 'p-default',
    profileVersion: 3,
    customers: 120,
    average: 61.4,
    categories: { AT_RISK: { count: 18, percent: 15 }, NEUTRAL: { count: 40, percent: 33.3 }, GOOD: { count: 62, percent: 51.7 } },
    thresholds: { atRiskBelow: 40, goodFrom: 70 },
    distribution: Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i * 10 + 10, count: i + 1 })),
    history: [
      { date: '2026-11-01', average: 59.8 },
      { date: '2026-11-02', average: 61.4 },
    ],
    ...overrides,
  };
}

export function healthAlert(id: string, overrides: Partial<HealthAlert> = {}): HealthAlert {
  return {
    id,
    record: { objectType: 'companies', objectId: id, label: `Company ${id}` },
    from: 'GOOD',
    to: 'AT_RISK',
    raisedAt: '2026-11-20T10:00:00Z',
    expiresAt: '2026-12-04T10:00:00Z',
    deltas: [
      { criterionId: 'meetings', label: 'No meeting in 60 days', delta: -15 },
      { criterionId: 'tickets', label: '3 open tickets', delta: -10 },
    ],
    ...overrides,
  };
}

export const PROFILES: HealthProfilesResponse = {
  profiles: [
    { id: 'p-default', name: 'Default', objectType: 'companies', version: 3, isDefault: true, updatedAt: '2026-11-01T00:00:00Z' },
    { id: 'p-enterprise', name: 'Enterprise', objectType: 'companies', version: 1, isDefault: false, updatedAt: '2026-11-02T00:00:00Z' },
  ],
};
