// What HubSpot would send for a change: the app's subscriptions (its `webhooks` component) matched
// against a store change, one notification per matching subscription. Shapes: reference
// hubspot-sync.md §1.1–§1.3 (component, subscription types) and §2 (the request HubSpot sends).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { resolveObjectType, type ObjectTypeInfo } from './object-types';
import type { StoreChange } from './store';

const subscription = z.object({
  subscriptionType: z.string().min(1),
  objectType: z.string().min(1).optional(),
  objectName: z.string().min(1).optional(), // private-app webhooks.json spelling
  propertyName: z.string().min(1).optional(),
  active: z.boolean().default(true),
});
/** The `subscriptions` object of a `webhooks` component (crmObjects, legacyCrmObjects, hubEvents). */
export const subscriptionsSchema = z.object({
  crmObjects: z.array(subscription).default([]),
  legacyCrmObjects: z.array(subscription).default([]),
  hubEvents: z.array(subscription).default([]),
});
export type WebhookSubscriptions = z.input<typeof subscriptionsSchema>;

const component = z.object({
  uid: z.string(),
  type: z.literal('webhooks'),
  config: z.object({
    settings: z.object({ targetUrl: z.string(), maxConcurrentRequests: z.number().int().positive().optional() }),
    subscriptions: subscriptionsSchema,
  }),
});

/** Reads an app's `webhooks` component (`*-hsmeta.json`); throws one sentence when it is not one. */
export function loadWebhooksComponent(file: string): { subscriptions: WebhookSubscriptions; maxConcurrentRequests?: number } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: cannot read the webhooks component: ${(e as Error).message}`);
  }
  const parsed = component.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `${file}: not a webhooks component: ${parsed.error.issues.map((i) => `$.${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return { subscriptions: parsed.data.config.subscriptions, maxConcurrentRequests: parsed.data.config.settings.maxConcurrentRequests };
}

type Kind = 'creation' | 'deletion' | 'merge' | 'restore' | 'propertyChange' | 'associationChange';
const KINDS: readonly string[] = ['creation', 'deletion', 'merge', 'restore', 'propertyChange', 'associationChange'];

/** One active subscription, resolved: id, format, object type, kind. */
export type ActiveSubscription = {
  id: number;
  format: 'generic' | 'legacy';
  subscriptionType: string;
  type: string;
  kind: Kind;
  propertyName?: string;
};

// Generic object names the docs list that differ from the API names (reference §1.3 "Meeting event").
const ALIASES: Record<string, string> = { meeting_event: 'meetings', meeting_events: 'meetings', line_item: 'line_items' };
function typeOf(name: string): ObjectTypeInfo | undefined {
  return resolveObjectType(ALIASES[name.toLowerCase()] ?? name);
}

/** Resolves the component's active CRM subscriptions; throws on a type or kind it cannot place. */
export function activeSubscriptions(input: WebhookSubscriptions, firstId = 1000): ActiveSubscription[] {
  const subs = subscriptionsSchema.parse(input);
  const out: ActiveSubscription[] = [];
  let id = firstId;
  for (const s of subs.crmObjects) {
    id++;
    if (!s.active) continue;
    const [prefix, kind] = s.subscriptionType.split('.');
    const name = s.objectType ?? s.objectName;
    if (prefix !== 'object' || !kind || !KINDS.includes(kind))
      throw new Error(`crmObjects: unknown subscriptionType ${s.subscriptionType}`);
    const t = name ? typeOf(name) : undefined;
    if (!t) throw new Error(`crmObjects: ${s.subscriptionType} needs a known objectType (got ${JSON.stringify(name)})`);
    if (kind === 'propertyChange' && !s.propertyName) throw new Error(`crmObjects: object.propertyChange on ${name} needs a propertyName`);
    out.push({
      id,
      format: 'generic',
      subscriptionType: s.subscriptionType,
      type: t.name,
      kind: kind as Kind,
      propertyName: s.propertyName,
    });
  }
  for (const s of subs.legacyCrmObjects) {
    id++;
    if (!s.active) continue;
    const [prefix, kind] = s.subscriptionType.split('.');
    const t = prefix ? typeOf(prefix) : undefined;
    if (!t || !kind || !KINDS.includes(kind)) throw new Error(`legacyCrmObjects: unknown subscriptionType ${s.subscriptionType}`);
    out.push({
      id,
      format: 'legacy',
      subscriptionType: s.subscriptionType,
      type: t.name,
      kind: kind as Kind,
      propertyName: s.propertyName,
    });
  }
  // hubEvents (contact.privacyDeletion, conversation.*): nothing in the sandbox produces them
  return out;
}

/** A notification as HubSpot sends it (reference §2); `attemptNumber` is set at delivery. */
export type WebhookEvent = Record<string, unknown> & {
  eventId: number;
  subscriptionId: number;
  portalId: number;
  occurredAt: number;
  subscriptionType: string;
  attemptNumber: number;
};

/**
 * The notifications one change produces. All of them carry the same `eventId` (HubSpot's is "the
 * ID of the triggering event" and "not guaranteed to be unique", reference §2).
 */
export function eventsFor(
  change: StoreChange,
  subs: readonly ActiveSubscription[],
  base: { portalId: number; appId: number; eventId: number },
): WebhookEvent[] {
  const out: WebhookEvent[] = [];
  const kind: Kind = change.kind === 'association' ? 'associationChange' : change.kind;
  const type = change.kind === 'association' ? change.from : change.type;
  const info = resolveObjectType(type);
  for (const s of subs) {
    if (s.kind !== kind || s.type !== type) continue;
    if (change.kind === 'propertyChange' && s.propertyName !== change.property) continue;
    const ev: WebhookEvent = {
      eventId: base.eventId,
      subscriptionId: s.id,
      portalId: base.portalId,
      appId: base.appId,
      occurredAt: change.at,
      subscriptionType: s.subscriptionType,
      attemptNumber: 0,
    };
    if (s.format === 'generic' && change.kind !== 'association') ev.objectTypeId = info?.id;
    switch (change.kind) {
      case 'creation':
        Object.assign(ev, { objectId: Number(change.id), changeFlag: 'CREATED' });
        break;
      case 'deletion':
        Object.assign(ev, { objectId: Number(change.id), changeFlag: 'DELETED' });
        break;
      case 'restore':
        Object.assign(ev, { objectId: Number(change.id) });
        break;
      case 'propertyChange':
        Object.assign(ev, { objectId: Number(change.id), propertyName: change.property, propertyValue: change.value ?? '' });
        break;
      case 'merge':
        Object.assign(ev, {
          objectId: Number(change.primaryId),
          primaryObjectId: Number(change.primaryId),
          mergedObjectIds: change.mergedIds.map(Number),
          numberOfPropertiesMoved: change.propertiesMoved,
        });
        break;
      case 'association': {
        const to = resolveObjectType(change.to);
        Object.assign(ev, {
          fromObjectId: Number(change.fromId),
          toObjectId: Number(change.toId),
          associationRemoved: change.removed,
          isPrimaryAssociation: change.label === 'Primary',
        });
        if (s.format === 'generic') {
          Object.assign(ev, {
            fromObjectTypeId: info?.id,
            toObjectTypeId: to?.id,
            associationTypeId: change.typeId,
            associationCategory: change.category,
          });
        } else {
          ev.associationType = `${info?.singular ?? type}_TO_${to?.singular ?? change.to}`.toUpperCase();
        }
        break;
      }
    }
    ev.changeSource = change.source.changeSource;
    if (change.source.sourceId) ev.sourceId = change.source.sourceId;
    out.push(ev);
  }
  return out;
}
