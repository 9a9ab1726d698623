// HubSpot's webhook notifications, read once: the shapes HubSpot sends (reference hubspot-sync.md
// §2: generic object.* with objectTypeId, legacy <type>.<event>, privacy deletion, merge and
// association fields), turned into the copy's changes. Pure: no I/O, no clock.
import { createHash } from 'node:crypto';
import { z } from 'zod';

import type { CopyChange } from './changes';

export type { CopyChange };

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,20}$/)]).transform(String);

/** The fields every notification has (D-WH's general fields); the rest depends on its type. */
const notification = z
  .object({
    portalId: z.number().int().positive(),
    occurredAt: z.number().int().nonnegative(),
    subscriptionType: z.string().min(1),
    eventId: z.union([z.number(), z.string()]).optional(),
    subscriptionId: z.union([z.number(), z.string()]).optional(),
    attemptNumber: z.number().int().nonnegative().optional(),
    objectId: id.optional(),
    objectTypeId: z
      .string()
      .regex(/^\d+-\d+$/)
      .optional(),
    propertyName: z.string().optional(),
    primaryObjectId: id.optional(),
    mergedObjectIds: z.array(id).optional(),
    newObjectId: id.optional(),
    fromObjectId: id.optional(),
    toObjectId: id.optional(),
    fromObjectTypeId: z
      .string()
      .regex(/^\d+-\d+$/)
      .optional(),
    toObjectTypeId: z
      .string()
      .regex(/^\d+-\d+$/)
      .optional(),
    associationType: z.string().optional(),
    associationRemoved: z.boolean().optional(),
    eventTypeId: z.string().optional(),
  })
  .passthrough();
export type Notification = z.infer<typeof notification>;

// Object type ids → the API names the copy uses (hubspot-crm-data.md §1.1).
const TYPE_BY_ID: Record<string, string> = {
  '0-1': 'contacts',
  '0-2': 'companies',
  '0-3': 'deals',
  '0-5': 'tickets',
  '0-7': 'products',
  '0-8': 'line_items',
  '0-27': 'tasks',
  '0-46': 'notes',
  '0-47': 'meetings',
  '0-48': 'calls',
  '0-49': 'emails',
  '0-115': 'users',
  '0-136': 'leads',
  '0-162': 'services',
};
// Legacy subscription prefixes and associationType ends (D-WH: CONTACT_TO_COMPANY …).
const TYPE_BY_LEGACY: Record<string, string> = {
  contact: 'contacts',
  company: 'companies',
  deal: 'deals',
  ticket: 'tickets',
  product: 'products',
  line_item: 'line_items',
};

/** App lifecycle: the uninstall event type (Webhooks Journal APP_LIFECYCLE_EVENT, reference §3, §6). */
export const UNINSTALL_EVENT_TYPE_ID = '4-1916193';

export type ReadResult =
  | { kind: 'changes'; changes: CopyChange[] }
  | { kind: 'uninstall' }
  | { kind: 'ignored'; why: string }
  | { kind: 'malformed'; why: string };

const objectTypeOf = (n: Notification): string | undefined => {
  if (n.objectTypeId) return TYPE_BY_ID[n.objectTypeId] ?? n.objectTypeId; // custom objects keep their 2-… id
  return TYPE_BY_LEGACY[n.subscriptionType.split('.')[0] ?? ''];
};

/** Parses one notification; never throws. */
export function parseNotification(raw: unknown): { ok: true; value: Notification } | { ok: false; why: string } {
  const r = notification.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  return {
    ok: false,
    why: r.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`)
      .join('; '),
  };
}

/** What one notification means for the copy (or for the install). */
export function readNotification(n: Notification): ReadResult {
  const [prefix = '', event = ''] = n.subscriptionType.split('.');
  if (n.eventTypeId === UNINSTALL_EVENT_TYPE_ID || /^app\.(uninstall|uninstalled|deletion)$/i.test(n.subscriptionType))
    return { kind: 'uninstall' };
  if (n.eventTypeId || prefix === 'app') return { kind: 'ignored', why: `app event ${n.eventTypeId ?? n.subscriptionType}` };
  if (prefix === 'conversation') return { kind: 'ignored', why: 'conversations are not copied' };
  const at = n.occurredAt;
  if (event === 'privacyDeletion') {
    if (!n.objectId) return { kind: 'malformed', why: 'privacyDeletion without objectId' };
    return { kind: 'changes', changes: [{ objectType: 'contacts', objectId: n.objectId, kind: 'delete', occurredAt: at }] };
  }
  if (prefix !== 'object' && !(prefix in TYPE_BY_LEGACY))
    return { kind: 'malformed', why: `unknown subscriptionType ${n.subscriptionType}` };
  if (event === 'associationChange') {
    const from = n.fromObjectTypeId ? (TYPE_BY_ID[n.fromObjectTypeId] ?? n.fromObjectTypeId) : TYPE_BY_LEGACY[prefix];
    let to = n.toObjectTypeId ? (TYPE_BY_ID[n.toObjectTypeId] ?? n.toObjectTypeId) : undefined;
    if (!to && n.associationType) {
      const m = /_TO_(.+)$/i.exec(n.associationType);
      to = m ? TYPE_BY_LEGACY[m[1]!.toLowerCase()] : undefined;
    }
    if (!from || !to || !n.fromObjectId || !n.toObjectId) return { kind: 'malformed', why: 'associationChange without both ends' };
    return {
      kind: 'changes',
      changes: [
        {
          objectType: from,
          objectId: n.fromObjectId,
          kind: 'association',
          occurredAt: at,
          toObjectType: to,
          toObjectId: n.toObjectId,
          removed: n.associationRemoved ?? false,
        },
      ],
    };
  }
  const type = objectTypeOf(n);
  if (!type) return { kind: 'malformed', why: `no object type for ${n.subscriptionType}` };
  if (event === 'merge') {
    const winner = n.newObjectId ?? n.primaryObjectId ?? n.objectId;
    if (!winner || !n.mergedObjectIds?.length) return { kind: 'malformed', why: 'merge without primaryObjectId and mergedObjectIds' };
    const changes: CopyChange[] = n.mergedObjectIds
      .filter((m) => m !== winner)
      .map((m) => ({ objectType: type, objectId: m, kind: 'merge' as const, occurredAt: at, mergedInto: winner }));
    // the winner took values and associations: read it again (and the primary, when a new record replaced it)
    changes.push({ objectType: type, objectId: winner, kind: 'upsert', occurredAt: at });
    if (n.newObjectId && n.primaryObjectId && n.primaryObjectId !== n.newObjectId) {
      changes.push({ objectType: type, objectId: n.primaryObjectId, kind: 'merge', occurredAt: at, mergedInto: n.newObjectId });
    }
    return { kind: 'changes', changes };
  }
  if (!n.objectId) return { kind: 'malformed', why: `${n.subscriptionType} without objectId` };
  const kind = ({ creation: 'upsert', propertyChange: 'upsert', deletion: 'delete', restore: 'restore' } as const)[event as 'creation'];
  if (!kind) return { kind: 'malformed', why: `unknown subscriptionType ${n.subscriptionType}` };
  return { kind: 'changes', changes: [{ objectType: type, objectId: n.objectId, kind, occurredAt: at }] };
}

/**
 * The identity of a notification for de-duplication: everything but `attemptNumber`. HubSpot's
 * eventId alone is "not guaranteed to be unique" (reference §2, §7), and one triggering event may
 * yield several notifications; a redelivery repeats all the other fields.
 */
export function notificationKey(raw: Record<string, unknown>): string {
  const { attemptNumber: _a, ...rest } = raw;
  const canonical = JSON.stringify(
    Object.keys(rest)
      .sort()
      .map((k) => [k, rest[k]]),
  );
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Changes in the order they happened (per record, occurredAt decides; ties keep arrival order). */
export function inOccurrenceOrder(changes: CopyChange[]): CopyChange[] {
  return changes
    .map((c, i) => [c, i] as const)
    .sort((a, b) => a[0].occurredAt - b[0].occurredAt || a[1] - b[1])
    .map(([c]) => c);
}
