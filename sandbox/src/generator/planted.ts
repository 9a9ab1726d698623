// Deliberate records per demo rep: for each of the 18 guided-action rules
// (/work/shared/spec/guided-actions.md) at least one record that triggers it and near-misses
// that must not, plus one customer company per health category. Planted records are isolated:
// background engagements never attach to them, so each case holds exactly as described.
import { DateTime } from 'luxon';
import { type ObjType, type PortalBuilder, type Person, type Rec, D, H, M } from './builder';
import {
  COMPANY_WORDS_A,
  COMPANY_WORDS_B,
  DISPOSITION,
  EMAIL_BODIES,
  FIRST_NAMES,
  JOB_TITLES,
  LAST_NAMES,
  REPLY_BODIES,
  type DealStage,
  type GuidedActionRule,
  type LeadStage,
} from './vocab';

export type CaseKind = 'trigger' | 'near-miss';

export interface PlantedCase {
  rule: GuidedActionRule;
  /** trigger: the rule must produce an action for this rep on `record`; near-miss: it must not */
  kind: CaseKind;
  userId: string;
  ownerId: string;
  /** the record the action is about (contact, lead, deal, meeting, sequence task, call or task) */
  record: { objectType: ObjType; id: string };
  /** other planted records that make the case ("emails/80000012") */
  related: string[];
  /** why the rule fires or not, in words */
  why: string;
  /** how long after `now` the expectation keeps holding (tests evaluating at wall-clock time) */
  holdsForMs: number;
  /** action category the rule should report for a trigger */
  category?: 'deal' | 'prospecting';
}

export type HealthCategory = 'AT_RISK' | 'NEUTRAL' | 'GOOD';
export interface HealthCase {
  expected: HealthCategory;
  companyId: string;
  userId: string;
  ownerId: string;
  signals: {
    hs_csm_sentiment: string;
    nps_score: number;
    renewal_date: string;
    openTickets: number;
    oldestOpenTicketDays: number;
    lastActivityDaysAgo: number;
  };
}

export interface SequenceDef {
  id: string;
  name: string;
  userId: string;
  steps: Array<Record<string, unknown>>;
}

const DAY_DEFAULT_HOLD = D;

/** Plants every rule's cases for `rep`; `other` is an owner who is not a demo rep. */
export function plantForRep(
  b: PortalBuilder,
  rep: Person,
  other: Person,
  seqs: SequenceDef[],
  cases: PlantedCase[],
  health: HealthCase[],
): void {
  const { now, rng } = b;
  const O = rep.ownerId;
  const X = other.ownerId;
  const ago = (ms: number) => now - ms;
  const domainOf = (e: string) => e.slice(e.indexOf('@') + 1);
  const portalDomain = domainOf(rep.email);

  const add = (
    rule: GuidedActionRule,
    kind: CaseKind,
    objectType: ObjType,
    id: string,
    why: string,
    related: Rec[] | string[] = [],
    holdsForMs = DAY_DEFAULT_HOLD,
    category?: 'deal' | 'prospecting',
  ) => {
    const rel = related.map((r) => (typeof r === 'string' ? r : refOf(r)));
    const c: PlantedCase = {
      rule,
      kind,
      userId: rep.userId,
      ownerId: rep.ownerId,
      record: { objectType, id },
      related: rel,
      why,
      holdsForMs,
    };
    if (category) c.category = category;
    cases.push(c);
  };

  // --- building blocks -------------------------------------------------------------------
  const companyName = () => `${rng.pick(COMPANY_WORDS_A)} ${rng.pick(COMPANY_WORDS_B)}`;
  const prospectName = companyName();
  const prospect = b.company({
    ownerId: O,
    name: prospectName,
    domain: b.uniqueDomain(prospectName),
    createdMs: ago(200 * D),
    lifecyclestage: 'opportunity',
    industry: 'COMPUTER_SOFTWARE',
    city: 'Lyon',
    country: 'France',
    employees: 120,
  });
  const prospectDomain = prospect.properties.domain!;

  interface PcOpts {
    owner?: string | null;
    stage?: string;
    history?: Array<[string, number]>;
    domain?: string;
    company?: Rec | null;
    extra?: Record<string, string>;
  }
  const pc = (o: PcOpts = {}): Rec => {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const company = o.company === undefined ? prospect : o.company;
    const owner = o.owner === undefined ? O : (o.owner ?? undefined);
    const createdMs = o.history ? o.history[0]![1] : ago(150 * D);
    return b.contact({
      ownerId: owner,
      ownerHistory: owner ? (o.history ?? [[owner, createdMs]]) : undefined,
      firstName: first,
      lastName: last,
      email: b.uniqueEmail(`${first}.${last}`, o.domain ?? company?.properties.domain ?? prospectDomain),
      lifecyclestage: o.stage ?? 'salesqualifiedlead',
      createdMs,
      companyId: company?.id,
      companyName: company?.properties.name,
      jobtitle: rng.pick(JOB_TITLES),
      extra: o.extra,
    });
  };
  const setProps = (r: Rec, props: Record<string, string>) => Object.assign(r.properties, props);
  const iso = (ms: number) => new Date(ms).toISOString();

  const dealOf = (o: {
    stage: DealStage;
    createdAgo: number;
    owner?: string;
    nextSteps?: Array<[string, number]>;
    contacts?: Rec[];
    company?: Rec | null;
    name?: string;
  }): Rec => {
    const closed = o.stage === 'closedwon' || o.stage === 'closedlost';
    const d = b.deal({
      ownerId: o.owner ?? O,
      name: o.name ?? `${prospectName} – ${rng.pick(['Platform', 'Expansion', 'Pilot', 'Enterprise plan', 'Add-on seats'])}`,
      stage: o.stage,
      createdMs: ago(o.createdAgo),
      closeMs: closed ? ago(Math.min(o.createdAgo, 5 * D)) : now + 30 * D,
      amount: 5_000 + rng.int(60) * 1_000,
      nextSteps: o.nextSteps,
    });
    const company = o.company === undefined ? prospect : o.company;
    if (company) b.link('deals', d.id, 'companies', company.id);
    for (const c of o.contacts ?? []) b.link('deals', d.id, 'contacts', c.id);
    return d;
  };
  type Links = { contact?: Rec; deal?: Rec; lead?: Rec; company?: Rec };
  const attach = (type: ObjType, id: string, l: Links) => {
    if (l.contact) b.link('contacts', l.contact.id, type, id);
    if (l.deal) b.link('deals', l.deal.id, type, id);
    if (l.lead) b.link('leads', l.lead.id, type, id);
    if (l.company) b.link('companies', l.company.id, type, id);
  };
  const sent = (
    contact: Rec,
    agoMs: number,
    o: { opens?: number; clicks?: number; replies?: number; thread?: string; owner?: Person } & Links = {},
  ) => {
    const who = o.owner ?? rep;
    const e = b.email({
      ownerId: who.ownerId,
      ms: ago(agoMs),
      direction: 'EMAIL',
      subject: 'Following up on our call',
      text: EMAIL_BODIES[0],
      from: who.email,
      to: contact.properties.email!,
      thread: o.thread ?? b.thread(),
      opens: o.opens ?? 0,
      clicks: o.clicks ?? 0,
      replies: o.replies ?? 0,
    });
    attach('emails', e.id, { contact, deal: o.deal, lead: o.lead, company: o.company });
    return e;
  };
  const replied = (contact: Rec, agoMs: number, thread: string, o: { to?: string; cc?: string } & Links = {}) => {
    const e = b.email({
      ownerId: contact.properties.hubspot_owner_id ?? O,
      ms: ago(agoMs),
      direction: 'INCOMING_EMAIL',
      subject: 'Re: Following up on our call',
      text: REPLY_BODIES[0],
      from: contact.properties.email!,
      to: o.to ?? rep.email,
      cc: o.cc,
      thread,
    });
    attach('emails', e.id, { contact, deal: o.deal, lead: o.lead, company: o.company });
    setProps(contact, { hs_sales_email_last_replied: iso(ago(agoMs)) });
    return e;
  };
  /** outgoing email and the contact's reply in the same thread */
  const exchange = (contact: Rec, sentAgo: number, replyAgo: number, l: Links & { to?: string; cc?: string } = {}) => {
    const out = sent(contact, sentAgo, { opens: 2, replies: 1, ...l });
    const inc = replied(contact, replyAgo, out.properties.hs_email_thread_id!, l);
    return [out, inc];
  };
  const inboundCall = (contact: Rec, agoMs: number, l: Links = {}, owner = O) => {
    const c = b.call({
      ownerId: owner,
      ms: ago(agoMs),
      title: `Call from ${contact.properties.firstname}`,
      direction: 'INBOUND',
      status: 'COMPLETED',
      disposition: DISPOSITION.connected,
      source: 'VOIP',
      durationMs: 9 * M,
    });
    attach('calls', c.id, { contact, ...l });
    setProps(contact, { notes_last_updated: iso(ago(agoMs)) });
    return c;
  };
  const leadOf = (o: {
    stage: LeadStage;
    createdAgo: number;
    contact: Rec;
    owner?: string;
    history?: Array<[string, number]>;
    stageHistory?: Array<[LeadStage, number]>;
    reason?: string;
  }) => {
    const l = b.lead({
      ownerId: o.owner ?? O,
      ownerHistory: o.history,
      name: `${o.contact.properties.firstname} ${o.contact.properties.lastname}`,
      stage: o.stage,
      createdMs: ago(o.createdAgo),
      contactId: o.contact.id,
      stageHistory: o.stageHistory?.map(([s, a]) => [s, ago(a)] as [string, number]),
      disqualificationReason: o.reason,
    });
    b.link('leads', l.id, 'companies', prospect.id);
    return l;
  };
  const localDay = (offsetDays: number, hour: number) =>
    DateTime.fromMillis(now, { zone: rep.timeZone }).startOf('day').plus({ days: offsetDays }).set({ hour }).toMillis();
  const endOfLocalToday = DateTime.fromMillis(now, { zone: rep.timeZone }).startOf('day').plus({ days: 1 }).toMillis();
  const task = (
    o: {
      subject: string;
      dueMs: number;
      status?: 'NOT_STARTED' | 'IN_PROGRESS' | 'COMPLETED';
      priority?: 'LOW' | 'MEDIUM' | 'HIGH';
      type?: string;
      owner?: string;
      createdMs?: number;
      completedMs?: number;
      seq?: { stepOrder: number; contact: Rec; sequence: SequenceDef };
    } & Links,
  ) => {
    const t = b.task({
      ownerId: o.owner ?? O,
      subject: o.subject,
      dueMs: o.dueMs,
      status: o.status ?? 'NOT_STARTED',
      priority: o.priority ?? 'MEDIUM',
      type: o.type ?? 'TODO',
      createdMs: o.createdMs ?? Math.min(now, o.dueMs) - 3 * D,
      completedMs: o.completedMs ?? (o.status === 'COMPLETED' ? Math.min(now, o.dueMs) : undefined),
      sequence: o.seq
        ? {
            stepOrder: o.seq.stepOrder,
            enrollmentId: b.enroll(o.seq.sequence, o.seq.contact.id, o.createdMs ?? Math.min(now, o.dueMs) - 3 * D),
            contactId: o.seq.contact.id,
            active: o.status !== 'COMPLETED',
          }
        : undefined,
    });
    attach('tasks', t.id, o);
    return t;
  };
  const meeting = (
    o: { startAgo: number; durMin?: number; outcome?: 'SCHEDULED' | 'COMPLETED'; owner?: string; url?: boolean } & Links,
  ) => {
    const start = ago(o.startAgo);
    const m = b.meeting({
      ownerId: o.owner ?? O,
      startMs: start,
      endMs: start + (o.durMin ?? 60) * M,
      title: 'Product demo',
      outcome: o.outcome ?? (start < now ? 'COMPLETED' : 'SCHEDULED'),
      createdMs: Math.min(start, now) - 5 * D,
      url: o.url === false ? undefined : `https://meet.example.com/${rep.firstName.toLowerCase()}-${b.objects.meetings.length + 1}`,
    });
    attach('meetings', m.id, o);
    return m;
  };
  const voipCall = (
    o: {
      agoMs: number;
      status?: string;
      disposition?: string;
      source?: 'VOIP' | 'CRM_UI' | 'INTEGRATIONS_PLATFORM';
      owner?: string;
    } & Links,
  ) => {
    const c = b.call({
      ownerId: o.owner ?? O,
      ms: ago(o.agoMs),
      title: 'Outbound call',
      direction: 'OUTBOUND',
      status: o.status,
      disposition: o.disposition,
      source: o.source ?? 'VOIP',
      durationMs: 4 * M,
    });
    attach('calls', c.id, o);
    return c;
  };

  // --- 1 NEWLY_ASSIGNED_CONTACT --------------------------------------------------------------
  {
    const hist = (agoMs: number): Array<[string, number]> => [
      [X, ago(200 * D)],
      [O, ago(agoMs)],
    ];
    const t = pc({ stage: 'lead', history: hist(1 * D) });
    add(
      'NEWLY_ASSIGNED_CONTACT',
      'trigger',
      'contacts',
      t.id,
      'assigned to you yesterday (owner history), lifecycle "lead", no deal, no email either way',
      [],
      DAY_DEFAULT_HOLD,
      'prospecting',
    );
    const n1 = pc({ stage: 'customer', history: hist(1 * D) });
    add('NEWLY_ASSIGNED_CONTACT', 'near-miss', 'contacts', n1.id, 'assigned yesterday but lifecycle stage is "customer"');
    const n2 = pc({ stage: 'lead', history: hist(2 * D) });
    const d = dealOf({ stage: 'qualifiedtobuy', createdAgo: 2 * D, contacts: [n2] });
    add('NEWLY_ASSIGNED_CONTACT', 'near-miss', 'contacts', n2.id, 'assigned 2 days ago but associated with a deal', [d]);
    const n3 = pc({ stage: 'lead', history: hist(40 * D) });
    add('NEWLY_ASSIGNED_CONTACT', 'near-miss', 'contacts', n3.id, 'assigned 40 days ago: the action is more than 30 days old');
    const n4 = pc({ stage: 'lead', history: hist(1 * D) });
    const e = sent(n4, 12 * H);
    add('NEWLY_ASSIGNED_CONTACT', 'near-miss', 'contacts', n4.id, 'assigned yesterday but you already sent a follow-up email', [e]);
  }

  // --- 2 NEWLY_ASSIGNED_LEAD -----------------------------------------------------------------
  {
    const c = pc({ stage: 'lead' });
    const t = leadOf({ stage: 'new-stage-id', createdAgo: 2 * D, contact: c });
    add(
      'NEWLY_ASSIGNED_LEAD',
      'trigger',
      'leads',
      t.id,
      'your lead, created and assigned 2 days ago, in the first stage (New), no activity',
      [c],
      DAY_DEFAULT_HOLD,
      'prospecting',
    );
    const c1 = pc({ stage: 'lead' });
    const n1 = leadOf({
      stage: 'attempting-stage-id',
      createdAgo: 3 * D,
      contact: c1,
      stageHistory: [
        ['new-stage-id', 3 * D],
        ['attempting-stage-id', 2 * D],
      ],
    });
    add('NEWLY_ASSIGNED_LEAD', 'near-miss', 'leads', n1.id, 'assigned 3 days ago but already in Attempting (not the first stage)', [c1]);
    const c2 = pc({ stage: 'lead' });
    const n2 = leadOf({ stage: 'new-stage-id', createdAgo: 45 * D, contact: c2 });
    add('NEWLY_ASSIGNED_LEAD', 'near-miss', 'leads', n2.id, 'in New but assigned 45 days ago: the action is more than 30 days old', [c2]);
    const c3 = pc({ stage: 'lead' });
    const n3 = leadOf({ stage: 'new-stage-id', createdAgo: 3 * D, contact: c3 });
    const note = b.note({ ownerId: O, ms: ago(1 * D), body: 'Left a message with the assistant.' });
    attach('notes', note.id, { lead: n3, contact: c3 });
    add('NEWLY_ASSIGNED_LEAD', 'near-miss', 'leads', n3.id, 'in New, assigned 3 days ago, but you logged a note on it', [c3, note]);
    const c4 = pc({ stage: 'lead', owner: X });
    const n4 = leadOf({
      stage: 'new-stage-id',
      createdAgo: 20 * D,
      contact: c4,
      owner: X,
      history: [
        [O, ago(20 * D)],
        [X, ago(2 * D)],
      ],
    });
    add('NEWLY_ASSIGNED_LEAD', 'near-miss', 'leads', n4.id, 'was yours, reassigned to another user 2 days ago', [c4]);
  }

  // --- 3 REENGAGED_CONTACT -------------------------------------------------------------------
  {
    const disq = (contact: Rec, disqAgo: number) => {
      const l = leadOf({
        stage: 'unqualified-stage-id',
        createdAgo: disqAgo + 40 * D,
        contact,
        reason: 'NO_BUDGET',
        stageHistory: [
          ['new-stage-id', disqAgo + 40 * D],
          ['attempting-stage-id', disqAgo + 20 * D],
          ['unqualified-stage-id', disqAgo],
        ],
      });
      setProps(contact, { hs_latest_disqualified_lead_date: iso(ago(disqAgo)) });
      return l;
    };
    const t = pc({ stage: 'lead' });
    const tl = disq(t, 20 * D);
    const tc = inboundCall(t, 3 * D);
    add(
      'REENGAGED_CONTACT',
      'trigger',
      'contacts',
      t.id,
      'lead disqualified 20 days ago, no open lead, then an inbound connected call 3 days ago',
      [tl, tc],
      DAY_DEFAULT_HOLD,
      'prospecting',
    );
    const n1 = pc({ stage: 'lead' });
    const n1l = disq(n1, 60 * D);
    const n1c = inboundCall(n1, 45 * D);
    add('REENGAGED_CONTACT', 'near-miss', 'contacts', n1.id, 'disqualified 60 days ago, engaged 45 days ago: not within the last 30 days', [
      n1l,
      n1c,
    ]);
    const n2 = pc({ stage: 'lead' });
    const n2l = disq(n2, 20 * D);
    const n2c = inboundCall(n2, 3 * D);
    const n2open = leadOf({ stage: 'attempting-stage-id', createdAgo: 5 * D, contact: n2 });
    add('REENGAGED_CONTACT', 'near-miss', 'contacts', n2.id, 'disqualified lead and recent engagement, but a new open lead exists', [
      n2l,
      n2c,
      n2open,
    ]);
    const n3 = pc({ stage: 'lead' });
    const n3c = inboundCall(n3, 15 * D);
    const n3l = disq(n3, 10 * D);
    add(
      'REENGAGED_CONTACT',
      'near-miss',
      'contacts',
      n3.id,
      'the only engagement (15 days ago) came before the disqualification (10 days ago)',
      [n3l, n3c],
    );
  }

  // --- 4 SEQUENCE_ACTIVITY -------------------------------------------------------------------
  {
    const seq = seqs[0]!;
    const enrolled = (c: Rec, agoMs: number) =>
      setProps(c, {
        hs_sequences_is_enrolled: 'true',
        hs_latest_sequence_enrolled: seq.id,
        hs_latest_sequence_enrolled_date: iso(ago(agoMs)),
      });
    const c = pc();
    enrolled(c, 4 * D);
    const t1 = task({
      subject: `${seq.name}: step 2 – follow-up email`,
      dueMs: now + 3 * H,
      type: 'EMAIL',
      seq: { stepOrder: 2, contact: c, sequence: seq },
      contact: c,
      createdMs: ago(4 * D),
    });
    add(
      'SEQUENCE_ACTIVITY',
      'trigger',
      'tasks',
      t1.id,
      `open sequence task (step 2 of "${seq.name}") assigned to you, due today`,
      [c],
      DAY_DEFAULT_HOLD,
      'prospecting',
    );
    const c2 = pc();
    enrolled(c2, 9 * D);
    const t2 = task({
      subject: `${seq.name}: step 3 – call`,
      dueMs: ago(1 * D),
      type: 'CALL',
      seq: { stepOrder: 3, contact: c2, sequence: seq },
      contact: c2,
      createdMs: ago(9 * D),
    });
    add(
      'SEQUENCE_ACTIVITY',
      'trigger',
      'tasks',
      t2.id,
      `overdue open sequence task (step 3 of "${seq.name}")`,
      [c2],
      DAY_DEFAULT_HOLD,
      'prospecting',
    );
    const n1 = task({
      subject: `${seq.name}: step 2 – follow-up email`,
      dueMs: ago(2 * D),
      status: 'COMPLETED',
      type: 'EMAIL',
      seq: { stepOrder: 2, contact: c2, sequence: seq },
      contact: c2,
      createdMs: ago(9 * D),
    });
    add('SEQUENCE_ACTIVITY', 'near-miss', 'tasks', n1.id, 'sequence task already completed', [c2]);
    const n2 = task({ subject: 'Prepare renewal quote', dueMs: now + 5 * H, contact: c });
    add('SEQUENCE_ACTIVITY', 'near-miss', 'tasks', n2.id, 'open task, but not a sequence task');
    const c3 = pc({ owner: X });
    const n3 = task({
      subject: 'Sequence step 2 – email',
      dueMs: now + 2 * H,
      type: 'EMAIL',
      owner: X,
      seq: { stepOrder: 2, contact: c3, sequence: seq },
      contact: c3,
    });
    add('SEQUENCE_ACTIVITY', 'near-miss', 'tasks', n3.id, 'open sequence task assigned to another user', [c3]);
  }

  // --- 5 EMAIL_REPLY ---------------------------------------------------------------------------
  {
    const t = pc();
    const [o, r] = exchange(t, 3 * D, 1 * D);
    add(
      'EMAIL_REPLY',
      'trigger',
      'contacts',
      t.id,
      'your contact replied yesterday to the email you sent 3 days ago (same thread)',
      [o!, r!],
      DAY_DEFAULT_HOLD,
      'prospecting',
    );
    const n1 = pc();
    const [o1, r1] = exchange(n1, 6 * D, 4 * D);
    const f1 = sent(n1, 2 * D, { thread: o1!.properties.hs_email_thread_id });
    add('EMAIL_REPLY', 'near-miss', 'contacts', n1.id, 'replied 4 days ago, but you sent another email 2 days ago', [o1!, r1!, f1]);
    const n2 = pc();
    const [o2, r2] = exchange(n2, 20 * D, 18 * D);
    add('EMAIL_REPLY', 'near-miss', 'contacts', n2.id, 'replied 18 days ago: the action is more than 14 days old', [o2!, r2!]);
    const n3 = pc({ owner: X });
    const [o3, r3] = exchange(n3, 3 * D, 1 * D);
    add('EMAIL_REPLY', 'near-miss', 'contacts', n3.id, 'replied to your email, but the contact is assigned to another user', [o3!, r3!]);
  }

  // --- 6 MEETING_FOLLOW_UP -------------------------------------------------------------------
  {
    const c = pc();
    const t = meeting({ startAgo: 2 * D, contact: c });
    add(
      'MEETING_FOLLOW_UP',
      'trigger',
      'meetings',
      t.id,
      'your meeting ended 2 days ago, no follow-up task, no open deal',
      [c],
      DAY_DEFAULT_HOLD,
      'prospecting',
    );
    const c2 = pc();
    const d2 = dealOf({
      stage: 'decisionmakerboughtin',
      createdAgo: 30 * D,
      contacts: [c2],
      nextSteps: [
        ['Send pricing proposal', ago(30 * D)],
        ['Book demo with the team', ago(3 * D)],
      ],
    });
    const t2 = meeting({ startAgo: 28 * H, durMin: 45, contact: c2, deal: d2 });
    add(
      'MEETING_FOLLOW_UP',
      'trigger',
      'meetings',
      t2.id,
      'your meeting ended about a day ago and is associated with an open deal',
      [c2, d2],
      DAY_DEFAULT_HOLD,
      'deal',
    );
    const c3 = pc();
    const n1 = meeting({ startAgo: 9 * D, contact: c3 });
    add('MEETING_FOLLOW_UP', 'near-miss', 'meetings', n1.id, 'ended 9 days ago (not less than 7 days)', [c3]);
    const c4 = pc();
    const n2 = meeting({ startAgo: 3 * D, contact: c4 });
    const ft = task({
      subject: 'Send meeting recap',
      dueMs: ago(2 * D),
      status: 'COMPLETED',
      type: 'EMAIL',
      contact: c4,
      createdMs: ago(3 * D) + 2 * H,
      completedMs: ago(2 * D),
    });
    add('MEETING_FOLLOW_UP', 'near-miss', 'meetings', n2.id, 'ended 3 days ago but its follow-up task is completed', [c4, ft]);
    const c5 = pc({ owner: X });
    const n3 = meeting({ startAgo: 2 * D, contact: c5, owner: X });
    add('MEETING_FOLLOW_UP', 'near-miss', 'meetings', n3.id, 'meeting owned by another user', [c5]);
  }

  // --- 7 LOG_CALL_OUTCOME (grouped) ---------------------------------------------------------
  {
    const c = pc();
    const d = dealOf({
      stage: 'presentationscheduled',
      createdAgo: 25 * D,
      contacts: [c],
      nextSteps: [['Call back after budget review', ago(1 * H)]],
    });
    const t1 = voipCall({ agoMs: 2 * H, status: 'COMPLETED', contact: c });
    add(
      'LOG_CALL_OUTCOME',
      'trigger',
      'calls',
      t1.id,
      'HubSpot (VOIP) call 2 h ago, COMPLETED, no outcome',
      [c],
      DAY_DEFAULT_HOLD,
      'prospecting',
    );
    const t2 = voipCall({ agoMs: 5 * H, source: 'CRM_UI', contact: c, deal: d });
    add(
      'LOG_CALL_OUTCOME',
      'trigger',
      'calls',
      t2.id,
      'manually logged call 5 h ago, blank status, no outcome, on an open deal',
      [c, d],
      DAY_DEFAULT_HOLD,
      'deal',
    );
    const n1 = voipCall({ agoMs: 20 * M, status: 'COMPLETED', contact: c });
    add('LOG_CALL_OUTCOME', 'near-miss', 'calls', n1.id, 'VOIP call only 20 minutes ago (less than 1 hour)', [c], 40 * M);
    const n2 = voipCall({ agoMs: 3 * H, status: 'COMPLETED', disposition: DISPOSITION.connected, contact: c });
    add('LOG_CALL_OUTCOME', 'near-miss', 'calls', n2.id, 'outcome already logged (Connected)', [c]);
    const n3 = voipCall({ agoMs: 8 * D, status: 'COMPLETED', contact: c });
    add('LOG_CALL_OUTCOME', 'near-miss', 'calls', n3.id, 'started 8 days ago (not less than 7 days)', [c]);
    const n4 = voipCall({ agoMs: 4 * H, status: 'NO_ANSWER', contact: c });
    add('LOG_CALL_OUTCOME', 'near-miss', 'calls', n4.id, 'VOIP call with status NO_ANSWER (not COMPLETED)', [c]);
    const n5 = voipCall({ agoMs: 4 * H, status: 'FAILED', source: 'INTEGRATIONS_PLATFORM', contact: c });
    add('LOG_CALL_OUTCOME', 'near-miss', 'calls', n5.id, 'non-HubSpot call with status FAILED (neither COMPLETED nor blank)', [c]);
    const n6 = voipCall({ agoMs: 3 * H, status: 'COMPLETED', owner: X, contact: c });
    add('LOG_CALL_OUTCOME', 'near-miss', 'calls', n6.id, 'call owned by another user', [c]);
  }

  // --- 8 CONTACT_AWAITING_REPLY --------------------------------------------------------------
  {
    const t = pc({ owner: null });
    const [o, r] = exchange(t, 4 * D, 2 * D);
    add(
      'CONTACT_AWAITING_REPLY',
      'trigger',
      'contacts',
      t.id,
      'replied 2 days ago to your email (you are the primary recipient), external domain, no lead',
      [o!, r!],
      DAY_DEFAULT_HOLD,
      'prospecting',
    );
    const n1 = pc({ owner: null, company: null, domain: portalDomain });
    const [o1, r1] = exchange(n1, 4 * D, 2 * D);
    add('CONTACT_AWAITING_REPLY', 'near-miss', 'contacts', n1.id, `same email domain as yours (${portalDomain})`, [o1!, r1!]);
    const n2 = pc({ owner: null });
    const [o2, r2] = exchange(n2, 4 * D, 2 * D);
    const l2 = leadOf({ stage: 'attempting-stage-id', createdAgo: 6 * D, contact: n2, owner: X });
    add('CONTACT_AWAITING_REPLY', 'near-miss', 'contacts', n2.id, 'replied, but the contact has an open lead', [o2!, r2!, l2]);
    const n3 = pc({ owner: null });
    const [o3, r3] = exchange(n3, 5 * D, 3 * D);
    const f3 = sent(n3, 1 * D, { thread: o3!.properties.hs_email_thread_id });
    add('CONTACT_AWAITING_REPLY', 'near-miss', 'contacts', n3.id, 'replied 3 days ago and you answered yesterday', [o3!, r3!, f3]);
    const n4 = pc({ owner: null });
    const o4 = sent(n4, 4 * D, { owner: other, opens: 1, replies: 1 });
    const r4 = replied(n4, 2 * D, o4.properties.hs_email_thread_id!, { to: other.email, cc: rep.email });
    add(
      'CONTACT_AWAITING_REPLY',
      'near-miss',
      'contacts',
      n4.id,
      'replied to another user; you are only in cc (not the primary recipient)',
      [o4, r4],
    );
  }

  // --- 9 REPLY_TO_EMAIL ----------------------------------------------------------------------
  {
    const t = pc();
    const d = dealOf({
      stage: 'contractsent',
      createdAgo: 30 * D,
      contacts: [t],
      nextSteps: [
        ['Send contract', ago(30 * D)],
        ['Wait for signature', ago(1 * H)],
      ],
    });
    const [o, r] = exchange(t, 3 * D, 1 * D, { deal: d });
    add(
      'REPLY_TO_EMAIL',
      'trigger',
      'contacts',
      t.id,
      'contact on your open deal replied yesterday; you have not replied since',
      [d, o!, r!],
      DAY_DEFAULT_HOLD,
      'deal',
    );
    const n1 = pc();
    const d1 = dealOf({ stage: 'closedwon', createdAgo: 60 * D, contacts: [n1] });
    const [o1, r1] = exchange(n1, 3 * D, 1 * D, { deal: d1 });
    add('REPLY_TO_EMAIL', 'near-miss', 'contacts', n1.id, 'replied, but the only associated deal is closed won', [d1, o1!, r1!]);
    const n2 = pc();
    const d2 = dealOf({ stage: 'contractsent', createdAgo: 30 * D, contacts: [n2], nextSteps: [['Negotiate terms', ago(1 * H)]] });
    const [o2, r2] = exchange(n2, 6 * D, 4 * D, { deal: d2 });
    const f2 = sent(n2, 2 * D, { thread: o2!.properties.hs_email_thread_id, deal: d2 });
    add('REPLY_TO_EMAIL', 'near-miss', 'contacts', n2.id, 'replied 4 days ago and you replied 2 days ago', [d2, o2!, r2!, f2]);
    const n3 = pc();
    const d3 = dealOf({ stage: 'contractsent', createdAgo: 40 * D, contacts: [n3], nextSteps: [['Chase signature', ago(1 * H)]] });
    const [o3, r3] = exchange(n3, 12 * D, 10 * D, { deal: d3 });
    add('REPLY_TO_EMAIL', 'near-miss', 'contacts', n3.id, 'replied 10 days ago: the action is more than 7 days old', [d3, o3!, r3!]);
  }

  // --- 10 LEAD_AWAITING_REPLY ----------------------------------------------------------------
  {
    const t = pc({ stage: 'lead' });
    const tl = leadOf({
      stage: 'attempting-stage-id',
      createdAgo: 8 * D,
      contact: t,
      stageHistory: [
        ['new-stage-id', 8 * D],
        ['attempting-stage-id', 3 * D],
      ],
    });
    const [o, r] = exchange(t, 3 * D, 1 * D, { lead: tl });
    add(
      'LEAD_AWAITING_REPLY',
      'trigger',
      'leads',
      tl.id,
      'the lead replied yesterday to your email (primary recipient), external domain',
      [t, o!, r!],
      DAY_DEFAULT_HOLD,
      'prospecting',
    );
    const n1 = pc({ stage: 'lead', company: null, domain: portalDomain });
    const n1l = leadOf({ stage: 'attempting-stage-id', createdAgo: 8 * D, contact: n1 });
    const [o1, r1] = exchange(n1, 3 * D, 1 * D, { lead: n1l });
    add('LEAD_AWAITING_REPLY', 'near-miss', 'leads', n1l.id, `the lead's email domain is yours (${portalDomain})`, [n1, o1!, r1!]);
    const n2 = pc({ stage: 'lead' });
    const n2l = leadOf({ stage: 'attempting-stage-id', createdAgo: 30 * D, contact: n2 });
    const [o2, r2] = exchange(n2, 22 * D, 20 * D, { lead: n2l });
    add('LEAD_AWAITING_REPLY', 'near-miss', 'leads', n2l.id, 'replied 20 days ago: the action is more than 14 days old', [n2, o2!, r2!]);
    const n3 = pc({ stage: 'lead' });
    const n3l = leadOf({ stage: 'attempting-stage-id', createdAgo: 8 * D, contact: n3 });
    const [o3, r3] = exchange(n3, 5 * D, 3 * D, { lead: n3l });
    const f3 = sent(n3, 1 * D, { thread: o3!.properties.hs_email_thread_id, lead: n3l });
    add('LEAD_AWAITING_REPLY', 'near-miss', 'leads', n3l.id, 'replied 3 days ago and you emailed the lead yesterday', [n3, o3!, r3!, f3]);
  }

  // --- 11 PREPARE_FOR_MEETING ----------------------------------------------------------------
  // Background meetings never start in [now - 2h, now + 6h], so the first one is the next.
  {
    const c = pc();
    const d = dealOf({ stage: 'presentationscheduled', createdAgo: 20 * D, contacts: [c], nextSteps: [['Run the demo', ago(1 * H)]] });
    const t = meeting({ startAgo: -90 * M, durMin: 60, contact: c, deal: d });
    add(
      'PREPARE_FOR_MEETING',
      'trigger',
      'meetings',
      t.id,
      'your next meeting starts in 90 minutes, on an open deal',
      [c, d],
      100 * M,
      'deal',
    );
    const n1 = meeting({ startAgo: -5 * H, durMin: 30, contact: c });
    add('PREPARE_FOR_MEETING', 'near-miss', 'meetings', n1.id, 'starts in 5 hours but is not your next upcoming meeting', [c], 90 * M);
    const n2 = meeting({ startAgo: -30 * H, durMin: 30, contact: c });
    add('PREPARE_FOR_MEETING', 'near-miss', 'meetings', n2.id, 'starts in 30 hours (not within the next 24 hours)', [c], 6 * H);
    const n3 = meeting({ startAgo: 40 * M, durMin: 60, contact: c });
    add('PREPARE_FOR_MEETING', 'near-miss', 'meetings', n3.id, 'started 40 minutes ago: more than 10 minutes have passed', [c]);
  }

  // --- 12 PRIORITY_TASKS_TODAY (grouped) -----------------------------------------------------
  {
    const c = pc();
    const untilMidnight = endOfLocalToday - now;
    const t1 = task({ subject: 'Send signed order form to finance', dueMs: localDay(0, 17), priority: 'HIGH', contact: c });
    add(
      'PRIORITY_TASKS_TODAY',
      'trigger',
      'tasks',
      t1.id,
      `HIGH priority, open, due today 17:00 ${rep.timeZone}`,
      [c],
      untilMidnight,
      'prospecting',
    );
    const t2 = task({ subject: 'Prepare executive briefing', dueMs: localDay(0, 9), status: 'IN_PROGRESS', priority: 'HIGH', contact: c });
    add(
      'PRIORITY_TASKS_TODAY',
      'trigger',
      'tasks',
      t2.id,
      `HIGH priority, in progress, due today 09:00 ${rep.timeZone}`,
      [c],
      untilMidnight,
      'prospecting',
    );
    const n1 = task({ subject: 'Call procurement', dueMs: localDay(1, 10), priority: 'HIGH', type: 'CALL', contact: c });
    add('PRIORITY_TASKS_TODAY', 'near-miss', 'tasks', n1.id, 'HIGH priority but due tomorrow (your time zone)', [c], untilMidnight);
    const n2 = task({ subject: 'Update forecast', dueMs: localDay(0, 11), status: 'COMPLETED', priority: 'HIGH', contact: c });
    add('PRIORITY_TASKS_TODAY', 'near-miss', 'tasks', n2.id, 'HIGH priority due today but completed', [c]);
    const n3 = task({ subject: 'Tidy up pipeline notes', dueMs: localDay(0, 15), priority: 'MEDIUM', contact: c });
    add('PRIORITY_TASKS_TODAY', 'near-miss', 'tasks', n3.id, 'due today but MEDIUM priority', [c], untilMidnight);
    const n4 = task({ subject: 'Send revised quote', dueMs: localDay(-1, 16), priority: 'HIGH', contact: c });
    add('PRIORITY_TASKS_TODAY', 'near-miss', 'tasks', n4.id, 'HIGH priority but due yesterday (overdue, not today)', [c]);
  }

  // --- 13 TARGET_ACCOUNT_ACTIVITY ------------------------------------------------------------
  {
    const taName = companyName();
    const ta = b.company({
      ownerId: O,
      name: taName,
      domain: b.uniqueDomain(taName),
      createdMs: ago(300 * D),
      lifecyclestage: 'opportunity',
      target: true,
      industry: 'FINANCIAL_SERVICES',
      employees: 2400,
    });
    const t = pc({ company: ta });
    const e = sent(t, 2 * D, { opens: 3, clicks: 1 });
    setProps(t, {
      hs_sales_email_last_opened: new Date(ago(1 * D)).toISOString(),
      hs_sales_email_last_clicked: new Date(ago(1 * D)).toISOString(),
    });
    add(
      'TARGET_ACCOUNT_ACTIVITY',
      'trigger',
      'contacts',
      t.id,
      'contact at your target account opened (3x) and clicked your email from 2 days ago',
      [ta, e],
      DAY_DEFAULT_HOLD,
      'prospecting',
    );
    const t2 = pc({ company: ta, owner: X });
    const c2 = inboundCall(t2, 1 * D, {}, X);
    add(
      'TARGET_ACCOUNT_ACTIVITY',
      'trigger',
      'contacts',
      t2.id,
      'contact (owned by another user) at your target account called in yesterday',
      [ta, c2],
      DAY_DEFAULT_HOLD,
      'prospecting',
    );
    const n1 = pc({ company: ta });
    const c3 = inboundCall(n1, 10 * D);
    add(
      'TARGET_ACCOUNT_ACTIVITY',
      'near-miss',
      'contacts',
      n1.id,
      'contact at your target account, but engaged 10 days ago (more than 7)',
      [ta, c3],
    );
    const n2 = pc();
    const c4 = inboundCall(n2, 1 * D);
    add('TARGET_ACCOUNT_ACTIVITY', 'near-miss', 'contacts', n2.id, 'engaged yesterday but the company is not a target account', [
      prospect,
      c4,
    ]);
    const oName = companyName();
    const ta2 = b.company({
      ownerId: X,
      name: oName,
      domain: b.uniqueDomain(oName),
      createdMs: ago(300 * D),
      lifecyclestage: 'opportunity',
      target: true,
    });
    const n3 = pc({ company: ta2, owner: X });
    const c5 = inboundCall(n3, 1 * D, {}, X);
    add('TARGET_ACCOUNT_ACTIVITY', 'near-miss', 'contacts', n3.id, 'target account and contact both owned by another user', [ta2, c5]);
  }

  // --- 14 RECENTLY_ENGAGED_LEAD --------------------------------------------------------------
  {
    const mk = (stage: LeadStage, engagedAgo: number, owner = O) => {
      const c = pc({ stage: 'lead', owner });
      const l = leadOf({
        stage,
        createdAgo: 20 * D,
        contact: c,
        owner,
        stageHistory: [
          ['new-stage-id', 20 * D],
          [stage, 10 * D],
        ],
      });
      const call = inboundCall(c, engagedAgo, { lead: l }, owner);
      return [l, c, call] as const;
    };
    const [t, tc, tcall] = mk('connected-stage-id', 2 * D);
    add(
      'RECENTLY_ENGAGED_LEAD',
      'trigger',
      'leads',
      t.id,
      'your open lead (Connected) called in 2 days ago',
      [tc, tcall],
      DAY_DEFAULT_HOLD,
      'prospecting',
    );
    const [n1, n1c, n1call] = mk('connected-stage-id', 12 * D);
    add('RECENTLY_ENGAGED_LEAD', 'near-miss', 'leads', n1.id, 'open lead, but the last engagement was 12 days ago', [n1c, n1call]);
    const [n2, n2c, n2call] = mk('qualified-stage-id', 1 * D);
    add('RECENTLY_ENGAGED_LEAD', 'near-miss', 'leads', n2.id, 'engaged yesterday but the lead is Qualified (closed stage)', [n2c, n2call]);
    const [n3, n3c, n3call] = mk('connected-stage-id', 1 * D, X);
    add('RECENTLY_ENGAGED_LEAD', 'near-miss', 'leads', n3.id, 'engaged yesterday but the lead is owned by another user', [n3c, n3call]);
  }

  // --- 15 UPDATE_NEXT_STEPS ------------------------------------------------------------------
  {
    const connectedCall = (deal: Rec, contact: Rec, agoMs: number) => {
      const c = b.call({
        ownerId: O,
        ms: ago(agoMs),
        title: 'Pricing discussion',
        direction: 'OUTBOUND',
        status: 'COMPLETED',
        disposition: DISPOSITION.connected,
        source: 'VOIP',
        durationMs: 12 * M,
      });
      attach('calls', c.id, { deal, contact });
      return c;
    };
    const mk = (stage: DealStage, nextStepAgo: number, callAgo: number) => {
      const c = pc();
      const d = dealOf({
        stage,
        createdAgo: 40 * D,
        contacts: [c],
        nextSteps: [
          ['Discovery call', ago(40 * D)],
          ['Send pricing proposal', ago(nextStepAgo)],
        ],
      });
      return [d, c, connectedCall(d, c, callAgo)] as const;
    };
    const [t, tc, tcall] = mk('presentationscheduled', 10 * D, 3 * D);
    add(
      'UPDATE_NEXT_STEPS',
      'trigger',
      'deals',
      t.id,
      'open deal; a call ended 3 days ago, after the next step was last changed (10 days ago)',
      [tc, tcall],
      DAY_DEFAULT_HOLD,
      'deal',
    );
    const [n1, n1c, n1call] = mk('presentationscheduled', 1 * D, 5 * D);
    add('UPDATE_NEXT_STEPS', 'near-miss', 'deals', n1.id, 'next step changed yesterday, after the last activity (5 days ago)', [
      n1c,
      n1call,
    ]);
    const [n2, n2c, n2call] = mk('presentationscheduled', 10 * D, 6 * H);
    add(
      'UPDATE_NEXT_STEPS',
      'near-miss',
      'deals',
      n2.id,
      'the activity ended only 6 hours ago (not more than 24 h)',
      [n2c, n2call],
      18 * H,
    );
    const [n3, n3c, n3call] = mk('closedlost', 10 * D, 3 * D);
    add('UPDATE_NEXT_STEPS', 'near-miss', 'deals', n3.id, 'same as the trigger but the deal is closed lost', [n3c, n3call]);
  }

  // --- 16 ADD_CONTACT_TO_DEAL ----------------------------------------------------------------
  {
    const t = dealOf({ stage: 'qualifiedtobuy', createdAgo: 9 * D });
    add(
      'ADD_CONTACT_TO_DEAL',
      'trigger',
      'deals',
      t.id,
      'open deal created 9 days ago with no associated contact',
      [prospect],
      DAY_DEFAULT_HOLD,
      'deal',
    );
    const n1 = dealOf({ stage: 'qualifiedtobuy', createdAgo: 5 * D });
    add('ADD_CONTACT_TO_DEAL', 'near-miss', 'deals', n1.id, 'no contact, but created only 5 days ago');
    const n2 = dealOf({ stage: 'qualifiedtobuy', createdAgo: 30 * D });
    add('ADD_CONTACT_TO_DEAL', 'near-miss', 'deals', n2.id, 'no contact, created 30 days ago: the action is more than 7 days old');
    const c = pc();
    const n3 = dealOf({ stage: 'qualifiedtobuy', createdAgo: 9 * D, contacts: [c] });
    add('ADD_CONTACT_TO_DEAL', 'near-miss', 'deals', n3.id, 'created 9 days ago but has a contact', [c]);
    const n4 = dealOf({ stage: 'closedlost', createdAgo: 9 * D });
    add('ADD_CONTACT_TO_DEAL', 'near-miss', 'deals', n4.id, 'no contact, 9 days old, but closed lost');
  }

  // --- 17 INITIAL_OUTREACH_NEEDED ------------------------------------------------------------
  {
    const mk = (stage: DealStage, createdAgo: number) => {
      const c = pc();
      return [dealOf({ stage, createdAgo, contacts: [c] }), c] as const;
    };
    const [t, tc] = mk('appointmentscheduled', 10 * D);
    add(
      'INITIAL_OUTREACH_NEEDED',
      'trigger',
      'deals',
      t.id,
      'deal in the first stage, created 10 days ago, no call/email/meeting/note/task',
      [tc],
      DAY_DEFAULT_HOLD,
      'deal',
    );
    const [n1, n1c] = mk('appointmentscheduled', 10 * D);
    const note = b.note({ ownerId: O, ms: ago(2 * D), body: 'Intro call planned with the champion.' });
    attach('notes', note.id, { deal: n1 });
    add('INITIAL_OUTREACH_NEEDED', 'near-miss', 'deals', n1.id, 'first stage, 10 days old, but has a note', [n1c, note]);
    const [n2, n2c] = mk('appointmentscheduled', 3 * D);
    add('INITIAL_OUTREACH_NEEDED', 'near-miss', 'deals', n2.id, 'first stage, no engagement, but created only 3 days ago', [n2c]);
    const [n3, n3c] = mk('appointmentscheduled', 20 * D);
    add('INITIAL_OUTREACH_NEEDED', 'near-miss', 'deals', n3.id, 'created 20 days ago: the action is more than 7 days old', [n3c]);
    const [n4, n4c] = mk('qualifiedtobuy', 10 * D);
    add('INITIAL_OUTREACH_NEEDED', 'near-miss', 'deals', n4.id, 'no engagement, 10 days old, but not in the first stage', [n4c]);
  }

  // --- 18 BUYER_FOLLOW_UP --------------------------------------------------------------------
  {
    const mk = (sentAgo: number, opens: number, replyAgo?: number) => {
      const c = pc();
      const d = dealOf({
        stage: 'decisionmakerboughtin',
        createdAgo: 45 * D,
        contacts: [c],
        nextSteps: [['Wait for feedback on proposal', ago(sentAgo - 1 * H)]],
      });
      const o = sent(c, sentAgo, { opens, replies: replyAgo === undefined ? 0 : 1, deal: d });
      if (opens) setProps(c, { hs_sales_email_last_opened: iso(ago(sentAgo - 1 * D)) });
      const rel: Rec[] = [c, o];
      if (replyAgo !== undefined) rel.push(replied(c, replyAgo, o.properties.hs_email_thread_id!, { deal: d }));
      return [d, rel] as const;
    };
    const [t, trel] = mk(9 * D, 2);
    add(
      'BUYER_FOLLOW_UP',
      'trigger',
      'deals',
      t.id,
      'deal contact opened your email of 9 days ago (2 opens) and has not replied',
      trel,
      DAY_DEFAULT_HOLD,
      'deal',
    );
    const [n1, n1rel] = mk(9 * D, 2, 8 * D);
    add('BUYER_FOLLOW_UP', 'near-miss', 'deals', n1.id, 'opened and replied 8 days ago', n1rel);
    const [n2, n2rel] = mk(3 * D, 2);
    add('BUYER_FOLLOW_UP', 'near-miss', 'deals', n2.id, 'opened, but the email is only 3 days old', n2rel);
    const [n3, n3rel] = mk(9 * D, 0);
    add('BUYER_FOLLOW_UP', 'near-miss', 'deals', n3.id, 'no reply after 9 days, but never opened', n3rel);
    const [n4, n4rel] = mk(20 * D, 2);
    add('BUYER_FOLLOW_UP', 'near-miss', 'deals', n4.id, 'opened email of 20 days ago: the action is more than 7 days old', n4rel);
  }

  // --- health: one customer per category ---------------------------------------------------------
  const outreach: OutreachFn = (contact, agoMs, company) => {
    const c = b.call({
      ownerId: O,
      ms: ago(agoMs),
      title: 'Account check-in',
      direction: 'OUTBOUND',
      status: 'COMPLETED',
      disposition: DISPOSITION.connected,
      source: 'VOIP',
      durationMs: 15 * M,
    });
    attach('calls', c.id, { contact, company });
  };
  plantHealth(b, rep, health, pc, inboundCall, meeting, outreach, (contact, sentAgo, replyAgo, company) =>
    exchange(contact, sentAgo, replyAgo, { company }),
  );
}

function refOf(r: Rec): string {
  // ids are range-partitioned by type (builder.ts ID_BASE)
  const n = Number(r.id);
  const type: ObjType =
    n >= 100_000_001
      ? 'notes'
      : n >= 90_000_001
        ? 'meetings'
        : n >= 80_000_001
          ? 'emails'
          : n >= 70_000_001
            ? 'calls'
            : n >= 60_000_001
              ? 'tasks'
              : n >= 50_000_001
                ? 'tickets'
                : n >= 40_000_001
                  ? 'leads'
                  : n >= 30_000_001
                    ? 'deals'
                    : n >= 20_000_001
                      ? 'contacts'
                      : 'companies';
  return `${type}/${r.id}`;
}

type PcFn = (o?: { owner?: string | null; stage?: string; company?: Rec | null }) => Rec;
type CallFn = (contact: Rec, agoMs: number, l?: { company?: Rec }, owner?: string) => Rec;
type OutreachFn = (contact: Rec, agoMs: number, company: Rec) => void;
type ExchangeFn = (contact: Rec, sentAgo: number, replyAgo: number, company: Rec) => Rec[];
type MeetingFn = (o: { startAgo: number; contact?: Rec; company?: Rec; outcome?: 'SCHEDULED' | 'COMPLETED' }) => Rec;

function plantHealth(
  b: PortalBuilder,
  rep: Person,
  health: HealthCase[],
  pc: PcFn,
  inboundCall: CallFn,
  meeting: MeetingFn,
  outreach: OutreachFn,
  exchangeWith: ExchangeFn,
): void {
  const { now, rng } = b;
  const profiles: Array<{
    expected: HealthCategory;
    sentiment: string;
    nps: number;
    renewalIn: number;
    tickets: number[];
    lastActivity: number;
  }> = [
    { expected: 'GOOD', sentiment: 'Positive', nps: 9, renewalIn: 200, tickets: [], lastActivity: 4 },
    { expected: 'NEUTRAL', sentiment: 'Neutral', nps: 7, renewalIn: 90, tickets: [12], lastActivity: 35 },
    { expected: 'AT_RISK', sentiment: 'Negative', nps: 3, renewalIn: 25, tickets: [20, 45, 80], lastActivity: 95 },
  ];
  for (const p of profiles) {
    const name = `${rng.pick(COMPANY_WORDS_A)} ${rng.pick(COMPANY_WORDS_B)}`;
    const co = b.company({
      ownerId: rep.ownerId,
      name,
      domain: b.uniqueDomain(name),
      createdMs: now - 700 * D,
      lifecyclestage: 'customer',
      renewalMs: now + p.renewalIn * D,
      sentiment: p.sentiment,
      nps: p.nps,
      industry: 'RETAIL',
      employees: 300,
    });
    const c1 = pc({ stage: 'customer', company: co });
    const c2 = pc({ stage: 'customer', company: co });
    const won = b.deal({
      ownerId: rep.ownerId,
      name: `${name} – Annual subscription`,
      stage: 'closedwon',
      createdMs: now - 420 * D,
      closeMs: now - (365 - p.renewalIn) * D,
      amount: 24_000,
      dealtype: 'newbusiness',
    });
    b.link('deals', won.id, 'companies', co.id);
    b.link('deals', won.id, 'contacts', c1.id);
    inboundCall(c1, p.lastActivity * D, { company: co }, rep.ownerId);
    // recent cadence: GOOD meets and talks often, NEUTRAL a little, AT_RISK has gone quiet
    if (p.expected === 'GOOD') {
      meeting({ startAgo: 12 * D, contact: c2, company: co, outcome: 'COMPLETED' });
      for (const a of [6, 9, 15, 21]) outreach(c2, a * D, co);
      exchangeWith(c1, 8 * D, 7 * D, co);
    } else if (p.expected === 'NEUTRAL') {
      meeting({ startAgo: 50 * D, contact: c2, company: co, outcome: 'COMPLETED' });
      for (const a of [18, 26]) outreach(c2, a * D, co);
    }
    co.properties.notes_last_updated = new Date(now - p.lastActivity * D).toISOString();
    const closedT = b.ticket({
      ownerId: rep.ownerId,
      subject: 'Onboarding question',
      stage: '4',
      priority: 'LOW',
      createdMs: now - 150 * D,
      closedMs: now - 148 * D,
    });
    b.link('companies', co.id, 'tickets', closedT.id);
    p.tickets.forEach((age, i) => {
      const t = b.ticket({
        ownerId: rep.ownerId,
        subject: i === 0 ? 'Data import error' : i === 1 ? 'Slow dashboard' : 'SSO login fails',
        stage: i === 1 ? '2' : '1',
        priority: i === 2 ? 'HIGH' : 'MEDIUM',
        createdMs: now - age * D,
      });
      b.link('companies', co.id, 'tickets', t.id);
      b.link('contacts', c1.id, 'tickets', t.id);
    });
    health.push({
      expected: p.expected,
      companyId: co.id,
      userId: rep.userId,
      ownerId: rep.ownerId,
      signals: {
        hs_csm_sentiment: p.sentiment,
        nps_score: p.nps,
        renewal_date: co.properties.renewal_date!,
        openTickets: p.tickets.length,
        oldestOpenTicketDays: p.tickets.length ? Math.max(...p.tickets) : 0,
        lastActivityDaysAgo: p.lastActivity,
      },
    });
  }
}
