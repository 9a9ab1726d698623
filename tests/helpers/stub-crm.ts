// A stand-in for our own gateway interface (not the SDK): one portal with one owner (user 9001)
// and two tasks, enough for the route layer. Override any method per test.
import type { CrmGateway, PortalCrm } from '../../src/backend/crm/gateway';
import type { CrmRecord } from '../../src/backend/crm/types';

export function stubRecord(id: string, properties: Record<string, string | null>): CrmRecord {
  return { id, properties, createdAt: '2026-11-01T00:00:00Z', updatedAt: '2026-11-01T00:00:00Z' };
}

export function stubCrm(overrides: Partial<PortalCrm> = {}, portalId = 123): CrmGateway {
  const portal: PortalCrm = {
    portalId,
    owners: async () => [{ id: '501', userId: 9001, email: 'ada@acme.example', firstName: 'Ada', lastName: 'Rep', archived: false }],
    users: async () => [{ id: '1', userId: 9001, timeZone: 'Europe/Paris' }],
    userAccess: async () => ({ userIds: [9001], superAdminIds: [] }),
    uninstallApp: async () => {},
    account: async () => ({ portalId, timeZone: 'America/New_York' }),
    pipelines: async () => [],
    properties: async () => [],
    search: async () => ({
      total: 2,
      after: null,
      results: [
        stubRecord('70', {
          hs_task_subject: 'Call Bo',
          hs_timestamp: '2026-11-22T16:00:00Z',
          hs_task_status: 'NOT_STARTED',
          hs_task_priority: 'HIGH',
          hs_task_type: 'CALL',
          hubspot_owner_id: '501',
        }),
        stubRecord('71', {
          hs_task_subject: 'Old one',
          hs_timestamp: '2026-11-01T16:00:00Z',
          hs_task_status: 'WAITING',
          hs_task_priority: null,
          hs_task_type: 'TODO',
          hubspot_owner_id: '501',
        }),
      ],
    }),
    scan: async () => [],
    scanPage: async () => ({ total: 0, results: [], lastId: null, done: true }),
    listPage: async () => ({ results: [], after: null }),
    associationPairs: async (_f, _t, ids) => new Map(ids.map((id) => [id, []])),
    batchRead: async (_t, ids) => new Map(ids.map((id) => [id, stubRecord(id, { firstname: 'Bo', lastname: 'Client' })])),
    associations: async (_f, to, ids) => new Map(ids.map((id) => [id, to === 'contacts' ? ['1'] : []])),
    getRecord: async () => null,
    contactEnrollment: async () => null,
    sequences: async () => [],
    // writes as HubSpot answers them for records it does not have: nothing is kept
    createRecord: async (_t, input) => stubRecord('9000001', input.properties),
    batchUpdate: async (_t, inputs) => ({ results: [], missing: inputs.map((i) => i.id) }),
    batchArchive: async () => {},
    ...overrides,
  };
  return { portal: () => portal, invalidate: () => {}, cacheStats: () => ({ entries: 0, bytes: 0 }), close: async () => {} };
}
