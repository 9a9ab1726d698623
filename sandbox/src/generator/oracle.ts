// Test oracle: a literal, unoptimised reading of the creation criteria and expiry conditions of
// /work/shared/spec/guided-actions.md, evaluated on a generated fixture for one (rep, record).
// It exists to check the generator's planted cases; it is not the product's rules engine.
import { DateTime } from 'luxon';
import type { Fixture } from '../fixture';
import type { GuidedActionRule } from './vocab';

type Props = Record<string, string | null | undefined>;
interface R {
  id: string;
  type: string;
  ref: string;
  p: Props;
  hist?: Record<string, Array<{ value: string; timestamp: string | number }>>;
}
export interface OracleRep {
  ownerId: string;
  email: string;
  timeZone: string;
}

const D = 86_400_000;
const H = 3_600_000;
const CLOSED_DEAL = new Set(['closedwon', 'closedlost']);
const CLOSED_LEAD = new Set(['qualified-stage-id', 'unqualified-stage-id']);
const CONNECTED = 'f240bbac-87c9-4f6e-bf70-924b57d47db7';

function t(v: string | number | null | undefined): number {
  if (v === null || v === undefined || v === '') return NaN;
  return typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : Date.parse(v);
}
const domain = (e: string | null | undefined) => (e ?? '').slice((e ?? '').indexOf('@') + 1).toLowerCase();

export class RuleOracle {
  private readonly recs = new Map<string, R>();
  private readonly adj = new Map<string, Set<string>>();
  private readonly meetingsByOwner = new Map<string, R[]>();

  constructor(fixture: Fixture) {
    for (const [type, list] of Object.entries(fixture.objects ?? {})) {
      for (const r of list) {
        const rec: R = { id: r.id, type, ref: `${type}/${r.id}`, p: r.properties ?? {}, hist: r.propertiesWithHistory };
        this.recs.set(rec.ref, rec);
        if (type === 'meetings') {
          const o = rec.p.hubspot_owner_id ?? '';
          const l = this.meetingsByOwner.get(o) ?? [];
          l.push(rec);
          this.meetingsByOwner.set(o, l);
        }
      }
    }
    for (const a of fixture.associations ?? []) {
      this.edge(a.from, a.to);
      this.edge(a.to, a.from);
    }
  }

  private edge(a: string, b: string) {
    let s = this.adj.get(a);
    if (!s) this.adj.set(a, (s = new Set()));
    s.add(b);
  }
  get(ref: string): R | undefined {
    return this.recs.get(ref);
  }
  private assoc(r: R, type: string): R[] {
    const out: R[] = [];
    for (const ref of this.adj.get(r.ref) ?? []) if (ref.startsWith(`${type}/`)) out.push(this.recs.get(ref)!);
    return out;
  }
  private lastChange(r: R, prop: string, fallback: number): number {
    const h = r.hist?.[prop];
    return h?.length ? t(h[h.length - 1]!.timestamp) : fallback;
  }
  private assignedAt(r: R): number {
    return this.lastChange(r, 'hubspot_owner_id', t(r.p.hubspot_owner_assigneddate ?? r.p.createdate ?? r.p.hs_createdate));
  }

  /** ms of the engagement signal of an engagement record, or NaN when it is not one */
  private engagedAt(e: R): number {
    const p = e.p;
    if (e.type === 'emails') {
      if (p.hs_email_direction === 'INCOMING_EMAIL') return t(p.hs_timestamp);
      if (Number(p.hs_email_open_count ?? 0) > 0 || Number(p.hs_email_click_count ?? 0) > 0) return t(p.hs_timestamp);
    }
    if (e.type === 'meetings') return t(p.hs_meeting_start_time);
    if (e.type === 'calls' && (p.hs_call_direction === 'INBOUND' || p.hs_call_disposition === CONNECTED)) return t(p.hs_timestamp);
    return NaN;
  }
  private engagedTimes(r: R): number[] {
    const out: number[] = [];
    for (const type of ['emails', 'meetings', 'calls'])
      for (const e of this.assoc(r, type)) {
        const ms = this.engagedAt(e);
        if (!Number.isNaN(ms)) out.push(ms);
      }
    return out;
  }
  /** replies from the contact to `rep` (primary recipient), and the rep's emails to the contact */
  private mail(contact: R, rep: OracleRep, via: R = contact) {
    const ce = (contact.p.email ?? '').toLowerCase();
    const emails = this.assoc(via, 'emails');
    const replies = emails
      .filter(
        (e) =>
          e.p.hs_email_direction === 'INCOMING_EMAIL' &&
          (e.p.hs_email_from_email ?? '').toLowerCase() === ce &&
          (e.p.hs_email_to_email ?? '').split(/[;,]/)[0]!.trim().toLowerCase() === rep.email.toLowerCase(),
      )
      .map((e) => t(e.p.hs_timestamp));
    const sent = emails
      .filter((e) => e.p.hs_email_direction === 'EMAIL' && e.p.hubspot_owner_id === rep.ownerId)
      .map((e) => t(e.p.hs_timestamp));
    return { replies, sent, lastReply: replies.length ? Math.max(...replies) : NaN };
  }

  /** Does `rule` produce an action for `rep` about `ref` at `now`? */
  fires(rule: GuidedActionRule, rep: OracleRep, ref: string, now: number): boolean {
    const r = this.recs.get(ref);
    if (!r) throw new Error(`oracle: no record ${ref}`);
    const O = rep.ownerId;
    const mine = r.p.hubspot_owner_id === O;
    switch (rule) {
      case 'NEWLY_ASSIGNED_CONTACT': {
        if (!mine || ['customer', 'evangelist'].includes(r.p.lifecyclestage ?? '')) return false;
        if (this.assoc(r, 'deals').length) return false;
        const m = this.mail(r, rep);
        const fromContact = this.assoc(r, 'emails').some((e) => e.p.hs_email_direction === 'INCOMING_EMAIL');
        return m.sent.length === 0 && !fromContact && now - this.assignedAt(r) < 30 * D;
      }
      case 'NEWLY_ASSIGNED_LEAD': {
        if (!mine || r.p.hs_pipeline_stage !== 'new-stage-id' || now - this.assignedAt(r) >= 30 * D) return false;
        const logged =
          ['calls', 'emails', 'meetings', 'notes'].some((ty) => this.assoc(r, ty).length > 0) ||
          this.assoc(r, 'tasks').some((x) => x.p.hs_task_status === 'COMPLETED');
        return !logged;
      }
      case 'REENGAGED_CONTACT': {
        if (!mine) return false;
        const leads = this.assoc(r, 'leads');
        if (!leads.length || leads.some((l) => !CLOSED_LEAD.has(l.p.hs_pipeline_stage ?? ''))) return false;
        const latest = leads.reduce((a, b) => (t(a.p.hs_createdate) >= t(b.p.hs_createdate) ? a : b));
        if (latest.p.hs_pipeline_stage !== 'unqualified-stage-id') return false;
        const disq = this.lastChange(latest, 'hs_pipeline_stage', t(latest.p.hs_pipeline_stage_last_updated));
        return this.engagedTimes(r).some((ms) => ms > disq && ms <= now && now - ms <= 30 * D);
      }
      case 'SEQUENCE_ACTIVITY':
        return mine && r.p.hs_task_status !== 'COMPLETED' && !!r.p.hs_task_sequence_step_order;
      case 'EMAIL_REPLY': {
        if (!mine) return false;
        const m = this.mail(r, rep);
        const reply = m.replies
          .filter((x) => m.sent.some((s) => s < x))
          .sort()
          .pop();
        return reply !== undefined && now - reply < 14 * D && !m.sent.some((s) => s > reply);
      }
      case 'MEETING_FOLLOW_UP': {
        const start = t(r.p.hs_meeting_start_time);
        const end = t(r.p.hs_meeting_end_time);
        if (!mine || start >= now || end > now || now - end >= 7 * D) return false;
        const around = [...this.assoc(r, 'contacts'), ...this.assoc(r, 'deals')];
        const followUps = new Set<R>();
        for (const x of around)
          for (const task of this.assoc(x, 'tasks'))
            if (task.p.hubspot_owner_id === O && t(task.p.hs_createdate) >= end) followUps.add(task);
        return !(followUps.size > 0 && [...followUps].every((x) => x.p.hs_task_status === 'COMPLETED'));
      }
      case 'LOG_CALL_OUTCOME': {
        const ts = t(r.p.hs_timestamp);
        if (!mine || now - ts < H || now - ts >= 7 * D || r.p.hs_call_disposition) return false;
        const status = r.p.hs_call_status ?? '';
        return r.p.hs_call_source === 'VOIP' ? status === 'COMPLETED' : status === 'COMPLETED' || status === '';
      }
      case 'CONTACT_AWAITING_REPLY': {
        if (this.assoc(r, 'leads').some((l) => !CLOSED_LEAD.has(l.p.hs_pipeline_stage ?? ''))) return false;
        if (domain(r.p.email) === domain(rep.email)) return false;
        const m = this.mail(r, rep);
        return !Number.isNaN(m.lastReply) && now - m.lastReply <= 14 * D && !m.sent.some((s) => s > m.lastReply);
      }
      case 'REPLY_TO_EMAIL': {
        if (!this.assoc(r, 'deals').some((d) => d.p.hubspot_owner_id === O && !CLOSED_DEAL.has(d.p.dealstage ?? ''))) return false;
        const m = this.mail(r, rep);
        return !Number.isNaN(m.lastReply) && now - m.lastReply <= 7 * D && !m.sent.some((s) => s > m.lastReply);
      }
      case 'LEAD_AWAITING_REPLY': {
        const contact = this.assoc(r, 'contacts')[0];
        if (!contact || domain(contact.p.email) === domain(rep.email)) return false;
        const m = this.mail(contact, rep, r);
        return !Number.isNaN(m.lastReply) && now - m.lastReply <= 14 * D && !m.sent.some((s) => s > m.lastReply);
      }
      case 'PREPARE_FOR_MEETING': {
        if (!mine) return false;
        const next = (this.meetingsByOwner.get(O) ?? [])
          .filter((m) => t(m.p.hs_meeting_start_time) > now - 10 * 60_000)
          .reduce<R | undefined>((a, m) => (!a || t(m.p.hs_meeting_start_time) < t(a.p.hs_meeting_start_time) ? m : a), undefined);
        return next === r && t(r.p.hs_meeting_start_time) <= now + 24 * H;
      }
      case 'PRIORITY_TASKS_TODAY': {
        if (!mine || r.p.hs_task_priority !== 'HIGH' || r.p.hs_task_status === 'COMPLETED') return false;
        const day = DateTime.fromMillis(now, { zone: rep.timeZone }).startOf('day');
        const due = t(r.p.hs_timestamp);
        return due >= day.toMillis() && due < day.plus({ days: 1 }).toMillis();
      }
      case 'TARGET_ACCOUNT_ACTIVITY': {
        const targets = this.assoc(r, 'companies').filter(
          (c) => c.p.hs_is_target_account === 'true' && (c.p.hubspot_owner_id === O || mine),
        );
        return targets.length > 0 && this.engagedTimes(r).some((ms) => ms <= now && now - ms <= 7 * D);
      }
      case 'RECENTLY_ENGAGED_LEAD':
        return mine && !CLOSED_LEAD.has(r.p.hs_pipeline_stage ?? '') && this.engagedTimes(r).some((ms) => ms <= now && now - ms <= 7 * D);
      case 'UPDATE_NEXT_STEPS': {
        if (!mine || CLOSED_DEAL.has(r.p.dealstage ?? '')) return false;
        const changed = this.lastChange(r, 'hs_next_step', t(r.p.createdate));
        const ends: number[] = [];
        for (const c of this.assoc(r, 'calls')) ends.push(t(c.p.hs_timestamp) + Number(c.p.hs_call_duration ?? 0));
        for (const m of this.assoc(r, 'meetings')) ends.push(t(m.p.hs_meeting_end_time));
        for (const e of this.assoc(r, 'emails')) ends.push(t(e.p.hs_timestamp));
        for (const n of this.assoc(r, 'notes')) ends.push(t(n.p.hs_timestamp));
        for (const k of this.assoc(r, 'tasks')) if (k.p.hs_task_status === 'COMPLETED') ends.push(t(k.p.hs_task_completion_date));
        return ends.some((e) => e < now - 24 * H && e > changed);
      }
      case 'ADD_CONTACT_TO_DEAL': {
        const created = t(r.p.createdate);
        return (
          mine &&
          !CLOSED_DEAL.has(r.p.dealstage ?? '') &&
          now - created > 7 * D &&
          now - (created + 7 * D) <= 7 * D &&
          this.assoc(r, 'contacts').length === 0
        );
      }
      case 'INITIAL_OUTREACH_NEEDED': {
        const created = t(r.p.createdate);
        return (
          mine &&
          r.p.dealstage === 'appointmentscheduled' &&
          now - created > 7 * D &&
          now - (created + 7 * D) <= 7 * D &&
          ['calls', 'emails', 'meetings', 'notes', 'tasks'].every((ty) => this.assoc(r, ty).length === 0)
        );
      }
      case 'BUYER_FOLLOW_UP': {
        if (!mine || CLOSED_DEAL.has(r.p.dealstage ?? '')) return false;
        return this.assoc(r, 'contacts').some((c) => {
          const ce = (c.p.email ?? '').toLowerCase();
          const emails = this.assoc(c, 'emails');
          return emails.some((e) => {
            if (e.p.hs_email_direction !== 'EMAIL' || e.p.hubspot_owner_id !== O || Number(e.p.hs_email_open_count ?? 0) === 0)
              return false;
            const sentAt = t(e.p.hs_timestamp);
            const replied =
              Number(e.p.hs_email_reply_count ?? 0) > 0 ||
              emails.some(
                (x) =>
                  x.p.hs_email_direction === 'INCOMING_EMAIL' &&
                  (x.p.hs_email_from_email ?? '').toLowerCase() === ce &&
                  t(x.p.hs_timestamp) > sentAt,
              );
            return !replied && now - sentAt >= 7 * D && now - (sentAt + 7 * D) <= 7 * D;
          });
        });
      }
    }
  }
}
