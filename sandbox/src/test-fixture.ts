// A small explicit fixture shared by the sandbox tests and the contract suite.
import type { Fixture } from './fixture';

export const T0 = Date.UTC(2026, 10, 22, 12, 0, 0); // 2026-11-22T12:00:00Z

export function testFixture(extra: Partial<Fixture> = {}): Fixture {
  const iso = (ms: number) => new Date(ms).toISOString();
  const H = 3_600_000;
  return {
    portal: { id: 123456, timeZone: 'Europe/Paris', domain: 'acme.example', accessToken: 'test-token' },
    users: [
      {
        id: '9001',
        email: 'ada@acme.example',
        firstName: 'Ada',
        lastName: 'Rep',
        timeZone: 'Pacific/Auckland',
        teamIds: ['1'],
        superAdmin: true,
      },
      { id: '9002', email: 'bo@acme.example', firstName: 'Bo', lastName: 'Seller', timeZone: 'America/Los_Angeles' },
      { id: '9003', email: 'gone@acme.example', firstName: 'Gone', lastName: 'User' },
    ],
    teams: [{ id: '1', name: 'Customer Success' }],
    owners: [
      {
        id: '501',
        userId: 9001,
        email: 'ada@acme.example',
        firstName: 'Ada',
        lastName: 'Rep',
        createdAt: '2025-01-01T00:00:00Z',
        updatedAt: '2025-06-01T00:00:00Z',
      },
      { id: '502', userId: 9002, email: 'Bo@Acme.example', firstName: 'Bo', lastName: 'Seller' },
      {
        id: '503',
        userId: null,
        userIdIncludingInactive: 9003,
        email: 'gone@acme.example',
        firstName: 'Gone',
        lastName: 'User',
        archived: true,
      },
    ],
    objects: {
      contacts: [
        {
          id: '1',
          properties: { email: 'bo@client.example', firstname: 'Bo', lastname: 'Client', hubspot_owner_id: '501', lifecyclestage: 'lead' },
          createdAt: '2026-11-01T09:00:00Z',
          updatedAt: '2026-11-20T09:00:00Z',
          propertiesWithHistory: {
            hubspot_owner_id: [
              { value: '502', timestamp: '2026-10-01T09:00:00Z' },
              { value: '501', timestamp: '2026-11-19T09:00:00Z' },
            ],
          },
        },
        {
          id: '2',
          properties: {
            email: 'cleo@other.example',
            firstname: 'Cleo',
            lastname: 'Other',
            hubspot_owner_id: '502',
            lifecyclestage: 'customer',
          },
          createdAt: '2026-11-02T09:00:00Z',
        },
      ],
      companies: [
        {
          id: '11',
          properties: { name: 'Client Inc', domain: 'client.example', hubspot_owner_id: '501' },
          createdAt: '2026-10-01T00:00:00Z',
        },
      ],
      deals: [
        {
          id: '7',
          properties: { dealname: 'Big deal', amount: '5000', pipeline: 'default', dealstage: 'closedwon', hubspot_owner_id: '501' },
          createdAt: '2026-11-05T00:00:00Z',
        },
      ],
      leads: [
        {
          id: '3',
          properties: {
            hs_lead_name: 'Bo lead',
            hs_pipeline: 'lead-pipeline-id',
            hs_pipeline_stage: 'unqualified-stage-id',
            hubspot_owner_id: '501',
          },
        },
      ],
      tasks: [
        {
          id: '70',
          properties: {
            hs_task_subject: 'Call Bo',
            hs_timestamp: iso(T0 + 4 * H),
            hs_task_status: 'NOT_STARTED',
            hs_task_priority: 'HIGH',
            hubspot_owner_id: '501',
            hs_task_type: 'CALL',
          },
          createdAt: iso(T0 - 48 * H),
        },
        {
          id: '71',
          properties: {
            hs_task_subject: 'Send proposal',
            hs_timestamp: iso(T0 - 30 * H),
            hs_task_status: 'IN_PROGRESS',
            hs_task_priority: 'LOW',
            hubspot_owner_id: '501',
            hs_task_type: 'EMAIL',
          },
          createdAt: iso(T0 - 47 * H),
        },
        {
          id: '72',
          properties: {
            hs_task_subject: 'Renewal review',
            hs_timestamp: iso(T0 + 28 * H),
            hs_task_status: 'COMPLETED',
            hs_task_priority: 'MEDIUM',
            hubspot_owner_id: '502',
            hs_task_completion_date: iso(T0 - H),
          },
          createdAt: iso(T0 - 46 * H),
        },
        {
          id: '73',
          properties: { hs_task_subject: 'No owner', hs_timestamp: '1800000000000', hs_task_status: 'WAITING' },
          createdAt: iso(T0 - 45 * H),
        },
      ],
      calls: [
        {
          id: '80',
          properties: {
            hs_timestamp: iso(T0 - 2 * H),
            hs_call_status: 'COMPLETED',
            hs_call_source: 'VOIP',
            hubspot_owner_id: '501',
            hs_call_title: 'Intro call',
          },
        },
        {
          id: '81',
          properties: {
            hs_timestamp: iso(T0 - 3 * H),
            hs_call_status: 'COMPLETED',
            hs_call_disposition: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
            hubspot_owner_id: '501',
          },
        },
      ],
      emails: [
        {
          id: '90',
          properties: {
            hs_timestamp: iso(T0 - 5 * H),
            hs_email_direction: 'INCOMING_EMAIL',
            hs_email_subject: 'Re: proposal',
            hubspot_owner_id: '501',
          },
        },
      ],
      meetings: [
        {
          id: '95',
          properties: {
            hs_timestamp: iso(T0 + 24 * H),
            hs_meeting_title: 'QBR',
            hs_meeting_start_time: iso(T0 + 24 * H),
            hs_meeting_end_time: iso(T0 + 25 * H),
            hs_meeting_outcome: 'SCHEDULED',
          },
        },
      ],
      notes: [{ id: '97', properties: { hs_timestamp: iso(T0 - H), hs_note_body: 'Spoke with Bo about renewal' } }],
      tickets: [
        { id: '60', properties: { subject: 'Login broken', hs_pipeline: '0', hs_pipeline_stage: '1', hs_ticket_priority: 'HIGH' } },
      ],
      '0-162': [
        { id: '65', properties: { hs_name: 'Onboarding', hs_pipeline: 'services-pipeline-id', hs_pipeline_stage: 'planning-stage-id' } },
      ],
      '2-5001': [{ id: '1', properties: {} }],
    },
    associations: [
      { from: 'contacts/1', to: 'deals/7' },
      { from: 'contacts/1', to: 'companies/11', typeId: 1 },
      { from: 'leads/3', to: 'contacts/1', typeId: 578 },
      { from: 'tasks/70', to: 'contacts/1' },
      { from: 'tasks/71', to: 'contacts/1' },
      { from: 'tasks/72', to: 'contacts/2' },
      { from: 'tasks/70', to: 'deals/7' },
      { from: 'calls/80', to: 'contacts/1' },
      { from: 'emails/90', to: 'contacts/1' },
      { from: 'meetings/95', to: 'companies/11' },
      { from: 'notes/97', to: 'contacts/1' },
      { from: 'contacts/2', to: 'tickets/60' },
      { from: '0-162/65', to: 'companies/11' },
    ],
    callDispositions: [{ id: 'c0ffee00-0000-4000-8000-000000000001', label: 'Demo booked' }],
    sequences: [
      {
        id: '801',
        name: 'Post-demo follow-up',
        userId: '9001',
        folderId: '1',
        createdAt: '2026-01-01T00:00:00Z',
        updatedAt: '2026-02-01T00:00:00Z',
      },
    ],
    ...extra,
  };
}
