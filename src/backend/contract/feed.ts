// The Feed tab's HTTP contract (CS-FEED-1..4). The UI imports only these types.
import type { Freshness, ObjectRef, PartialResult } from './api';

export const FEED_TYPES = ['open', 'click', 'reply', 'form', 'meeting', 'call'] as const;
export type FeedType = (typeof FEED_TYPES)[number];

export type FeedItem = {
  /** Stable id, used to dismiss it: "email:123", "meeting:9", "open:456:1767225600000"… */
  id: string;
  type: FeedType;
  occurredAt: string;
  /** One sentence: "Ann Lee opened an email". */
  title: string;
  /** The email's subject, the meeting's title and start, the call's title… when known. */
  detail: string | null;
  contact: ObjectRef;
  /** A company of the user's that the contact belongs to. */
  company: ObjectRef;
  /** hs_sequences_is_enrolled on the contact. */
  inSequence: boolean;
  /** The engagement the item comes from; absent for a contact's activity dates (opens, clicks, forms). */
  engagement?: { objectType: 'emails' | 'meetings' | 'calls'; objectId: string };
};

/** GET /api/v1/feed */
export type FeedResponse = PartialResult &
  Freshness & {
    items: FeedItem[];
    /** Items matching the filters, dismissed ones excluded, on every page together. */
    total: number;
    /** How many contacts of the user's companies the feed watches. */
    contacts: number;
    paging?: { next: { after: string } };
  };
