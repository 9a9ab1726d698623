// How the rules present an action: records, links, and the times their facts carry.
import type { ObjectRef } from '../../../contract/api';
import type { Ctx } from '../context';
import type { Contact, Deal, EpochMs, ObjectType } from '../input';
import type { Occurrence } from '../rule-definition';
import { recordUrl, type Link } from '../links';
import { parseIso } from '../time';

/** An instant the facts carry as an ISO string. */
export const ms = (iso: string): EpochMs => parseIso(iso);
/** A fact's instant in the rep's time zone, as the reasons say it. */
export const when = (ctx: Ctx, iso: string) => ctx.local(ms(iso));
export const contactRecord = (ctx: Ctx, c: Contact) => ctx.ref('contacts', c.id);
export const contactLinks = (ctx: Ctx, c: Contact, label = 'Open contact'): Link[] => [
  { label, href: recordUrl(ctx.input.portal, 'contacts', c.id) },
];
export const dealLinks = (ctx: Ctx, d: Deal, label = 'Open deal'): Link[] => [{ label, href: recordUrl(ctx.input.portal, 'deals', d.id) }];
export const repliesKey = (facts: { replyEmailId: string }) => `reply:${facts.replyEmailId}`;
export const firstRefLink = (ctx: Ctx, refs: ObjectRef[], types: ObjectType[], label: string): Link[] => {
  for (const t of types) {
    const r = refs.find((x) => x.objectType === t);
    if (r) return [{ label: `${label} ${r.label}`, href: recordUrl(ctx.input.portal, t, r.objectId) }];
  }
  return [];
};

/** Rules 5, 8, 9, 10: the action is the reply (the first incoming email after your last). */
export const replyOccurrence = (f: { repliedAt: string; replyEmailId: string }): Occurrence => ({
  at: ms(f.repliedAt),
  key: repliesKey(f),
});
export const dealRecord = (ctx: Ctx, d: Deal) => ctx.ref('deals', d.id);
