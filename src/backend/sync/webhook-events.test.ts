// Reading HubSpot's notifications. Shapes: reference hubspot-sync.md §2 (D-WH
// https://developers.hubspot.com/docs/api-reference/legacy/webhooks/guide: general fields, merge
// primaryObjectId/mergedObjectIds/newObjectId, association fromObjectId/toObjectId/associationRemoved,
// legacy associationType CONTACT_TO_COMPANY) and §1.3 (D-CHG-GEN
// https://developers.hubspot.com/changelog/public-beta-generic-webhook-subscriptions: generic object.*
// with objectTypeId, association fromObjectTypeId/toObjectTypeId).
import { describe, expect, it } from 'vitest';
import { inOccurrenceOrder, notificationKey, parseNotification, readNotification, type ReadResult } from './webhook-events';

const base = { portalId: 62515, occurredAt: 1_700_000_000_000, eventId: 1, subscriptionId: 2, attemptNumber: 0, appId: 3 };
const read = (extra: Record<string, unknown>): ReadResult => {
  const p = parseNotification({ ...base, ...extra });
  return p.ok ? readNotification(p.value) : { kind: 'malformed', why: p.why };
};
const at = base.occurredAt;

describe('readNotification', () => {
  it.each([
    [
      'a generic creation is an upsert of that type',
      { subscriptionType: 'object.creation', objectTypeId: '0-1', objectId: 5 },
      [{ objectType: 'contacts', objectId: '5', kind: 'upsert', occurredAt: at }],
    ],
    [
      'a generic property change on a lead is an upsert',
      {
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-136',
        objectId: 9,
        propertyName: 'hs_pipeline_stage',
        propertyValue: 'x',
      },
      [{ objectType: 'leads', objectId: '9', kind: 'upsert', occurredAt: at }],
    ],
    [
      'a legacy deal deletion is a delete',
      { subscriptionType: 'deal.deletion', objectId: 7 },
      [{ objectType: 'deals', objectId: '7', kind: 'delete', occurredAt: at }],
    ],
    [
      'a restore is a restore',
      { subscriptionType: 'object.restore', objectTypeId: '0-27', objectId: '70' },
      [{ objectType: 'tasks', objectId: '70', kind: 'restore', occurredAt: at }],
    ],
    [
      'a custom object keeps its type id',
      { subscriptionType: 'object.creation', objectTypeId: '2-5001', objectId: 1 },
      [{ objectType: '2-5001', objectId: '1', kind: 'upsert', occurredAt: at }],
    ],
    [
      'a merge moves each merged id into the winner, then reads the winner again',
      { subscriptionType: 'object.merge', objectTypeId: '0-2', objectId: 11, primaryObjectId: 11, mergedObjectIds: [12, 13] },
      [
        { objectType: 'companies', objectId: '12', kind: 'merge', occurredAt: at, mergedInto: '11' },
        { objectType: 'companies', objectId: '13', kind: 'merge', occurredAt: at, mergedInto: '11' },
        { objectType: 'companies', objectId: '11', kind: 'upsert', occurredAt: at },
      ],
    ],
    [
      'a merge into a new record moves the primary too',
      { subscriptionType: 'contact.merge', objectId: 1, primaryObjectId: 1, mergedObjectIds: [2], newObjectId: 3 },
      [
        { objectType: 'contacts', objectId: '2', kind: 'merge', occurredAt: at, mergedInto: '3' },
        { objectType: 'contacts', objectId: '3', kind: 'upsert', occurredAt: at },
        { objectType: 'contacts', objectId: '1', kind: 'merge', occurredAt: at, mergedInto: '3' },
      ],
    ],
    [
      'a generic association change names both ends',
      {
        subscriptionType: 'object.associationChange',
        fromObjectTypeId: '0-46',
        fromObjectId: 97,
        toObjectTypeId: '0-3',
        toObjectId: 7,
        associationTypeId: 214,
        associationRemoved: true,
      },
      [{ objectType: 'notes', objectId: '97', kind: 'association', occurredAt: at, toObjectType: 'deals', toObjectId: '7', removed: true }],
    ],
    [
      'a legacy association change reads its associationType',
      {
        subscriptionType: 'contact.associationChange',
        fromObjectId: 1,
        toObjectId: 11,
        associationType: 'CONTACT_TO_COMPANY',
        associationRemoved: false,
      },
      [
        {
          objectType: 'contacts',
          objectId: '1',
          kind: 'association',
          occurredAt: at,
          toObjectType: 'companies',
          toObjectId: '11',
          removed: false,
        },
      ],
    ],
    [
      'a privacy deletion deletes the contact',
      { subscriptionType: 'contact.privacyDeletion', objectId: 4 },
      [{ objectType: 'contacts', objectId: '4', kind: 'delete', occurredAt: at }],
    ],
  ])('%s', (_name, extra, changes) => {
    expect(read(extra)).toEqual({ kind: 'changes', changes });
  });

  it.each([
    ['no portalId', { portalId: undefined, subscriptionType: 'object.creation', objectTypeId: '0-1', objectId: 1 }],
    ['a text objectId', { subscriptionType: 'object.creation', objectTypeId: '0-1', objectId: 'abc' }],
    ['an unknown subscription type', { subscriptionType: 'object.teleport', objectTypeId: '0-1', objectId: 1 }],
    ['an unknown legacy prefix', { subscriptionType: 'widget.creation', objectId: 1 }],
    ['a creation without objectId', { subscriptionType: 'object.creation', objectTypeId: '0-1' }],
    ['a merge without merged ids', { subscriptionType: 'object.merge', objectTypeId: '0-1', objectId: 1, primaryObjectId: 1 }],
    ['an association change with one end', { subscriptionType: 'object.associationChange', fromObjectTypeId: '0-1', fromObjectId: 1 }],
    ['no occurredAt', { occurredAt: 'yesterday', subscriptionType: 'object.creation', objectTypeId: '0-1', objectId: 1 }],
  ])('%s is malformed', (_name, extra) => {
    expect(read(extra).kind).toBe('malformed');
  });

  it('an uninstall (the journal lifecycle event type) is an uninstall; an install event and conversations are ignored', () => {
    expect(read({ subscriptionType: 'app.lifecycle', eventTypeId: '4-1916193' })).toEqual({ kind: 'uninstall' });
    expect(read({ subscriptionType: 'app.lifecycle', eventTypeId: '4-1909196' }).kind).toBe('ignored');
    expect(read({ subscriptionType: 'conversation.newMessage', objectId: 1 }).kind).toBe('ignored');
  });
});

describe('notificationKey', () => {
  it('is the same for a redelivery (attemptNumber differs) and differs for another notification of the same eventId', () => {
    const a = { ...base, subscriptionType: 'object.propertyChange', objectId: 1, propertyName: 'email', propertyValue: 'a@x' };
    expect(notificationKey({ ...a, attemptNumber: 3 })).toBe(notificationKey(a));
    expect(notificationKey({ ...a, propertyName: 'firstname' })).not.toBe(notificationKey(a));
    const { subscriptionType, ...rest } = a;
    expect(notificationKey({ ...rest, subscriptionType })).toBe(notificationKey(a)); // key order does not matter
  });
});

describe('inOccurrenceOrder', () => {
  it('orders by occurredAt and keeps arrival order for ties', () => {
    const c = (objectId: string, occurredAt: number) => ({ objectType: 'contacts', objectId, kind: 'upsert' as const, occurredAt });
    expect(inOccurrenceOrder([c('a', 3), c('b', 1), c('c', 3), c('d', 2)]).map((x) => x.objectId)).toEqual(['b', 'd', 'a', 'c']);
  });
});
