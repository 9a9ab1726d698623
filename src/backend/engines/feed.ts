import type { ObjectRef } from '../contract/api';
import type { FeedItem, FeedType } from '../contract/feed';

// The Feed (CS-FEED-1..2): the activity of the contacts of the user's companies, as items, newest
// first; search, filters and cursor paging. Pure: the caller reads the copy and passes `now`.

export type FeedContact = {
  id: string;
  properties: Record<string, string | null>;
  company: ObjectRef;
};

export type FeedEngagement = {
  objectType: 'emails' | 'meetings' | 'calls';
  id: string;
  contactId: string;
  properties: Record<string, string | null>;
  /** When the engagement was created (a meeting: when it was booked). */
  createdAt: number | null;
  /** hs_timestamp (email and call time) or a meeting's start. */
  at: number | null;
};

const ms = (v: string | null | undefined): number | null => {
  if (!v) return null;
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  return Number.isFinite(n) ? n : null;
};

export function contactName(c: { id: string; properties: Record<string, string | null> }): string {
  const p = c.properties;
  return [p.firstname, p.lastname].filter(Boolean).join(' ') || p.email || `Contact ${c.id}`;
}

// The contact's activity dates the copy holds (hubspot-crm-data.md §1.4 rollups, §2.2).
const CONTACT_DATES: { property: string; type: FeedType; verb: string }[] = [
  { property: 'hs_sales_email_last_opened', type: 'open', verb: 'opened an email' },
  { property: 'hs_sales_email_last_clicked', type: 'click', verb: 'clicked a link in an email' },
  { property: 'hs_sales_email_last_replied', type: 'reply', verb: 'replied to an email' },
  { property: 'recent_conversion_date', type: 'form', verb: 'submitted a form' },
];

/** What the feed reads of a contact and of each engagement type (the copy is read with these only). */
export const FEED_CONTACT_PROPERTIES = [
  'firstname',
  'lastname',
  'email',
  'hs_sequences_is_enrolled',
  ...CONTACT_DATES.map((d) => d.property),
];
export const FEED_ENGAGEMENT_PROPERTIES: Record<FeedEngagement['objectType'], string[]> = {
  emails: ['hs_email_direction', 'hs_email_subject'],
  meetings: ['hs_meeting_title', 'hs_meeting_outcome'],
  calls: ['hs_call_direction', 'hs_call_title'],
};

// A reply rollup within this of a reply email already listed is that same reply.
const SAME_REPLY_MS = 5 * 60_000;

/**
 * Every feed item from the contacts and their engagements, newest first (ties by id), within
 * `since`..`now`: incoming emails (replies), booked meetings, calls, and the contacts' last open,
 * click, reply and form submission dates.
 */
export function feedItems(input: { contacts: FeedContact[]; engagements: FeedEngagement[]; since: number; now: number }): FeedItem[] {
  const { since, now } = input;
  const contacts = new Map(input.contacts.map((c) => [c.id, c]));
  const out: FeedItem[] = [];
  const replyTimes = new Map<string, number[]>();
  const seen = new Set<string>();
  const inWindow = (t: number | null): t is number => t !== null && t >= since && t <= now;

  for (const e of input.engagements) {
    const contact = contacts.get(e.contactId);
    if (!contact) continue;
    const p = e.properties;
    const who = contactName(contact);
    let item: Omit<FeedItem, 'contact' | 'company' | 'inSequence' | 'engagement'> | null = null;
    if (e.objectType === 'emails') {
      if (p.hs_email_direction !== 'INCOMING_EMAIL' || !inWindow(e.at)) continue;
      item = {
        id: `email:${e.id}`,
        type: 'reply',
        occurredAt: iso(e.at),
        title: `${who} replied to an email`,
        detail: p.hs_email_subject || null,
      };
      replyTimes.set(contact.id, [...(replyTimes.get(contact.id) ?? []), e.at]);
    } else if (e.objectType === 'meetings') {
      // Booked: when the meeting was created; the detail says when it takes place.
      if (!inWindow(e.createdAt) || p.hs_meeting_outcome === 'CANCELED') continue;
      const start = e.at !== null ? ` on ${iso(e.at).slice(0, 16).replace('T', ' ')} UTC` : '';
      item = {
        id: `meeting:${e.id}`,
        type: 'meeting',
        occurredAt: iso(e.createdAt),
        title: `${who} has a meeting booked`,
        detail: `${p.hs_meeting_title || 'Meeting'}${start}`,
      };
    } else {
      if (!inWindow(e.at)) continue;
      const inbound = p.hs_call_direction === 'INBOUND';
      item = {
        id: `call:${e.id}`,
        type: 'call',
        occurredAt: iso(e.at),
        title: inbound ? `${who} called` : `Call with ${who}`,
        detail: p.hs_call_title || null,
      };
    }
    // An engagement with two of the user's contacts is listed once, for the first.
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    out.push({ ...item, ...about(contact), engagement: { objectType: e.objectType, objectId: e.id } });
  }

  for (const contact of input.contacts) {
    const who = contactName(contact);
    for (const d of CONTACT_DATES) {
      const t = ms(contact.properties[d.property]);
      if (!inWindow(t)) continue;
      if (d.type === 'reply' && (replyTimes.get(contact.id) ?? []).some((r) => Math.abs(r - t) <= SAME_REPLY_MS)) continue;
      out.push({
        id: `${d.type}:${contact.id}:${t}`,
        type: d.type,
        occurredAt: iso(t),
        title: `${who} ${d.verb}`,
        detail: null,
        ...about(contact),
      });
    }
  }
  return out.sort(newestFirst);
}

function about(contact: FeedContact): Pick<FeedItem, 'contact' | 'company' | 'inSequence'> {
  return {
    contact: { objectType: 'contacts', objectId: contact.id, label: contactName(contact) },
    company: contact.company,
    inSequence: contact.properties.hs_sequences_is_enrolled === 'true',
  };
}

const iso = (t: number) => new Date(t).toISOString();

// Code-unit order on both keys: the same order the cursor compares with.
const desc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);
const newestFirst = (a: FeedItem, b: FeedItem) => desc(a.occurredAt, b.occurredAt) || desc(a.id, b.id);

export type FeedFilter = {
  types?: readonly FeedType[];
  /** Contacts enrolled in a sequence, or not; absent: both. */
  sequence?: 'enrolled' | 'not-enrolled';
  /** Words that must all appear in the item (contact, company, title, detail), case-insensitive. */
  q?: string;
  dismissed: ReadonlySet<string>;
};

export type FeedCursor = { occurredAt: string; id: string };

/** The items that pass the filter, then one page after `after` (in the newest-first order). */
export function feedPage(
  items: readonly FeedItem[],
  filter: FeedFilter,
  page: { after?: FeedCursor; limit: number },
): { items: FeedItem[]; total: number; next?: FeedCursor } {
  const words = (filter.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const types = filter.types?.length ? new Set(filter.types) : null;
  const matching = items.filter((i) => {
    if (filter.dismissed.has(i.id)) return false;
    if (types && !types.has(i.type)) return false;
    if (filter.sequence && i.inSequence !== (filter.sequence === 'enrolled')) return false;
    if (words.length) {
      const text = [i.title, i.detail ?? '', i.contact.label, i.company.label].join(' ').toLowerCase();
      if (!words.every((w) => text.includes(w))) return false;
    }
    return true;
  });
  const after = page.after;
  const start = after
    ? matching.findIndex((i) => i.occurredAt < after.occurredAt || (i.occurredAt === after.occurredAt && i.id < after.id))
    : 0;
  const rest = start < 0 ? [] : matching.slice(start);
  const shown = rest.slice(0, page.limit);
  const last = shown[shown.length - 1];
  return {
    items: shown,
    total: matching.length,
    ...(rest.length > page.limit && last ? { next: { occurredAt: last.occurredAt, id: last.id } } : {}),
  };
}

/** The cursor as an opaque string, and back (null when it is not one of ours). */
export function encodeCursor(c: FeedCursor): string {
  return Buffer.from(`${c.occurredAt}|${c.id}`, 'utf8').toString('base64url');
}
export function decodeCursor(s: string): FeedCursor | null {
  const text = Buffer.from(s, 'base64url').toString('utf8');
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([a-z]+:\d+(?::\d+)?)$/.exec(text);
  return m ? { occurredAt: m[1]!, id: m[2]! } : null;
}
