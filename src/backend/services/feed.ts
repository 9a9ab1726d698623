import { createHash } from 'node:crypto';
import type { FeedItem, FeedResponse, FeedType } from '../contract/feed';
import { AppError } from '../app-error';
import {
  decodeCursor,
  encodeCursor,
  FEED_CONTACT_PROPERTIES,
  FEED_ENGAGEMENT_PROPERTIES,
  feedItems,
  feedPage,
  type FeedContact,
} from '../engines/feed';
import { createCopyRepo, createFeedRepo, type CopyRepo, type Queryable } from '../storage';
import { ENGAGEMENT_WINDOW_DAYS, DAY_MS } from '../sync/objects';
import { freshnessOf } from '../sync/status';
import { createCopyCache, type CopyCache } from './copy-cache';
import { labelProperties, recordLabel } from './record-labels';

const ENGAGEMENT_TYPES = ['emails', 'meetings', 'calls'] as const;

export type FeedQuery = {
  types?: FeedType[];
  sequence?: 'enrolled' | 'not-enrolled';
  q?: string;
  after?: string;
  limit: number;
};

/** An owner's feed items (before dismissals, filters and paging) and how many contacts they come from. */
type OwnerFeed = { items: FeedItem[]; contacts: number };

/**
 * Owners' feeds kept per copy version, and for a minute at most: the feed's window moves with the
 * clock, so an engagement leaves it (or a dated one enters it) up to a minute late.
 */
export type FeedCache = { owners: CopyCache<OwnerFeed>; answers: CopyCache<FeedResponse> };
export const FEED_CACHE_TTL_MS = 60_000;
export const createFeedCache = (now: () => number, max = 500): FeedCache => ({
  owners: createCopyCache({ max, ttlMs: FEED_CACHE_TTL_MS, now }),
  // Whole answers (the same object for the same page, dismissals and freshness: serialized once).
  answers: createCopyCache({ max, ttlMs: FEED_CACHE_TTL_MS, now }),
});

/** Feed item ids as the engine makes them (the dismiss route checks against this). */
export const FEED_ITEM_ID = /^(?:(?:email|meeting|call):\d{1,18}|(?:open|click|reply|form):\d{1,18}:\d{1,15})$/;

/**
 * CS-FEED-1..2: the activity of the contacts of companies the user owns, from the portal copy (no
 * HubSpot call), newest first, over the engagement window the copy keeps; minus the items the user
 * dismissed.
 */
export async function getFeed(
  db: Queryable,
  portalId: number,
  input: { userId: number; query: FeedQuery; now: number },
  cache?: FeedCache,
): Promise<FeedResponse> {
  const { userId, query, now } = input;
  const after = query.after === undefined ? undefined : decodeCursor(query.after);
  if (after === null)
    throw new AppError('BAD_REQUEST', 'The "after" cursor is not one this feed gave out.', [
      { field: 'after', issue: 'a cursor from paging.next.after' },
    ]);
  const copy = createCopyRepo(db);
  const feed = createFeedRepo(db);
  const [freshness, owners, dismissed] = await Promise.all([
    freshnessOf(copy, portalId, now),
    copy.owners(portalId),
    feed.dismissed(portalId, userId),
  ]);
  const owner = owners.find((o) => o.userId === userId && !o.archived);
  if (!owner) {
    const why = freshness.syncing
      ? 'Tiller is still copying this portal from HubSpot; the feed fills in as soon as it is loaded.'
      : 'You are not a HubSpot owner in this portal, so no companies are yours to follow.';
    return { items: [], total: 0, contacts: 0, partial: true, warnings: [why], ...freshness };
  }
  const version = cache ? await copy.copyVersion(portalId) : 0;
  const answer = async (): Promise<FeedResponse> => {
    const read = () => ownerFeed(copy, portalId, owner.id, now);
    const { items, contacts } = cache ? await cache.owners.get(`${portalId}:${owner.id}`, version, read) : await read();
    const page = feedPage(items, { types: query.types, sequence: query.sequence, q: query.q, dismissed }, { after, limit: query.limit });
    return {
      items: page.items,
      total: page.total,
      contacts,
      ...(page.next ? { paging: { next: { after: encodeCursor(page.next) } } } : {}),
      ...freshness,
    };
  };
  if (!cache) return answer();
  const dismissedHash = createHash('sha1')
    .update([...dismissed].sort().join(','))
    .digest('base64');
  return cache.answers.get(JSON.stringify([portalId, owner.id, query, dismissedHash, freshness]), version, answer);
}

/** Every feed item of the companies an owner owns, from the copy: the wanted properties only, engagements of the window only. */
async function ownerFeed(copy: CopyRepo, portalId: number, ownerId: string, now: number): Promise<OwnerFeed> {
  const since = now - ENGAGEMENT_WINDOW_DAYS * DAY_MS;
  // Simple indexed reads (owner index, association indexes, primary keys) rather than one join:
  // PGlite's planner chose a 20 s plan for the joined form on the demo portal.
  const companies = await copy.listRecords(portalId, 'companies', { ownerId, properties: labelProperties('companies') });
  const companyOf = new Map<string, string>();
  for (const [companyId, refs] of await copy.associations(
    portalId,
    'companies',
    companies.map((c) => c.id),
    'contacts',
  )) {
    for (const ref of refs)
      if (!companyOf.has(ref.id) || Number(companyId) < Number(companyOf.get(ref.id))) companyOf.set(ref.id, companyId);
  }
  const companyById = new Map(companies.map((c) => [c.id, c]));
  const contactRecords = await copy.getRecords(portalId, 'contacts', [...companyOf.keys()], {
    properties: FEED_CONTACT_PROPERTIES,
    liveOnly: true,
  });
  const contacts: FeedContact[] = [...contactRecords.values()].map((r) => {
    const company = companyById.get(companyOf.get(r.id)!)!;
    return {
      id: r.id,
      properties: r.properties,
      company: {
        objectType: 'companies',
        objectId: company.id,
        label: recordLabel('companies', { id: company.id, properties: company.properties, createdAt: '', updatedAt: '' }),
      },
    };
  });
  const contactIds = contacts.map((c) => c.id);
  const engagements = (
    await Promise.all(
      ENGAGEMENT_TYPES.map(async (objectType) => {
        const byContact = await copy.associations(portalId, 'contacts', contactIds, objectType);
        // Emails and calls count at hs_timestamp (due_at), meetings when booked: older ones cannot be items.
        const records = await copy.getRecords(portalId, objectType, [...new Set([...byContact.values()].flat().map((r) => r.id))], {
          properties: FEED_ENGAGEMENT_PROPERTIES[objectType],
          liveOnly: true,
          since: { column: objectType === 'meetings' ? 'created_at' : 'due_at', at: new Date(since) },
        });
        return [...byContact].flatMap(([contactId, refs]) =>
          refs.flatMap((ref) => {
            const r = records.get(ref.id);
            return r ? [{ objectType, id: r.id, contactId, properties: r.properties, createdAt: r.createdAt, dueAt: r.dueAt }] : [];
          }),
        );
      }),
    )
  ).flat();
  const items = feedItems({
    contacts,
    engagements: engagements.map((e) => ({
      objectType: e.objectType,
      id: e.id,
      contactId: e.contactId,
      properties: e.properties,
      createdAt: e.createdAt?.getTime() ?? null,
      at: e.dueAt?.getTime() ?? null,
    })),
    since,
    now,
  });
  return { items, contacts: contacts.length };
}

/** CS-FEED-3: hides an item from the user's feed for good (idempotent). */
export async function dismissFeedItem(db: Queryable, portalId: number, userId: number, itemId: string, now: number): Promise<void> {
  await createFeedRepo(db).dismiss(portalId, userId, itemId, new Date(now));
}

/** Undoes a dismissal; 404 when there was none. */
export async function restoreFeedItem(db: Queryable, portalId: number, userId: number, itemId: string): Promise<void> {
  if (!(await createFeedRepo(db).restore(portalId, userId, itemId))) throw new AppError('NOT_FOUND', 'This feed item is not dismissed.');
}
