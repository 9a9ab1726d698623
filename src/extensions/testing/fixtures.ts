import type { Task, TaskBucketsResponse } from '../api/contract';

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
      overdue: { count: 12, tasks: [task({ id: '11' }), task({ id: '12', subject: 'Send deck', associations: [{ objectType: 'contacts', objectId: '9', label: 'Ann Lee' }] })] },
      today: { count: 1, tasks: [task({ id: '21', subject: 'Prepare QBR', associations: [{ objectType: 'deals', objectId: '5', label: 'Big deal' }] })] },
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
