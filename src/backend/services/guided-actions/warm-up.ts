// A startup JIT warm-up for guided actions (docs/decisions/0016). A fresh process pays V8's
// interpreting and compiling on its first real evaluation (~350 ms CPU for a large rep's book,
// ~63 ms once compiled): before the instance listens, a synthetic rep's book, built in memory as
// the portal copy returns records, goes the whole way a request goes — the mappers, the engine,
// the answer's serialization — a few times. No database, no HubSpot, no clock: the book is a
// function of a fixed `now`, and every one of the 18 rules fires on it (warm-up.test.ts).
import type { Pipeline as CrmPipeline, PropertyDefinition } from '../../crm/types';
import {
  DEFAULT_LIFECYCLE_STAGES,
  RULE_IDS,
  defaultGuidedActionSettings,
  evaluateGuidedActions,
  filterByCategory,
  toGuidedAction,
  type AssociationMap,
  type GuidedActionsInput,
  type ObjectType,
  type Owner,
  type RuleId,
} from '../../engines/guided-actions';
import type { LiveRecord } from '../../storage/copy-query';
import {
  toCall,
  toCompany,
  toContact,
  toDeal,
  toEmail,
  toLead,
  toLifecycleStages,
  toMeeting,
  toNote,
  toPipelines,
  toTask,
} from './mappers';
import { DEFAULT_LIMIT } from './service';

const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

/** The book's "now": fixed, so the book and its actions are the same on every start. */
export const WARM_UP_NOW = Date.parse('2026-11-18T11:00:00Z');

/** The synthetic rep (a HubSpot user and owner of the warm-up's portal). */
export const WARM_UP_REP = { userId: '9001', ownerId: '501', email: 'rep@tiller-warm-up.example' };
/**
 * The rep's time zone, one per round: the rules read "today" and format times in it, and each
 * zone's first use costs (its Intl formatter); these are the most common ones.
 */
export const WARM_UP_TIME_ZONES = [
  'America/New_York',
  'Europe/Paris',
  'America/Los_Angeles',
  'Europe/London',
  'America/Chicago',
  'Europe/Berlin',
];
const OTHERS = ['502', '503', '504', '505'];
const STAGE_OF_LEAD = {
  new: 'new-stage-id',
  attempting: 'attempting-stage-id',
  qualified: 'qualified-stage-id',
  dq: 'unqualified-stage-id',
};

/** The synthetic book: the copy's rows per type, associations as the data plan reads them, metadata. */
export type WarmUpBook = {
  now: number;
  records: Record<ObjectType, LiveRecord[]>;
  associations: AssociationMap;
  /** The open deals' last hs_next_step change (the copy's property history). */
  nextStepChangedAt: Map<string, number>;
  dealPipelines: CrmPipeline[];
  leadPipelines: CrmPipeline[];
  contactProperties: PropertyDefinition[];
};

/** jsonb's key order (shorter keys first, then bytewise), then parsed as the driver parses jsonb. */
function asJsonb(props: Record<string, string | null>): Record<string, string | null> {
  const keys = Object.keys(props).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  const sorted: Record<string, string | null> = {};
  for (const k of keys) sorted[k] = props[k]!;
  return JSON.parse(JSON.stringify(sorted)) as Record<string, string | null>;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Builds the book: per rule, `replicas` small worlds where it fires (every fourth one misses by
 * one criterion, so the failing branches run too), plus records no rule picks (old, closed,
 * someone else's): at the default sizes, about the large demo portal's big rep's input in contacts,
 * half of it in engagements.
 */
export function warmUpBook(opts: { replicas?: number; noise?: number } = {}): WarmUpBook {
  const now = WARM_UP_NOW;
  const replicas = opts.replicas ?? 60;
  const noise = opts.noise ?? 1_500;
  const records = {
    contacts: [],
    companies: [],
    deals: [],
    leads: [],
    tasks: [],
    calls: [],
    emails: [],
    meetings: [],
    notes: [],
  } as Record<ObjectType, LiveRecord[]>;
  const associations: AssociationMap = {};
  const nextStepChangedAt = new Map<string, number>();
  const next: Record<ObjectType, number> = {
    companies: 10_000_000,
    contacts: 20_000_000,
    deals: 30_000_000,
    leads: 40_000_000,
    tasks: 60_000_000,
    calls: 70_000_000,
    emails: 80_000_000,
    meetings: 90_000_000,
    notes: 100_000_000,
  };
  const add = (type: ObjectType, createdAt: number, props: Record<string, string | null>): string => {
    const id = String(next[type]++);
    const at = iso(createdAt)!;
    records[type].push({ id, properties: asJsonb({ hs_object_id: id, ...props, hs_lastmodifieddate: at }), createdAt: at });
    return id;
  };
  const link = (from: ObjectType, fromId: string, to: ObjectType, toId: string) => {
    const table = ((associations[from] ??= {})[to] ??= {}) as Record<string, string[]>;
    (table[fromId] ??= []).push(toId);
  };

  // ---- record makers, in the engine's terms, written as the copy holds them ----
  let n = 0;
  // Some names outside ASCII, as real ones are: V8 compiles string code for the kinds it has seen.
  const text = (ascii: string) => (n % 7 === 3 ? `${ascii} – Société Générale, Zürich` : ascii);
  const contact = (o: {
    owner?: string | null;
    assigned?: number | null;
    stage?: string;
    dq?: number | null;
    opened?: number | null;
    email?: string | null;
  }) => {
    const i = n++;
    const address = o.email === undefined ? `person.${i}@client-${i % 97}.example` : o.email;
    const id = add('contacts', now - (200 + (i % 50)) * D, {
      email: address,
      lastname: i % 7 ? `Client${i}` : `Müller${i}`,
      firstname: ['Ada', 'Bo', 'Chen', 'Zoë', 'Eli', 'José', 'Dara'][i % 7]!,
      createdate: iso(now - (200 + (i % 50)) * D),
      lifecyclestage: o.stage ?? 'lead',
      hubspot_owner_id: o.owner === undefined ? WARM_UP_REP.ownerId : o.owner,
      lastmodifieddate: iso(now - D),
      recent_conversion_date: i % 17 === 5 ? iso(now - (i % 40) * D) : null,
      hs_sequences_is_enrolled: null,
      hs_sales_email_last_opened: iso(o.opened ?? null),
      hubspot_owner_assigneddate: iso(o.assigned === undefined ? now - (120 + (i % 200)) * D : o.assigned),
      hs_sales_email_last_clicked: i % 19 === 7 ? iso(now - (i % 30) * D) : null,
      hs_sales_email_last_replied: null,
      hs_latest_disqualified_lead_date: iso(o.dq ?? null),
    });
    return { id, address };
  };
  const company = (target: boolean, owner = WARM_UP_REP.ownerId) =>
    add('companies', now - 300 * D, {
      name: text(`Company ${n}`),
      domain: n % 6 ? `company-${n}.example` : null,
      createdate: iso(now - 300 * D),
      hubspot_owner_id: owner,
      hs_is_target_account: target ? 'true' : 'false',
      notes_last_updated: null,
      notes_last_contacted: null,
      hubspot_owner_assigneddate: iso(now - 300 * D),
    });
  const deal = (o: { created: number; owner?: string | null; stage?: string; nextStep?: string | null; nextStepAt?: number }) => {
    const id = add('deals', o.created, {
      amount: String(1000 + n * 7),
      dealname: text(`Deal ${n}`),
      pipeline: 'default',
      closedate: iso(now + 30 * D),
      dealstage: o.stage ?? 'appointmentscheduled',
      createdate: iso(o.created),
      hs_next_step: o.nextStep ?? null,
      hubspot_owner_id: o.owner === undefined ? WARM_UP_REP.ownerId : o.owner,
      notes_last_updated: null,
      notes_last_contacted: null,
      hubspot_owner_assigneddate: iso(o.created),
    });
    if (o.nextStepAt !== undefined) nextStepChangedAt.set(id, o.nextStepAt);
    return id;
  };
  const lead = (o: { assigned: number; stage: string; stageAt?: number | null; primary?: string | null; owner?: string | null }) =>
    add('leads', o.assigned, {
      hs_pipeline: 'lead-pipeline-id',
      hs_lead_name: text(`Lead ${n}`),
      hs_createdate: iso(o.assigned),
      hubspot_owner_id: o.owner === undefined ? WARM_UP_REP.ownerId : o.owner,
      hs_pipeline_stage: o.stage,
      hs_primary_contact_id: o.primary ?? null,
      hubspot_owner_assigneddate: iso(o.assigned),
      hs_pipeline_stage_last_updated: o.stageAt === null ? null : iso(o.stageAt ?? o.assigned),
    });
  const task = (o: { due: number; created?: number; status?: string; priority?: string; seq?: number | null; owner?: string | null }) =>
    add('tasks', o.created ?? o.due - 2 * D, {
      hs_task_type: ['TODO', 'CALL', 'EMAIL'][n % 3]!,
      hs_timestamp: iso(o.due),
      hs_createdate: iso(o.created ?? o.due - 2 * D),
      hs_task_status: o.status ?? 'NOT_STARTED',
      hs_task_subject: text(`Task ${n}`),
      hs_task_priority: o.priority ?? 'NONE',
      hubspot_owner_id: o.owner === undefined ? WARM_UP_REP.ownerId : o.owner,
      hs_task_is_all_day: n % 11 === 0 ? 'false' : null,
      hs_task_completion_date: o.status === 'COMPLETED' ? iso(o.due - H) : null,
      hs_task_sequence_step_order: o.seq == null ? null : String(o.seq),
      hs_task_sequence_step_enrollment_id: o.seq == null ? null : `enrolment-${n}`,
      hs_task_sequence_step_enrollment_contact_id: null,
    });
  const call = (o: { at: number; disposition?: string | null; status?: string | null; direction?: string; owner?: string | null }) =>
    add('calls', o.at, {
      hs_timestamp: iso(o.at),
      hs_call_title: text(`Call ${n}`),
      hs_createdate: iso(o.at),
      hs_call_source: n % 9 ? 'VOIP' : 'CRM_UI',
      hs_call_status: o.status === undefined ? 'COMPLETED' : o.status,
      hs_call_duration: n % 10 ? String(60_000 + (n % 20) * 30_000) : null,
      hubspot_owner_id: o.owner === undefined ? WARM_UP_REP.ownerId : o.owner,
      hs_call_direction: o.direction ?? 'OUTBOUND',
      hs_call_disposition: o.disposition === undefined ? 'f240bbac-87c9-4f6e-bf70-924b57d47db7' : o.disposition,
    });
  const email = (o: { at: number; incoming: boolean; address: string | null; opens?: number; replies?: number; owner?: string | null }) =>
    add('emails', o.at, {
      hs_timestamp: iso(o.at),
      hs_createdate: iso(o.at),
      hs_email_subject: text(`Re: proposal ${n}`),
      hubspot_owner_id: o.owner === undefined ? WARM_UP_REP.ownerId : o.owner,
      hs_email_cc_email: n % 5 === 0 ? 'someone@client-cc.example' : null,
      hs_email_to_email: o.incoming ? WARM_UP_REP.email : o.address,
      hs_email_direction: o.incoming ? 'INCOMING_EMAIL' : 'EMAIL',
      hs_email_thread_id: `thread-${n}`,
      hs_email_from_email: o.incoming ? o.address : WARM_UP_REP.email,
      hs_email_open_count: String(o.opens ?? 0),
      hs_email_click_count: '0',
      hs_email_reply_count: String(o.replies ?? 0),
    });
  const meeting = (o: { start: number; created: number; owner?: string | null; outcome?: string | null }) =>
    add('meetings', o.created, {
      hs_timestamp: iso(o.start),
      hs_createdate: iso(o.created),
      hs_meeting_body: null,
      hs_meeting_title: text(`Meeting ${n}`),
      hubspot_owner_id: o.owner === undefined ? WARM_UP_REP.ownerId : o.owner,
      hs_meeting_outcome: o.outcome === undefined ? 'SCHEDULED' : o.outcome,
      hs_meeting_end_time: iso(o.start + H),
      hs_meeting_location: null,
      hs_meeting_start_time: iso(o.start),
      hs_meeting_external_url: null,
    });
  const note = (at: number) => add('notes', at, { hs_timestamp: iso(at), hs_createdate: iso(at), hubspot_owner_id: WARM_UP_REP.ownerId });
  const other = (j: number) => OTHERS[j % OTHERS.length]!;

  // ---- one small world per rule, `replicas` times; `miss`: one criterion broken ----
  const worlds: Record<RuleId, (j: number, miss: boolean, t: number) => void> = {
    NEWLY_ASSIGNED_CONTACT: (j, miss, t) => {
      const c = contact({ assigned: now - (1 + (j % 25)) * D - t, stage: miss && j % 2 ? 'customer' : 'lead' });
      if (miss && !(j % 2)) link('contacts', c.id, 'emails', email({ at: now - D, incoming: false, address: c.address }));
    },
    NEWLY_ASSIGNED_LEAD: (j, miss, t) => {
      const l = lead({ assigned: now - (1 + (j % 20)) * D - t, stage: miss ? STAGE_OF_LEAD.attempting : STAGE_OF_LEAD.new });
      if (j % 3 === 0) link('leads', l, 'calls', call({ at: now - 40 * D, disposition: 'x' }));
    },
    REENGAGED_CONTACT: (j, miss, t) => {
      const dq = now - (35 + (j % 20)) * D;
      const c = contact({ dq });
      const l = lead({ assigned: now - 80 * D, stage: STAGE_OF_LEAD.dq, stageAt: dq, primary: c.id, owner: other(j) });
      link('leads', l, 'contacts', c.id);
      link('contacts', c.id, 'leads', l);
      if (j % 5 === 1) {
        const older = lead({ assigned: now - 200 * D, stage: STAGE_OF_LEAD.qualified, primary: c.id, owner: other(j) });
        link('contacts', c.id, 'leads', older);
      }
      // the re-engagement: an email, an inbound call or a meeting booked
      const at = miss ? now - 45 * D : now - (2 + (j % 20)) * D - t;
      if (j % 3 === 0) link('emails', email({ at, incoming: true, address: c.address }), 'contacts', c.id);
      else if (j % 3 === 1) link('contacts', c.id, 'calls', call({ at, direction: 'INBOUND', disposition: null }));
      else link('contacts', c.id, 'meetings', meeting({ start: at + 2 * D, created: at, owner: other(j) }));
    },
    SEQUENCE_ACTIVITY: (j, miss, t) => {
      const id = task({ due: now + (j % 48) * H + t, seq: 1 + (j % 5), status: miss ? 'COMPLETED' : 'NOT_STARTED' });
      link('tasks', id, 'contacts', contact({}).id);
    },
    EMAIL_REPLY: (j, miss, t) => {
      const c = contact({ assigned: now - 90 * D });
      const sent = now - (3 + (j % 8)) * D - t;
      link('emails', email({ at: sent, incoming: false, address: c.address, opens: j % 3 }), 'contacts', c.id);
      link('emails', email({ at: miss ? sent - D : sent + D, incoming: true, address: c.address }), 'contacts', c.id);
    },
    MEETING_FOLLOW_UP: (j, miss, t) => {
      const start = miss ? now + 2 * D : now - (2 + (j % 100)) * H - t;
      const m = meeting({ start, created: start - 3 * D, outcome: 'COMPLETED' });
      const c = contact({ owner: other(j) });
      link('meetings', m, 'contacts', c.id);
      if (j % 2) {
        const d = deal({ created: now - 40 * D });
        link('meetings', m, 'deals', d);
        link('deals', d, 'contacts', c.id);
      }
    },
    LOG_CALL_OUTCOME: (j, miss, t) => {
      const id = call({
        at: now - (2 + (j % 120)) * H - t,
        disposition: miss ? CONNECTED : null,
        direction: j % 4 ? 'OUTBOUND' : 'INBOUND',
      });
      link('calls', id, 'contacts', contact({ owner: other(j) }).id);
    },
    CONTACT_AWAITING_REPLY: (j, miss, t) => {
      const c = contact({ owner: other(j) });
      link('emails', email({ at: now - (1 + (j % 10)) * D - t, incoming: true, address: c.address, owner: other(j) }), 'contacts', c.id);
      if (miss) {
        const l = lead({ assigned: now - 10 * D, stage: STAGE_OF_LEAD.attempting, primary: c.id, owner: other(j) });
        link('leads', l, 'contacts', c.id);
      }
    },
    REPLY_TO_EMAIL: (j, miss, t) => {
      const c = contact({ owner: other(j) });
      const d = deal({ created: now - 30 * D, stage: miss ? 'closedlost' : 'qualifiedtobuy' });
      link('deals', d, 'contacts', c.id);
      const sent = now - (3 + (j % 4)) * D - t;
      link('emails', email({ at: sent, incoming: false, address: c.address }), 'contacts', c.id);
      link('emails', email({ at: sent + D, incoming: true, address: c.address }), 'contacts', c.id);
    },
    LEAD_AWAITING_REPLY: (j, miss, t) => {
      const c = contact({ owner: other(j) });
      const l = lead({
        assigned: now - 20 * D,
        stage: STAGE_OF_LEAD.attempting,
        primary: c.id,
        owner: miss ? other(j) : WARM_UP_REP.ownerId,
      });
      link('leads', l, 'contacts', c.id);
      link('leads', l, 'emails', email({ at: now - (1 + (j % 10)) * D - t, incoming: true, address: c.address }));
    },
    PREPARE_FOR_MEETING: (j, miss, t) => {
      // Only the rep's next meeting fires; the later ones are near misses.
      const start = miss ? now + 30 * H : now + (3 + j) * H + t;
      const m = meeting({ start, created: now - 2 * D });
      link('meetings', m, 'contacts', contact({ owner: other(j) }).id);
    },
    PRIORITY_TASKS_TODAY: (j, miss, t) => {
      // 11:00 UTC: the next hour is today from Los Angeles to Berlin, the later ones in some zones only.
      const id = task({ due: now + (1 + (j % 16)) * H + (t % H), priority: miss ? 'MEDIUM' : 'HIGH' });
      link('tasks', id, 'contacts', contact({}).id);
    },
    TARGET_ACCOUNT_ACTIVITY: (j, miss, t) => {
      const co = company(!miss, other(j));
      // engaged: an email, a connected call, a meeting booked, a sales email opened
      const at = now - (1 + (j % 6)) * D - t;
      const c = contact({ owner: j % 2 ? WARM_UP_REP.ownerId : other(j), opened: j % 4 === 3 ? at : null });
      link('companies', co, 'contacts', c.id);
      if (j % 4 === 0) link('emails', email({ at, incoming: true, address: c.address }), 'contacts', c.id);
      else if (j % 4 === 1) link('contacts', c.id, 'calls', call({ at }));
      else if (j % 4 === 2) link('contacts', c.id, 'meetings', meeting({ start: at + D, created: at }));
    },
    RECENTLY_ENGAGED_LEAD: (j, miss, t) => {
      const c = contact({ owner: other(j) });
      const l = lead({ assigned: now - 40 * D, stage: STAGE_OF_LEAD.attempting, primary: c.id });
      link('leads', l, 'contacts', c.id);
      const created = miss ? now - 9 * D : now - (1 + (j % 6)) * D - t;
      link('leads', l, 'meetings', meeting({ start: now + 3 * D, created, owner: other(j) }));
    },
    UPDATE_NEXT_STEPS: (j, miss, t) => {
      const d = deal({
        created: now - 60 * D,
        stage: 'qualifiedtobuy',
        nextStep: 'Send the proposal',
        nextStepAt: now - (miss ? 1 : 5) * D,
      });
      link('deals', d, 'calls', call({ at: now - 2 * D - t, disposition: 'x' }));
      if (j % 2) link('deals', d, 'notes', note(now - 3 * D));
    },
    ADD_CONTACT_TO_DEAL: (j, miss, t) => {
      const d = deal({ created: now - (8 + (j % 6)) * D - t });
      if (miss) link('deals', d, 'contacts', contact({}).id);
    },
    INITIAL_OUTREACH_NEEDED: (j, miss, t) => {
      const d = deal({ created: now - (8 + (j % 6)) * D - t });
      link('deals', d, 'contacts', contact({}).id);
      if (miss) link('deals', d, 'tasks', task({ due: now - 2 * D, status: 'COMPLETED' }));
    },
    BUYER_FOLLOW_UP: (j, miss, t) => {
      const d = deal({ created: now - 50 * D, stage: 'qualifiedtobuy' });
      const c = contact({ owner: other(j) });
      link('deals', d, 'contacts', c.id);
      const e = email({ at: now - (8 + (j % 6)) * D - t, incoming: false, address: c.address, opens: miss ? 0 : 1 + (j % 3) });
      link('emails', e, 'contacts', c.id);
    },
  };
  for (let j = 0; j < replicas; j++) for (const rule of RULE_IDS) worlds[rule](j, j % 4 === 3, (j * 7 + rule.length) * MIN);

  // ---- what no rule picks, as most of a real book: old, closed, logged, someone else's ----
  for (let i = 0; i < noise; i++) {
    // Some unassigned records (owner null), as every real book has.
    const c = contact({
      owner: i % 9 === 4 ? null : undefined,
      assigned: i % 11 === 5 ? null : now - (60 + (i % 300)) * D,
      stage: ['lead', 'customer', 'opportunity'][i % 3],
      opened: i % 7 ? null : now - 20 * D,
    });
    if (i % 3 === 0)
      link(
        'emails',
        email({
          at: now - (20 + (i % 200)) * D,
          incoming: i % 2 === 0,
          address: c.address,
          opens: i % 4,
          owner: i % 9 === 3 ? null : undefined,
        }),
        'contacts',
        c.id,
      );
    if (i % 4 === 0) {
      const status = [null, 'NO_ANSWER', 'COMPLETED', 'BUSY', 'FAILED'][(i / 4) % 5]!;
      link('calls', call({ at: now - (i % 90) * D - 2 * H, status, disposition: status ? null : CONNECTED }), 'contacts', c.id);
    }
    if (i % 5 === 0)
      link(
        'meetings',
        meeting({
          start: now - (10 + (i % 60)) * D,
          created: now - (15 + (i % 60)) * D,
          outcome: 'COMPLETED',
          owner: i % 15 ? undefined : null,
        }),
        'contacts',
        c.id,
      );
    if (i % 6 === 0)
      link(
        'tasks',
        task({
          due: now - (i % 40) * D,
          status: i % 12 ? 'COMPLETED' : 'NOT_STARTED',
          priority: i % 2 ? 'LOW' : 'HIGH',
          owner: i % 18 ? undefined : null,
        }),
        'contacts',
        c.id,
      );
    if (i % 8 === 0) note(now - (i % 30) * D);
    if (i % 10 === 0) {
      const d = deal({
        created: now - (100 + (i % 300)) * D,
        stage: i % 20 ? 'closedwon' : 'qualifiedtobuy',
        owner: i % 30 ? WARM_UP_REP.ownerId : other(i),
      });
      link('deals', d, 'contacts', c.id);
      link('contacts', c.id, 'deals', d);
    }
    if (i % 25 === 0) link('companies', company(i % 50 === 0), 'contacts', c.id);
    if (i % 10 === 5) {
      const stage = [STAGE_OF_LEAD.qualified, 'connected-stage-id', STAGE_OF_LEAD.dq, STAGE_OF_LEAD.attempting][((i / 10) % 4) | 0]!;
      const l = lead({
        assigned: now - (40 + (i % 200)) * D,
        stage,
        stageAt: i % 20 === 5 ? null : undefined,
        primary: c.id,
        owner: i % 30 === 5 ? other(i) : undefined,
      });
      link('leads', l, 'contacts', c.id);
      if (i % 20 === 15) link('leads', l, 'meetings', meeting({ start: now - 20 * D, created: now - 25 * D, outcome: null }));
    }
    if (i % 13 === 0) {
      // the near misses no world above makes: a colleague or no address, a deal too young, a
      // call too recent, an association to a record outside the book, a pair read twice
      const colleague = contact({ owner: other(i), email: i % 26 ? `colleague.${i}@tiller-warm-up.example` : null });
      link(
        'emails',
        email({ at: now - D, incoming: true, address: colleague.address ?? 'unknown@client.example' }),
        'contacts',
        colleague.id,
      );
      const young = deal({ created: now - 2 * D });
      link('deals', young, 'contacts', c.id);
      link('deals', young, 'contacts', c.id);
      link('calls', call({ at: now - 30 * MIN, disposition: null }), 'contacts', '29999999');
    }
  }
  // Every asked id gets a list (maybe empty), as readAssociationPairs answers.
  // (The data plan's pairs, data-plan.ts rounds 3 and 4.)
  const ENGAGEMENTS = ['calls', 'emails', 'meetings', 'notes', 'tasks'] as const;
  const asked: [ObjectType, ObjectType][] = [
    ['emails', 'contacts'],
    ['calls', 'contacts'],
    ['calls', 'deals'],
    ['meetings', 'contacts'],
    ['meetings', 'deals'],
    ['tasks', 'contacts'],
    ['deals', 'contacts'],
    ['contacts', 'deals'],
    ['companies', 'contacts'],
    ['leads', 'contacts'],
    ['contacts', 'leads'],
    ...ENGAGEMENTS.map((t): [ObjectType, ObjectType] => ['leads', t]),
    ...ENGAGEMENTS.map((t): [ObjectType, ObjectType] => ['deals', t]),
    ...ENGAGEMENTS.map((t): [ObjectType, ObjectType] => ['contacts', t]),
  ];
  for (const [from, to] of asked) {
    const table = ((associations[from] ??= {})[to] ??= {}) as Record<string, string[]>;
    // (the data plan asks about some contacts only: a third of them keeps the warm-up short)
    records[from].forEach((r, i) => {
      if (from !== 'contacts' || i % 3 === 0) table[r.id] ??= [];
    });
  }
  return {
    now,
    records,
    associations,
    nextStepChangedAt,
    dealPipelines: [
      pipeline('default', 'Sales pipeline', [
        ['appointmentscheduled', false],
        ['qualifiedtobuy', false],
        ['presentationscheduled', false],
        ['decisionmakerboughtin', false],
        ['contractsent', false],
        ['closedwon', true],
        ['closedlost', true],
      ]),
    ],
    leadPipelines: [
      pipeline('lead-pipeline-id', 'Lead pipeline', [
        [STAGE_OF_LEAD.new, false],
        [STAGE_OF_LEAD.attempting, false],
        ['connected-stage-id', false],
        [STAGE_OF_LEAD.qualified, true],
        [STAGE_OF_LEAD.dq, true],
      ]),
    ],
    contactProperties: [
      {
        name: 'lifecyclestage',
        label: 'Lifecycle stage',
        type: 'enumeration',
        fieldType: 'radio',
        options: DEFAULT_LIFECYCLE_STAGES.map((value, displayOrder) => ({ label: value, value, displayOrder, hidden: false })),
      },
    ],
  };
}

const CONNECTED = 'f240bbac-87c9-4f6e-bf70-924b57d47db7';

function pipeline(id: string, label: string, stages: [string, boolean][]): CrmPipeline {
  return {
    id,
    label,
    displayOrder: 0,
    stages: stages.map(([stage, closed], displayOrder) => ({
      id: stage,
      label: stage,
      displayOrder,
      metadata: closed ? { isClosed: 'true', probability: '0' } : { isClosed: 'false', probability: '0.2' },
    })),
  };
}

/** The engine's input from the book, through the mappers, as the data plan's last step builds it. */
export function warmUpInput(book: WarmUpBook, timeZone = WARM_UP_TIME_ZONES[0]!): GuidedActionsInput {
  const r = book.records;
  return {
    portal: { id: '990000', timeZone: 'Europe/Paris' },
    rep: { ...WARM_UP_REP, timeZone },
    contacts: r.contacts.map(toContact),
    companies: r.companies.map(toCompany),
    deals: r.deals.map((d) => toDeal(d, book.nextStepChangedAt.get(d.id) ?? null)),
    leads: r.leads.map(toLead),
    tasks: r.tasks.map(toTask),
    calls: r.calls.map(toCall),
    emails: r.emails.map(toEmail),
    meetings: r.meetings.map(toMeeting),
    notes: r.notes.map(toNote),
    associations: book.associations,
    pipelines: { deals: toPipelines(book.dealPipelines), leads: toPipelines(book.leadPipelines) },
    lifecycleStages: toLifecycleStages(book.contactProperties),
    owners: warmUpOwners(),
  };
}

/** The warm-up portal's owners: the rep first, then the others the book assigns records to. */
export function warmUpOwners(): Owner[] {
  return [WARM_UP_REP.ownerId, ...OTHERS].map((id, i) => ({
    id,
    userId: String(9001 + i),
    email: i === 0 ? WARM_UP_REP.email : `owner${i}@tiller-warm-up.example`,
    firstName: 'Owner',
    lastName: String(i),
  }));
}

export type WarmUpResult = {
  rounds: number;
  /** Wall and CPU time of the whole warm-up. */
  ms: number;
  cpuMs: number;
  /** The last round's actions per rule. */
  actionsByRule: Partial<Record<RuleId, number>>;
  /** The last round's answer size in bytes. */
  bytes: number;
};

/**
 * Runs a request's CPU path `rounds` times on the synthetic book: mappers, engine, the answer as
 * the route serializes it. Synchronous: the caller runs it before the instance takes requests.
 */
export function warmUpGuidedActions(opts: { rounds?: number; replicas?: number; noise?: number } = {}): WarmUpResult {
  const rounds = opts.rounds ?? 6;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const book = warmUpBook(opts);
  let actionsByRule: Partial<Record<RuleId, number>> = {};
  let bytes = 0;
  for (let i = 0; i < rounds; i++) {
    const input = warmUpInput(book, WARM_UP_TIME_ZONES[i % WARM_UP_TIME_ZONES.length]);
    const result = evaluateGuidedActions(input, book.now, [], defaultGuidedActionSettings);
    const shown = filterByCategory(result.actions, 'all').slice(0, DEFAULT_LIMIT);
    const body = Buffer.from(JSON.stringify({ actions: shown.map((a) => toGuidedAction(a, null)), total: result.actions.length }));
    bytes = body.length;
    actionsByRule = {};
    for (const a of result.actions) actionsByRule[a.rule] = (actionsByRule[a.rule] ?? 0) + 1;
  }
  const cpu = process.cpuUsage(cpu0);
  return { rounds, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, actionsByRule, bytes };
}
