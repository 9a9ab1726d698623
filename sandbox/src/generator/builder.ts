// Accumulates the records and associations of a generated portal. Plain arrays of plain
// objects; record helpers take an options object and return the new record's id.
import type { Rng } from './rng';
import { LEAD_PIPELINE, type DealStage, type LeadStage } from './vocab';

export const M = 60_000;
export const H = 3_600_000;
export const D = 86_400_000;

export const OBJECT_TYPES = [
  'companies',
  'contacts',
  'deals',
  'leads',
  'tickets',
  'tasks',
  'calls',
  'emails',
  'meetings',
  'notes',
] as const;
export type ObjType = (typeof OBJECT_TYPES)[number];

export interface HistEntry {
  value: string;
  timestamp: string;
  sourceType?: string;
}
export interface Rec {
  id: string;
  properties: Record<string, string>;
  updatedAt?: string;
  propertiesWithHistory?: Record<string, HistEntry[]>;
}
export interface Assoc {
  from: string;
  to: string;
  typeId?: number;
}

const P2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const P3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayPrefix = new Map<number, string>();
/** ISO-8601 UTC with milliseconds, as Date#toISOString (faster: the date part is cached per day) */
export function iso(ms: number): string {
  const day = Math.floor(ms / D);
  let prefix = dayPrefix.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * D).toISOString().slice(0, 11);
    if (dayPrefix.size > 20_000) dayPrefix.clear();
    dayPrefix.set(day, prefix);
  }
  let r = Math.floor(ms) - day * D;
  const h = Math.floor(r / H);
  r -= h * H;
  const m = Math.floor(r / M);
  r -= m * M;
  const s = Math.floor(r / 1000);
  return `${prefix}${P2[h]}:${P2[m]}:${P2[s]}.${P3[r - s * 1000]}Z`;
}
/** "YYYY-MM-DD" (HubSpot date properties: midnight UTC) */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A HubSpot user with an owner. */
export interface Person {
  userId: string;
  ownerId: string;
  email: string;
  firstName: string;
  lastName: string;
  timeZone: string;
  teamIds: string[];
  superAdmin: boolean;
  /** UTC offset of timeZone at `now`, ms (for business hours of background data) */
  offsetMs: number;
}

// Id ranges per object type, so an id is never valid for two types by accident.
const ID_BASE: Record<ObjType, number> = {
  companies: 10_000_001,
  contacts: 20_000_001,
  deals: 30_000_001,
  leads: 40_000_001,
  tickets: 50_000_001,
  tasks: 60_000_001,
  calls: 70_000_001,
  emails: 80_000_001,
  meetings: 90_000_001,
  notes: 100_000_001,
};

export interface ContactOpts {
  ownerId?: string;
  firstName: string;
  lastName: string;
  email: string;
  lifecyclestage: string;
  createdMs: number;
  /** owner history, oldest first: [ownerId, ms]; the last entry is the current owner */
  ownerHistory?: Array<[string, number]>;
  companyId?: string;
  companyName?: string;
  jobtitle?: string;
  extra?: Record<string, string>;
}
export interface CompanyOpts {
  ownerId?: string;
  name: string;
  domain: string;
  createdMs: number;
  lifecyclestage: string;
  industry?: string;
  city?: string;
  country?: string;
  employees?: number;
  target?: boolean;
  renewalMs?: number;
  sentiment?: string;
  nps?: number;
  extra?: Record<string, string>;
}
export interface DealOpts {
  ownerId?: string;
  name: string;
  stage: DealStage;
  createdMs: number;
  closeMs: number;
  amount: number;
  dealtype?: 'newbusiness' | 'existingbusiness';
  /** hs_next_step history, oldest first: [value, ms] */
  nextSteps?: Array<[string, number]>;
  /** dealstage history, oldest first: [stage, ms] */
  stageHistory?: Array<[string, number]>;
}
export interface LeadOpts {
  ownerId?: string;
  name: string;
  stage: LeadStage;
  createdMs: number;
  contactId: string;
  ownerHistory?: Array<[string, number]>;
  stageHistory?: Array<[string, number]>;
  label?: string;
  type?: string;
  disqualificationReason?: string;
}
export interface TaskOpts {
  ownerId?: string;
  subject: string;
  dueMs: number;
  status: 'NOT_STARTED' | 'IN_PROGRESS' | 'WAITING' | 'COMPLETED' | 'DEFERRED';
  priority?: 'LOW' | 'MEDIUM' | 'HIGH' | 'NONE';
  type: string;
  createdMs: number;
  completedMs?: number;
  allDay?: boolean;
  body?: string;
  sequence?: { stepOrder: number; enrollmentId: string; contactId: string; active: boolean };
}
export interface CallOpts {
  ownerId?: string;
  ms: number;
  title: string;
  direction: 'INBOUND' | 'OUTBOUND';
  status?: string;
  disposition?: string;
  source: 'VOIP' | 'INTEGRATIONS_PLATFORM' | 'CRM_UI';
  durationMs: number;
  body?: string;
}
export interface EmailOpts {
  ownerId?: string;
  ms: number;
  direction: 'EMAIL' | 'INCOMING_EMAIL' | 'FORWARDED_EMAIL';
  subject: string;
  text?: string;
  from: string;
  to: string;
  cc?: string;
  thread: string;
  opens?: number;
  clicks?: number;
  replies?: number;
  sequenceId?: string;
}
export interface MeetingOpts {
  ownerId?: string;
  startMs: number;
  endMs: number;
  title: string;
  outcome: 'SCHEDULED' | 'COMPLETED' | 'RESCHEDULED' | 'NO_SHOW' | 'CANCELED';
  createdMs: number;
  url?: string;
  location?: string;
}
export interface TicketOpts {
  ownerId?: string;
  subject: string;
  stage: string;
  priority: 'LOW' | 'MEDIUM' | 'HIGH';
  createdMs: number;
  closedMs?: number;
}

export class PortalBuilder {
  readonly objects: Record<ObjType, Rec[]>;
  readonly associations: Assoc[] = [];
  private readonly next: Record<ObjType, number>;
  /** emails and domains handed out (disjoint: domains have no "@") */
  private readonly used = new Set<string>();
  private readonly nextSuffix = new Map<string, number>();
  private readonly slugCache = new Map<string, string>();
  private threadSeq = 0;
  private enrollmentSeq = 0;
  private readonly enrollmentByKey = new Map<string, PortalBuilder['enrollments'][number]>();
  readonly enrollments: { id: string; sequenceId: string; contactId: string; enrolledBy: string; enrolledAt: string }[] = [];

  constructor(
    readonly now: number,
    readonly rng: Rng,
  ) {
    this.objects = {
      companies: [],
      contacts: [],
      deals: [],
      leads: [],
      tickets: [],
      tasks: [],
      calls: [],
      emails: [],
      meetings: [],
      notes: [],
    };
    this.next = { ...ID_BASE };
  }

  private add(type: ObjType, properties: Record<string, string>): Rec {
    const id = String(this.next[type]++);
    const rec: Rec = { id, properties };
    this.objects[type].push(rec);
    return rec;
  }

  link(fromType: ObjType, fromId: string, toType: ObjType, toId: string, typeId?: number): void {
    const a: Assoc = { from: `${fromType}/${fromId}`, to: `${toType}/${toId}` };
    if (typeId !== undefined) a.typeId = typeId;
    this.associations.push(a);
  }

  /** association between two records given as "type/id" references (see ref()) */
  linkRefs(from: string, to: string): void {
    this.associations.push({ from, to });
  }

  /** a contact email not used yet in this portal (HubSpot keeps contact emails unique) */
  uniqueEmail(local: string, domain: string): string {
    let base = this.slugCache.get(local);
    if (base === undefined) {
      base = local
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/[^a-z0-9.]+/g, '');
      this.slugCache.set(local, base);
    }
    return this.unique(`${base}@${domain}`, (n) => `${base}${n}@${domain}`);
  }

  /** first free candidate: `first`, then make(2), make(3)... (a counter per base keeps this O(1)) */
  private unique(first: string, make: (n: number) => string): string {
    let n = this.nextSuffix.get(first);
    let v = first;
    if (n !== undefined || this.used.has(v)) {
      n ??= 2;
      do v = make(n++);
      while (this.used.has(v));
      this.nextSuffix.set(first, n);
    } else {
      this.nextSuffix.set(first, 2);
    }
    this.used.add(v);
    return v;
  }

  /** a company domain not used yet */
  uniqueDomain(name: string): string {
    let base = this.slugCache.get(name);
    if (base === undefined) {
      base = name
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .toLowerCase()
        .replace(/\b(inc|ltd|sas|gmbh|co|group|holdings)\b/g, '')
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
      this.slugCache.set(name, base);
    }
    return this.unique(`${base}.example`, (n) => `${base}-${n}.example`);
  }

  thread(): string {
    return `thread-${++this.threadSeq}`;
  }
  /**
   * The enrollment of a contact in a sequence, made on first use: the tasks of one enrollment's
   * steps share its id (hs_task_sequence_step_enrollment_id), as in HubSpot.
   */
  enroll(seq: { id: string; userId: string }, contactId: string, enrolledMs: number): string {
    const key = `${seq.id}|${contactId}`;
    const known = this.enrollmentByKey.get(key);
    if (known) return known.id;
    const e = {
      id: String(7_000_001 + this.enrollmentSeq++),
      sequenceId: seq.id,
      contactId,
      enrolledBy: seq.userId,
      enrolledAt: new Date(enrolledMs).toISOString(),
    };
    this.enrollmentByKey.set(key, e);
    this.enrollments.push(e);
    return e.id;
  }

  contact(o: ContactOpts): Rec {
    const p: Record<string, string> = {
      firstname: o.firstName,
      lastname: o.lastName,
      email: o.email,
      lifecyclestage: o.lifecyclestage,
      createdate: iso(o.createdMs),
    };
    if (o.jobtitle) p.jobtitle = o.jobtitle;
    if (o.companyName) p.company = o.companyName;
    const rec = this.add('contacts', p);
    if (o.ownerId) {
      p.hubspot_owner_id = o.ownerId;
      const hist = o.ownerHistory ?? [[o.ownerId, o.createdMs]];
      const last = hist[hist.length - 1]!;
      p.hubspot_owner_assigneddate = iso(last[1]);
      if (hist.length > 1) {
        rec.propertiesWithHistory = { hubspot_owner_id: hist.map(([v, ms]) => ({ value: v, timestamp: iso(ms), sourceType: 'CRM_UI' })) };
      }
    }
    if (o.extra) Object.assign(p, o.extra);
    if (o.companyId) this.link('contacts', rec.id, 'companies', o.companyId);
    return rec;
  }

  company(o: CompanyOpts): Rec {
    const p: Record<string, string> = {
      name: o.name,
      domain: o.domain,
      createdate: iso(o.createdMs),
      lifecyclestage: o.lifecyclestage,
    };
    if (o.ownerId) {
      p.hubspot_owner_id = o.ownerId;
      p.hubspot_owner_assigneddate = iso(o.createdMs);
    }
    if (o.industry) p.industry = o.industry;
    if (o.city) p.city = o.city;
    if (o.country) p.country = o.country;
    if (o.employees !== undefined) p.numberofemployees = String(o.employees);
    p.hs_is_target_account = o.target ? 'true' : 'false';
    if (o.renewalMs !== undefined) p.renewal_date = isoDate(o.renewalMs);
    if (o.sentiment) p.hs_csm_sentiment = o.sentiment;
    if (o.nps !== undefined) p.nps_score = String(o.nps);
    if (o.extra) Object.assign(p, o.extra);
    return this.add('companies', p);
  }

  deal(o: DealOpts): Rec {
    const p: Record<string, string> = {
      dealname: o.name,
      pipeline: 'default',
      dealstage: o.stage,
      amount: String(o.amount),
      closedate: iso(o.closeMs),
      createdate: iso(o.createdMs),
      dealtype: o.dealtype ?? 'newbusiness',
    };
    const rec = this.add('deals', p);
    if (o.ownerId) {
      p.hubspot_owner_id = o.ownerId;
      p.hubspot_owner_assigneddate = iso(o.createdMs);
    }
    if (o.nextSteps?.length) {
      p.hs_next_step = o.nextSteps[o.nextSteps.length - 1]![0];
      rec.propertiesWithHistory = { hs_next_step: o.nextSteps.map(([v, ms]) => ({ value: v, timestamp: iso(ms), sourceType: 'CRM_UI' })) };
    }
    if (o.stageHistory && o.stageHistory.length > 1) {
      rec.propertiesWithHistory ??= {};
      rec.propertiesWithHistory.dealstage = o.stageHistory.map(([v, ms]) => ({ value: v, timestamp: iso(ms), sourceType: 'CRM_UI' }));
    }
    return rec;
  }

  lead(o: LeadOpts): Rec {
    const stageHist = o.stageHistory ?? [[o.stage, o.createdMs]];
    const p: Record<string, string> = {
      hs_lead_name: o.name,
      hs_pipeline: LEAD_PIPELINE,
      hs_pipeline_stage: o.stage,
      hs_createdate: iso(o.createdMs),
      hs_pipeline_stage_last_updated: iso(stageHist[stageHist.length - 1]![1]),
      hs_lead_type: o.type ?? 'NEW BUSINESS',
      hs_lead_label: o.label ?? 'WARM',
    };
    if (o.disqualificationReason) p.hs_lead_disqualification_reason = o.disqualificationReason;
    const rec = this.add('leads', p);
    if (o.ownerId) {
      p.hubspot_owner_id = o.ownerId;
      const hist = o.ownerHistory ?? [[o.ownerId, o.createdMs]];
      p.hubspot_owner_assigneddate = iso(hist[hist.length - 1]![1]);
      if (hist.length > 1)
        rec.propertiesWithHistory = { hubspot_owner_id: hist.map(([v, ms]) => ({ value: v, timestamp: iso(ms), sourceType: 'CRM_UI' })) };
    }
    if (stageHist.length > 1) {
      rec.propertiesWithHistory ??= {};
      rec.propertiesWithHistory.hs_pipeline_stage = stageHist.map(([v, ms]) => ({ value: v, timestamp: iso(ms), sourceType: 'CRM_UI' }));
    }
    // a lead must have a primary contact (reference §2.4): typeId 578 lead -> primary contact
    this.link('leads', rec.id, 'contacts', o.contactId, 578);
    return rec;
  }

  ticket(o: TicketOpts): Rec {
    const p: Record<string, string> = {
      subject: o.subject,
      content: `${o.subject}. Reported by the customer.`,
      hs_pipeline: '0',
      hs_pipeline_stage: o.stage,
      hs_ticket_priority: o.priority,
      createdate: iso(o.createdMs),
    };
    if (o.ownerId) p.hubspot_owner_id = o.ownerId;
    if (o.closedMs !== undefined) p.closed_date = iso(o.closedMs);
    const rec = this.add('tickets', p);
    if (o.closedMs !== undefined) rec.updatedAt = iso(o.closedMs);
    return rec;
  }

  task(o: TaskOpts): Rec {
    const p: Record<string, string> = {
      hs_task_subject: o.subject,
      hs_timestamp: iso(o.dueMs),
      hs_task_status: o.status,
      hs_task_type: o.type,
      hs_createdate: iso(o.createdMs),
    };
    if (o.priority) p.hs_task_priority = o.priority;
    if (o.ownerId) p.hubspot_owner_id = o.ownerId;
    if (o.body) p.hs_task_body = o.body;
    if (o.allDay) p.hs_task_is_all_day = 'true';
    const rec = this.add('tasks', p);
    if (o.status === 'COMPLETED' && o.completedMs !== undefined) {
      p.hs_task_completion_date = iso(o.completedMs);
      rec.updatedAt = p.hs_task_completion_date;
    }
    if (o.sequence) {
      p.hs_task_sequence_step_order = String(o.sequence.stepOrder);
      p.hs_task_sequence_step_enrollment_id = o.sequence.enrollmentId;
      p.hs_task_sequence_step_enrollment_contact_id = o.sequence.contactId;
      p.hs_task_sequence_enrollment_active = o.sequence.active ? 'true' : 'false';
    }
    return rec;
  }

  call(o: CallOpts): Rec {
    const ts = iso(o.ms);
    const p: Record<string, string> = {
      hs_timestamp: ts,
      hs_createdate: ts,
      hs_call_title: o.title,
      hs_call_direction: o.direction,
      hs_call_source: o.source,
      hs_call_duration: String(o.durationMs),
    };
    if (o.status) p.hs_call_status = o.status;
    if (o.disposition) p.hs_call_disposition = o.disposition;
    if (o.ownerId) p.hubspot_owner_id = o.ownerId;
    if (o.body) p.hs_call_body = o.body;
    return this.add('calls', p);
  }

  email(o: EmailOpts): Rec {
    const ts = iso(o.ms);
    const p: Record<string, string> = {
      hs_timestamp: ts,
      hs_createdate: ts,
      hs_email_direction: o.direction,
      hs_email_subject: o.subject,
      hs_email_from_email: o.from,
      hs_email_to_email: o.to,
      hs_email_thread_id: o.thread,
    };
    if (o.direction !== 'INCOMING_EMAIL') {
      p.hs_email_status = 'SENT';
      p.hs_email_open_count = String(o.opens ?? 0);
      p.hs_email_click_count = String(o.clicks ?? 0);
      p.hs_email_reply_count = String(o.replies ?? 0);
    }
    if (o.text) p.hs_email_text = o.text;
    if (o.cc) p.hs_email_cc_email = o.cc;
    if (o.ownerId) p.hubspot_owner_id = o.ownerId;
    if (o.sequenceId) p.hs_sequence_id = o.sequenceId;
    return this.add('emails', p);
  }

  meeting(o: MeetingOpts): Rec {
    const p: Record<string, string> = {
      hs_meeting_title: o.title,
      hs_meeting_start_time: iso(o.startMs),
      hs_meeting_end_time: iso(o.endMs),
      hs_timestamp: '',
      hs_meeting_outcome: o.outcome,
      hs_createdate: iso(o.createdMs),
    };
    p.hs_timestamp = p.hs_meeting_start_time!;
    if (o.url) p.hs_meeting_external_url = o.url;
    if (o.location) p.hs_meeting_location = o.location;
    if (o.ownerId) p.hubspot_owner_id = o.ownerId;
    return this.add('meetings', p);
  }

  note(o: { ownerId?: string; ms: number; body: string }): Rec {
    const ts = iso(o.ms);
    const p: Record<string, string> = { hs_note_body: o.body, hs_timestamp: ts, hs_createdate: ts };
    if (o.ownerId) p.hubspot_owner_id = o.ownerId;
    return this.add('notes', p);
  }
}
