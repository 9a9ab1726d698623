import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, feedItems, feedPage, type FeedContact, type FeedEngagement } from './feed';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const H = 3_600_000;
const ago = (hours: number) => new Date(NOW - hours * H).toISOString();
const acme = { objectType: 'companies', objectId: '31', label: 'Acme Inc' };

function contact(id: string, p: Record<string, string | null> = {}): FeedContact {
  return { id, properties: { firstname: `C${id}`, lastname: 'Lee', ...p }, company: acme };
}
function engagement(
  objectType: FeedEngagement['objectType'],
  id: string,
  contactId: string,
  atHoursAgo: number,
  p: Record<string, string> = {},
  createdHoursAgo = atHoursAgo,
): FeedEngagement {
  return { objectType, id, contactId, properties: p, at: NOW - atHoursAgo * H, createdAt: NOW - createdHoursAgo * H };
}

const build = (contacts: FeedContact[], engagements: FeedEngagement[]) =>
  feedItems({ contacts, engagements, since: NOW - 120 * 24 * H, now: NOW });

describe('feedItems', () => {
  it('makes replies, booked meetings, calls and the contact activity dates into items, newest first', () => {
    const items = build(
      [
        contact('1', {
          hs_sales_email_last_opened: ago(1),
          hs_sales_email_last_clicked: ago(2),
          recent_conversion_date: ago(30),
          hs_sequences_is_enrolled: 'true',
        }),
      ],
      [
        engagement('emails', '100', '1', 3, { hs_email_direction: 'INCOMING_EMAIL', hs_email_subject: 'Re: pricing' }),
        // The rep's own email is not the contact's activity.
        engagement('emails', '101', '1', 4, { hs_email_direction: 'EMAIL', hs_email_subject: 'pricing' }),
        // Booked 5 hours ago for tomorrow.
        engagement('meetings', '200', '1', -24, { hs_meeting_title: 'Demo' }, 5),
        engagement('calls', '300', '1', 6, { hs_call_title: 'Intro call', hs_call_direction: 'INBOUND' }),
      ],
    );
    expect(items.map((i) => [i.id, i.type, i.title])).toEqual([
      [`open:1:${NOW - H}`, 'open', 'C1 Lee opened an email'],
      [`click:1:${NOW - 2 * H}`, 'click', 'C1 Lee clicked a link in an email'],
      ['email:100', 'reply', 'C1 Lee replied to an email'],
      ['meeting:200', 'meeting', 'C1 Lee has a meeting booked'],
      ['call:300', 'call', 'C1 Lee called'],
      [`form:1:${NOW - 30 * H}`, 'form', 'C1 Lee submitted a form'],
    ]);
    expect(items[2]).toMatchObject({
      detail: 'Re: pricing',
      engagement: { objectType: 'emails', objectId: '100' },
      inSequence: true,
      company: acme,
    });
    expect(items[3]!.detail).toBe('Demo on 2026-03-11 12:00 UTC');
    expect(items[0]!.engagement).toBeUndefined();
  });

  it('lists a reply once when the contact rollup and the reply email say the same thing', () => {
    const items = build(
      [
        contact('1', { hs_sales_email_last_replied: new Date(NOW - 3 * H + 60_000).toISOString() }),
        contact('2', { hs_sales_email_last_replied: ago(10) }),
      ],
      [engagement('emails', '100', '1', 3, { hs_email_direction: 'INCOMING_EMAIL' })],
    );
    expect(items.map((i) => i.id)).toEqual(['email:100', `reply:2:${NOW - 10 * H}`]);
  });

  it('leaves out what is outside the window, in the future, cancelled, or about a contact not followed', () => {
    const items = build(
      [contact('1', { hs_sales_email_last_opened: ago(121 * 24), hs_sales_email_last_clicked: ago(-1) })],
      [
        engagement('calls', '300', '1', 121 * 24),
        engagement('meetings', '200', '1', -2, { hs_meeting_outcome: 'CANCELED' }, 1),
        engagement('calls', '301', '9', 1),
      ],
    );
    expect(items).toEqual([]);
  });

  it('lists an engagement with two followed contacts once', () => {
    const items = build([contact('1'), contact('2')], [engagement('calls', '300', '1', 1), engagement('calls', '300', '2', 1)]);
    expect(items.map((i) => [i.id, i.contact.objectId])).toEqual([['call:300', '1']]);
  });
});

describe('feedPage', () => {
  const items = build(
    [
      contact('1', { hs_sequences_is_enrolled: 'true', hs_sales_email_last_opened: ago(1) }),
      contact('2', { firstname: 'Zoe', hs_sales_email_last_clicked: ago(2) }),
    ],
    [1, 2, 3, 4, 5, 6, 7].map((n) => engagement('calls', String(300 + n), n % 2 ? '1' : '2', 2 + n, { hs_call_title: `Call ${n}` })),
  );
  const none = new Set<string>();

  it('pages newest first with a cursor until the end, every item once', () => {
    const seen: string[] = [];
    let after: ReturnType<typeof feedPage>['next'];
    let pages = 0;
    do {
      const page = feedPage(items, { dismissed: none }, { after, limit: 4 });
      expect(page.total).toBe(9);
      seen.push(...page.items.map((i) => i.id));
      after = page.next;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(items.map((i) => i.id));
  });

  it('keeps its place when an item before the cursor is dismissed between pages', () => {
    const first = feedPage(items, { dismissed: none }, { limit: 3 });
    const second = feedPage(items, { dismissed: new Set([first.items[0]!.id]) }, { after: first.next, limit: 3 });
    expect(second.items.map((i) => i.id)).toEqual(items.slice(3, 6).map((i) => i.id));
  });

  it.each([
    ['by type', { types: ['open', 'click'] as const }, ['open:1', 'click:2']],
    ['by sequence enrolment', { sequence: 'enrolled' as const, types: ['open', 'click'] as const }, ['open:1']],
    ['not in a sequence', { sequence: 'not-enrolled' as const, types: ['open', 'click'] as const }, ['click:2']],
    ['by words in any order, any case', { q: 'zoe CALL 4' }, ['call:304']],
    ['by company name', { q: 'acme', types: ['click'] as const }, ['click:2']],
  ])('filters %s', (_name, filter, prefixes) => {
    const page = feedPage(items, { ...filter, dismissed: none }, { limit: 50 });
    expect(page.items.map((i) => i.id.split(':').slice(0, 2).join(':'))).toEqual(prefixes);
    expect(page.total).toBe(prefixes.length);
  });

  it('leaves out dismissed items', () => {
    const page = feedPage(items, { dismissed: new Set(['call:301', 'call:302']) }, { limit: 50 });
    expect(page.items.map((i) => i.id)).not.toContain('call:301');
    expect(page.total).toBe(7);
  });
});

describe('cursors', () => {
  it('round-trip, and a foreign string is not one', () => {
    const c = { occurredAt: '2026-03-10T11:00:00.000Z', id: 'open:1:1773140400000' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    expect(decodeCursor('bm9wZQ')).toBeNull();
  });
});
