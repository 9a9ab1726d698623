import { describe, expect, it } from 'vitest';
import { toCopyRecord } from './records';

const record = (properties: Record<string, string | null>) => ({
  id: '1',
  properties,
  createdAt: '2026-11-01T09:00:00.000Z',
  updatedAt: '2026-11-02T09:00:00.000Z',
});

describe('toCopyRecord', () => {
  it("gives a contact the due_at of its owner's assignment (guided actions read the window on it), none without one", () => {
    expect(toCopyRecord('contacts', record({ hubspot_owner_assigneddate: '2026-11-20T10:15:30.250Z' })).dueAt).toEqual(
      new Date('2026-11-20T10:15:30.250Z'),
    );
    expect(toCopyRecord('contacts', record({ hubspot_owner_assigneddate: '1764936000123' })).dueAt).toEqual(new Date(1764936000123));
    expect(toCopyRecord('contacts', record({ hubspot_owner_assigneddate: '' })).dueAt).toBeNull();
    expect(toCopyRecord('contacts', record({ lifecyclestage: 'lead' }))).toMatchObject({ dueAt: null, stage: 'lead' });
  });

  it("reads each type's own date into due_at", () => {
    expect(toCopyRecord('tasks', record({ hs_timestamp: '2026-11-03T09:00:00Z', hs_task_status: 'WAITING' }))).toMatchObject({
      dueAt: new Date('2026-11-03T09:00:00Z'),
      status: 'WAITING',
    });
    expect(toCopyRecord('deals', record({ closedate: '2026-12-01T00:00:00Z' })).dueAt).toEqual(new Date('2026-12-01T00:00:00Z'));
    expect(toCopyRecord('companies', record({ hubspot_owner_assigneddate: '2026-11-20T10:15:30Z' })).dueAt).toBeNull();
  });
});
