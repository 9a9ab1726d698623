// Bulk records that make a portal look lived-in: uneven books (Zipf-like owners), activity
// decaying with age, opens and replies on a fraction of emails, customers in every health
// category. Background engagements only attach to background records (planted cases stay exact).
import { type PortalBuilder, type Person, type Rec, D, H, M, iso } from './builder';
import { cumulative, zipfWeights } from './rng';
import {
  CITIES,
  COMPANY_SUFFIX,
  COMPANY_WORDS_A,
  COMPANY_WORDS_B,
  CONTACT_STAGES,
  CSM_SENTIMENT,
  CUSTOM_DISPOSITION,
  DISPOSITION,
  EMAIL_BODIES,
  EMAIL_SUBJECTS,
  FIRST_NAMES,
  FREEMAIL_DOMAINS,
  INDUSTRIES,
  JOB_TITLES,
  LAST_NAMES,
  MEETING_TITLES,
  NEXT_STEPS,
  NOTE_BODIES,
  REPLY_BODIES,
  TASK_SUBJECTS,
  TICKET_SUBJECTS,
  type DealStage,
  type LeadStage,
} from './vocab';
import type { SequenceDef } from './planted';

export interface BackgroundCounts {
  companies: number;
  contacts: number;
  deals: number;
  leads: number;
  tasks: number;
  calls: number;
  emails: number;
  meetings: number;
  notes: number;
}

export interface BackgroundStats {
  healthProfiles: { GOOD: number; NEUTRAL: number; AT_RISK: number };
}

const PROFILE_NONE = 0;
const PROFILE_GOOD = 1;
const PROFILE_NEUTRAL = 2;
const PROFILE_AT_RISK = 3;
/** engagements with a customer's contacts are at least this old, by health profile (days) */
const MIN_AGE_DAYS = [0, 0, 21, 60];

const DISPOSITIONS = [
  DISPOSITION.connected,
  DISPOSITION.connected,
  DISPOSITION.connected,
  DISPOSITION.leftVoicemail,
  DISPOSITION.leftLiveMessage,
  DISPOSITION.noAnswer,
  DISPOSITION.busy,
  DISPOSITION.wrongNumber,
  CUSTOM_DISPOSITION.id,
];
const TASK_TYPES = ['TODO', 'TODO', 'TODO', 'TODO', 'CALL', 'CALL', 'CALL', 'EMAIL', 'EMAIL', 'LINKED_IN_CONNECT'] as const;
const PRIORITIES = ['HIGH', 'HIGH', 'MEDIUM', 'MEDIUM', 'MEDIUM', 'LOW', 'LOW', 'NONE', 'NONE', undefined] as const;
const OPEN_STATUSES_PAST = ['NOT_STARTED', 'NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'DEFERRED'] as const;
const OPEN_STATUSES_FUTURE = [
  'NOT_STARTED',
  'NOT_STARTED',
  'NOT_STARTED',
  'NOT_STARTED',
  'IN_PROGRESS',
  'IN_PROGRESS',
  'WAITING',
  'DEFERRED',
] as const;
const LEAD_STAGE_MIX: LeadStage[] = [
  'new-stage-id',
  'new-stage-id',
  'new-stage-id',
  'attempting-stage-id',
  'attempting-stage-id',
  'attempting-stage-id',
  'connected-stage-id',
  'connected-stage-id',
  'qualified-stage-id',
  'qualified-stage-id',
  'unqualified-stage-id',
  'unqualified-stage-id',
];
const OPEN_STAGE_MIX: DealStage[] = [
  'appointmentscheduled',
  'appointmentscheduled',
  'appointmentscheduled',
  'qualifiedtobuy',
  'qualifiedtobuy',
  'presentationscheduled',
  'presentationscheduled',
  'decisionmakerboughtin',
  'contractsent',
];
const DISQ_REASONS = ['NO_BUDGET', 'NOT_A_FIT', 'NO_RESPONSE', 'COMPETITOR', 'TIMING'];

export function generateBackground(
  b: PortalBuilder,
  owners: Person[],
  formerOwnerId: string,
  sequencesByOwner: Map<string, SequenceDef[]>,
  n: BackgroundCounts,
): BackgroundStats {
  const { rng, now } = b;
  const cumOwners = cumulative(zipfWeights(owners.length, 0.8));
  const zipfOwner = () => rng.weighted(cumOwners);
  const nOwners = owners.length;
  /** start of the owner's local day (offset fixed at `now`; fine for background data) */
  const localDay = (oi: number, dayOffset: number) => {
    const off = owners[oi]!.offsetMs;
    return Math.floor((now + off) / D) * D - off + dayOffset * D;
  };

  // ---- companies --------------------------------------------------------------------------------
  const coStart = b.objects.companies.length;
  const coOwner = new Int16Array(n.companies);
  const coProfile = new Int8Array(n.companies);
  const coRenewal = new Float64Array(n.companies);
  const stats: BackgroundStats = { healthProfiles: { GOOD: 0, NEUTRAL: 0, AT_RISK: 0 } };
  for (let i = 0; i < n.companies; i++) {
    const oi = rng.chance(0.04) ? -1 : zipfOwner();
    coOwner[i] = oi;
    const name = `${rng.pick(COMPANY_WORDS_A)} ${rng.pick(COMPANY_WORDS_B)}${rng.pick(COMPANY_SUFFIX)}`;
    const customer = rng.chance(0.4);
    let profile = PROFILE_NONE;
    let renewalMs: number | undefined;
    let sentiment: string | undefined;
    let nps: number | undefined;
    if (customer) {
      const x = rng.next();
      profile = x < 0.45 ? PROFILE_GOOD : x < 0.78 ? PROFILE_NEUTRAL : PROFILE_AT_RISK;
      if (profile === PROFILE_GOOD) {
        stats.healthProfiles.GOOD++;
        renewalMs = now + rng.between(60, 365) * D;
        sentiment = rng.chance(0.85) ? 'Positive' : 'Neutral';
        nps = rng.chance(0.8) ? rng.between(9, 10) : 8;
      } else if (profile === PROFILE_NEUTRAL) {
        stats.healthProfiles.NEUTRAL++;
        renewalMs = now + rng.between(30, 200) * D;
        sentiment = rng.chance(0.7) ? 'Neutral' : rng.pick(CSM_SENTIMENT);
        nps = rng.between(6, 8);
      } else {
        stats.healthProfiles.AT_RISK++;
        renewalMs = rng.chance(0.1) ? now - rng.between(1, 20) * D : now + rng.between(5, 60) * D;
        sentiment = rng.chance(0.8) ? 'Negative' : 'Neutral';
        nps = rng.between(0, 6);
      }
      if (rng.chance(0.1)) sentiment = undefined;
      if (rng.chance(0.2)) nps = undefined;
      coRenewal[i] = renewalMs;
    }
    coProfile[i] = profile;
    const [city, country] = rng.pick(CITIES);
    b.company({
      ownerId: oi >= 0 ? owners[oi]!.ownerId : undefined,
      name,
      domain: b.uniqueDomain(name),
      createdMs: now - Math.min(2000, customer ? 200 + rng.exp(500) : 10 + rng.exp(400)) * D,
      lifecyclestage: customer
        ? 'customer'
        : rng.pick(['lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'opportunity']),
      industry: rng.pick(INDUSTRIES),
      city,
      country,
      employees: Math.round(5 + rng.exp(400)),
      target: rng.chance(customer ? 0.04 : 0.07),
      renewalMs,
      sentiment,
      nps,
    });
  }
  const companies = b.objects.companies;
  // "type/id" strings built once and shared by all associations of a record
  const coRef: string[] = [];
  for (let i = 0; i < n.companies; i++) coRef.push(`companies/${companies[coStart + i]!.id}`);

  // ---- contacts ---------------------------------------------------------------------------------
  const ctStart = b.objects.contacts.length;
  const ctCompany = new Int32Array(n.contacts);
  const ctOwner = new Int16Array(n.contacts);
  const ctCreated = new Float64Array(n.contacts);
  const ctDeal = new Int32Array(n.contacts).fill(-1);
  const byCompany: number[][] = Array.from({ length: n.companies }, () => []);
  for (let i = 0; i < n.contacts; i++) {
    const ci = n.companies > 0 && rng.chance(0.93) ? rng.int(n.companies) : -1;
    ctCompany[i] = ci;
    const co = ci >= 0 ? companies[coStart + ci]! : undefined;
    const customer = ci >= 0 && coProfile[ci] !== PROFILE_NONE;
    let oi: number;
    if (rng.chance(0.04)) oi = -1;
    else if (ci >= 0 && coOwner[ci]! >= 0 && rng.chance(0.8)) oi = coOwner[ci]!;
    else oi = zipfOwner();
    ctOwner[i] = oi;
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const createdMs = now - Math.round(((customer ? 90 + rng.exp(300) : 1 + rng.exp(250)) * D) / H) * H;
    ctCreated[i] = createdMs;
    let history: Array<[string, number]> | undefined;
    if (oi >= 0) {
      history = [[owners[oi]!.ownerId, createdMs]];
      if (rng.chance(0.18)) {
        const prev = rng.chance(0.3) ? formerOwnerId : owners[(oi + 1 + rng.int(nOwners - 1)) % nOwners]!.ownerId;
        const switchMs = createdMs + Math.floor(rng.next() * (now - createdMs));
        if (prev !== history[0]![0])
          history = [
            [prev, createdMs],
            [owners[oi]!.ownerId, switchMs],
          ];
      }
    }
    b.contact({
      ownerId: oi >= 0 ? owners[oi]!.ownerId : undefined,
      ownerHistory: history,
      firstName: first,
      lastName: last,
      email: b.uniqueEmail(`${first}.${last}`, co ? co.properties.domain! : rng.pick(FREEMAIL_DOMAINS)),
      lifecyclestage: customer ? (rng.chance(0.08) ? 'evangelist' : 'customer') : rng.pick(CONTACT_STAGES),
      createdMs,
      companyId: co?.id,
      companyName: co?.properties.name,
      jobtitle: rng.pick(JOB_TITLES),
    });
    if (ci >= 0) byCompany[ci]!.push(i);
  }
  const contacts = b.objects.contacts;
  const ctRef: string[] = [];
  for (let i = 0; i < n.contacts; i++) ctRef.push(`contacts/${contacts[ctStart + i]!.id}`);
  const ownerIdOf = (oi: number) => (oi >= 0 ? owners[oi]!.ownerId : owners[zipfOwner()]!.ownerId);

  // ---- deals ------------------------------------------------------------------------------------
  const dealStart = b.objects.deals.length;
  for (let i = 0; i < n.deals; i++) {
    let ct = rng.int(n.contacts);
    for (let k = 0; k < 5 && ctCompany[ct]! < 0; k++) ct = rng.int(n.contacts);
    const ci = ctCompany[ct]!;
    const customer = ci >= 0 && coProfile[ci] !== PROFILE_NONE;
    const oi = ci >= 0 && coOwner[ci]! >= 0 ? coOwner[ci]! : ctOwner[ct]! >= 0 ? ctOwner[ct]! : zipfOwner();
    const coName = ci >= 0 ? companies[coStart + ci]!.properties.name! : `${contacts[ctStart + ct]!.properties.lastname} household`;
    let stage: DealStage;
    let dealtype: 'newbusiness' | 'existingbusiness' = 'newbusiness';
    let createdMs = now - Math.round(((1 + rng.exp(120)) * D) / H) * H;
    let closeMs: number;
    if (customer && coRenewal[ci]! - now < 120 * D && rng.chance(0.6)) {
      stage = coRenewal[ci]! < now ? 'contractsent' : rng.pick(['decisionmakerboughtin', 'contractsent', 'presentationscheduled'] as const);
      dealtype = 'existingbusiness';
      createdMs = Math.min(createdMs, coRenewal[ci]! - 100 * D);
      closeMs = Math.max(coRenewal[ci]!, now + D);
    } else {
      const x = rng.next();
      stage = customer
        ? x < 0.75
          ? 'closedwon'
          : x < 0.85
            ? 'closedlost'
            : rng.pick(OPEN_STAGE_MIX)
        : x < 0.55
          ? rng.pick(OPEN_STAGE_MIX)
          : x < 0.78
            ? 'closedwon'
            : 'closedlost';
      if (customer && stage === 'closedwon') dealtype = rng.chance(0.5) ? 'existingbusiness' : 'newbusiness';
      const closed = stage === 'closedwon' || stage === 'closedlost';
      closeMs = closed ? createdMs + Math.floor(rng.next() * (now - createdMs)) : now + rng.between(3, 120) * D;
    }
    const open = stage !== 'closedwon' && stage !== 'closedlost';
    let nextSteps: Array<[string, number]> | undefined;
    if (open && rng.chance(0.65)) {
      nextSteps = [];
      const k = rng.between(1, 3);
      let t = createdMs;
      for (let s = 0; s < k; s++) {
        t += Math.floor(rng.next() * (now - t) * 0.6);
        nextSteps.push([rng.pick(NEXT_STEPS), t]);
      }
    }
    const d = b.deal({
      ownerId: owners[oi]!.ownerId,
      name: `${coName} – ${dealtype === 'existingbusiness' ? 'Renewal' : rng.pick(['Platform', 'Expansion', 'Pilot', 'Enterprise plan', 'Add-on seats'])}`,
      stage,
      createdMs,
      closeMs,
      amount: Math.round(1_000 + rng.exp(20_000)),
      dealtype,
      nextSteps,
      stageHistory: open
        ? undefined
        : [
            ['appointmentscheduled', createdMs],
            [stage, closeMs],
          ],
    });
    if (ci >= 0) b.link('deals', d.id, 'companies', companies[coStart + ci]!.id);
    // most deals have contacts; a few open ones have none yet (ADD_CONTACT_TO_DEAL in the wild)
    if (!(open && rng.chance(0.04))) {
      const pool = ci >= 0 ? byCompany[ci]! : [ct];
      const k = Math.min(pool.length, rng.between(1, 3));
      const start = rng.int(pool.length);
      for (let j = 0; j < k; j++) {
        const cj = pool[(start + j) % pool.length]!;
        b.link('deals', d.id, 'contacts', contacts[ctStart + cj]!.id);
        if (ctDeal[cj]! < 0 || open) ctDeal[cj] = i;
      }
    }
  }
  const deals = b.objects.deals;
  const dealRef: string[] = [];
  for (let i = 0; i < n.deals; i++) dealRef.push(`deals/${deals[dealStart + i]!.id}`);

  // ---- leads ------------------------------------------------------------------------------------
  for (let i = 0; i < n.leads; i++) {
    let ct = rng.int(n.contacts);
    for (let k = 0; k < 5 && ctCompany[ct]! >= 0 && coProfile[ctCompany[ct]!] !== PROFILE_NONE; k++) ct = rng.int(n.contacts);
    const contact = contacts[ctStart + ct]!;
    const oi = ctOwner[ct]! >= 0 ? ctOwner[ct]! : zipfOwner();
    const stage = rng.pick(LEAD_STAGE_MIX);
    const createdMs = now - Math.round(((1 + rng.exp(40)) * D) / H) * H;
    const stageHistory: Array<[string, number]> = [['new-stage-id', createdMs]];
    if (stage !== 'new-stage-id') stageHistory.push([stage, createdMs + Math.floor(rng.next() * (now - createdMs))]);
    let ownerHistory: Array<[string, number]> | undefined;
    if (rng.chance(0.15)) {
      const prev = owners[(oi + 1 + rng.int(nOwners - 1)) % nOwners]!.ownerId;
      ownerHistory = [
        [prev, createdMs],
        [owners[oi]!.ownerId, createdMs + Math.floor(rng.next() * (now - createdMs))],
      ];
    }
    const l = b.lead({
      ownerId: owners[oi]!.ownerId,
      ownerHistory,
      name: `${contact.properties.firstname} ${contact.properties.lastname}`,
      stage,
      createdMs,
      contactId: contact.id,
      stageHistory,
      label: rng.pick(['HOT', 'WARM', 'WARM', 'COLD']),
      type: rng.chance(0.8) ? 'NEW BUSINESS' : 'UPSELL',
      disqualificationReason: stage === 'unqualified-stage-id' ? rng.pick(DISQ_REASONS) : undefined,
    });
    if (stage === 'unqualified-stage-id') contact.properties.hs_latest_disqualified_lead_date = iso(stageHistory[1]![1]);
    const ci = ctCompany[ct]!;
    if (ci >= 0) b.link('leads', l.id, 'companies', companies[coStart + ci]!.id);
  }

  // ---- tickets (customers: open tickets by health profile, plus closed history) ------------------
  for (let ci = 0; ci < n.companies; ci++) {
    const prof = coProfile[ci]!;
    if (prof === PROFILE_NONE) continue;
    const open = prof === PROFILE_GOOD ? (rng.chance(0.3) ? 1 : 0) : prof === PROFILE_NEUTRAL ? rng.between(1, 2) : rng.between(2, 4);
    const closed = rng.between(0, 3);
    const oi = coOwner[ci]!;
    for (let k = 0; k < open + closed; k++) {
      const isOpen = k < open;
      const ageDays = isOpen
        ? prof === PROFILE_GOOD
          ? rng.between(0, 5)
          : prof === PROFILE_NEUTRAL
            ? rng.between(5, 30)
            : rng.between(15, 120)
        : rng.between(20, 400);
      const createdMs = now - ageDays * D - rng.int(24) * H;
      const t = b.ticket({
        ownerId: oi >= 0 ? owners[oi]!.ownerId : undefined,
        subject: rng.pick(TICKET_SUBJECTS),
        stage: isOpen ? rng.pick(['1', '2', '3']) : '4',
        priority: rng.pick(['LOW', 'MEDIUM', 'MEDIUM', 'HIGH'] as const),
        createdMs,
        closedMs: isOpen ? undefined : createdMs + rng.between(1, 15) * D,
      });
      b.link('companies', companies[coStart + ci]!.id, 'tickets', t.id);
      const pool = byCompany[ci]!;
      if (pool.length) b.link('contacts', contacts[ctStart + pool[rng.int(pool.length)]!]!.id, 'tickets', t.id);
    }
  }

  // ---- engagements ------------------------------------------------------------------------------
  const lastAct = new Float64Array(n.contacts);
  const coLastAct = new Float64Array(n.companies);
  const dealLastAct = new Float64Array(n.deals);
  const lastOpened = new Float64Array(n.contacts);
  const lastReplied = new Float64Array(n.contacts);

  /** a past moment for an activity with this contact: decays with age, honours health profile */
  const pastMs = (ct: number, meanDays: number) => {
    const ci = ctCompany[ct]!;
    const minAge = ci >= 0 ? MIN_AGE_DAYS[coProfile[ci]!]! : 0;
    let ms = now - (minAge * D + rng.exp(meanDays * D)) - rng.int(60) * M;
    const created = ctCreated[ct]!;
    if (ms < created) ms = created + rng.int(Math.max(1, Math.min(now - created - minAge * D, 30 * D)));
    if (ms > now - 10 * M) ms = now - 10 * M - rng.int(6) * H;
    return Math.round(ms / 1000) * 1000;
  };
  const touch = (ct: number, ms: number, deal: number) => {
    if (ms > lastAct[ct]!) lastAct[ct] = ms;
    const ci = ctCompany[ct]!;
    if (ci >= 0 && ms > coLastAct[ci]!) coLastAct[ci] = ms;
    if (deal >= 0 && ms > dealLastAct[deal]!) dealLastAct[deal] = ms;
  };
  /** associates an engagement with its contact, often its company, and its deal when there is one */
  const attach = (type: 'tasks' | 'calls' | 'emails' | 'meetings' | 'notes', id: string, ct: number): number => {
    const er = `${type}/${id}`;
    b.linkRefs(ctRef[ct]!, er);
    const ci = ctCompany[ct]!;
    if (ci >= 0 && rng.chance(0.9)) b.linkRefs(coRef[ci]!, er);
    const di = ctDeal[ct]!;
    if (di >= 0 && rng.chance(0.6)) {
      b.linkRefs(dealRef[di]!, er);
      return di;
    }
    return -1;
  };
  const ownerIdx = (ct: number) => (ctOwner[ct]! >= 0 ? ctOwner[ct]! : zipfOwner());

  // tasks: due dates spread over ±30 days around now, every status and priority
  for (let i = 0; i < n.tasks; i++) {
    const ct = rng.int(n.contacts);
    const oi = ownerIdx(ct);
    const dayOffset = rng.between(-30, 30);
    const allDay = rng.chance(0.08);
    const dueMs = allDay ? Math.floor((now + dayOffset * D) / D) * D : localDay(oi, dayOffset) + rng.between(8 * 4, 18 * 4) * 15 * M;
    const past = dueMs < now;
    const status = past
      ? rng.chance(0.68)
        ? 'COMPLETED'
        : rng.pick(OPEN_STATUSES_PAST)
      : rng.chance(0.08)
        ? 'COMPLETED'
        : rng.pick(OPEN_STATUSES_FUTURE);
    const type = rng.pick(TASK_TYPES);
    const seqs = sequencesByOwner.get(owners[oi]!.ownerId);
    const isSeq = seqs !== undefined && type !== 'TODO' && rng.chance(0.25);
    const createdMs = Math.min(now - H, dueMs) - rng.between(1, 14) * D;
    const completedMs =
      status === 'COMPLETED' ? Math.max(createdMs + H, Math.min(now - 5 * M, dueMs + rng.between(-48, 24) * H)) : undefined;
    const contactId = contacts[ctStart + ct]!.id;
    let seqName = '';
    let sequence: { stepOrder: number; enrollmentId: string; contactId: string; active: boolean } | undefined;
    if (isSeq) {
      const seq = rng.pick(seqs);
      seqName = seq.name;
      // Tasks come from the sequence's TASK steps (2..4 in the generated sequences, index.ts).
      sequence = {
        stepOrder: rng.between(2, 4),
        enrollmentId: b.enroll(seq, contactId, createdMs),
        contactId,
        active: status !== 'COMPLETED',
      };
      const cp = contacts[ctStart + ct]!.properties;
      cp.hs_sequences_is_enrolled = sequence.active ? 'true' : 'false';
      cp.hs_latest_sequence_enrolled = seq.id;
      cp.hs_latest_sequence_enrolled_date = iso(createdMs);
    }
    const subjects = TASK_SUBJECTS[type];
    const t = b.task({
      ownerId: owners[oi]!.ownerId,
      subject: sequence ? `${seqName}: step ${sequence.stepOrder}` : rng.pick(subjects),
      dueMs,
      status,
      priority: rng.pick(PRIORITIES),
      type,
      createdMs,
      completedMs,
      allDay,
      sequence,
    });
    attach('tasks', t.id, ct);
  }

  // calls: HubSpot calling (VOIP), calling apps and manual logs; with and without outcomes
  for (let i = 0; i < n.calls; i++) {
    const ct = rng.int(n.contacts);
    const oi = ownerIdx(ct);
    const ms = pastMs(ct, 40);
    const x = rng.next();
    const source = x < 0.55 ? 'VOIP' : x < 0.7 ? 'INTEGRATIONS_PLATFORM' : 'CRM_UI';
    const inbound = rng.chance(0.2);
    let status: string | undefined;
    if (source === 'CRM_UI') status = rng.chance(0.6) ? 'COMPLETED' : undefined;
    else {
      const y = rng.next();
      status = y < 0.7 ? 'COMPLETED' : y < 0.85 ? 'NO_ANSWER' : y < 0.9 ? 'BUSY' : y < 0.95 ? 'FAILED' : 'CANCELED';
    }
    const answered = status === 'COMPLETED' || status === undefined;
    const disposition = answered
      ? rng.chance(0.75)
        ? rng.pick(DISPOSITIONS)
        : undefined
      : status === 'NO_ANSWER' && rng.chance(0.5)
        ? DISPOSITION.noAnswer
        : undefined;
    const c = b.call({
      ownerId: owners[oi]!.ownerId,
      ms,
      title: `${inbound ? 'Call from' : 'Call with'} ${contacts[ctStart + ct]!.properties.firstname}`,
      direction: inbound ? 'INBOUND' : 'OUTBOUND',
      status,
      disposition,
      source: source as 'VOIP',
      durationMs: answered ? rng.between(30, 1500) * 1000 : rng.between(0, 40) * 1000,
    });
    touch(ct, ms, attach('calls', c.id, ct));
  }

  // emails: outgoing from the rep; opens, clicks, and replies in the same thread
  for (let i = 0; i < n.emails; i++) {
    const ct = rng.int(n.contacts);
    const oi = ownerIdx(ct);
    const rep = owners[oi]!;
    const ms = pastMs(ct, 35);
    const opened = rng.chance(0.45);
    const replyMs = rng.chance(0.12) ? ms + rng.between(1, 72) * H + rng.int(60) * M : Infinity;
    const replied = replyMs < now - 5 * M;
    const thread = b.thread();
    const to = contacts[ctStart + ct]!.properties.email!;
    const seqs = sequencesByOwner.get(rep.ownerId);
    const subject = rng.pick(EMAIL_SUBJECTS);
    const e = b.email({
      ownerId: rep.ownerId,
      ms,
      direction: 'EMAIL',
      subject,
      text: rng.pick(EMAIL_BODIES),
      from: rep.email,
      to,
      thread,
      opens: opened || replied ? rng.between(1, 6) : 0,
      clicks: opened && rng.chance(0.25) ? rng.between(1, 3) : 0,
      replies: replied ? 1 : 0,
      sequenceId: seqs && rng.chance(0.15) ? rng.pick(seqs).id : undefined,
    });
    const di = attach('emails', e.id, ct);
    touch(ct, ms, di);
    if (opened || replied) lastOpened[ct] = Math.max(lastOpened[ct]!, ms + H);
    if (replied) {
      const r = b.email({
        ownerId: rep.ownerId,
        ms: replyMs,
        direction: 'INCOMING_EMAIL',
        subject: `Re: ${subject}`,
        text: rng.pick(REPLY_BODIES),
        from: to,
        to: rep.email,
        thread,
      });
      const rr = `emails/${r.id}`;
      b.linkRefs(ctRef[ct]!, rr);
      if (di >= 0) b.linkRefs(dealRef[di]!, rr);
      touch(ct, replyMs, di);
      if (replyMs > lastReplied[ct]!) lastReplied[ct] = replyMs;
    }
  }

  // meetings: past (mostly completed) and upcoming; none start in [now-2h, now+6h] so the
  // planted PREPARE_FOR_MEETING meeting is each demo rep's next one
  for (let i = 0; i < n.meetings; i++) {
    const ct = rng.int(n.contacts);
    const oi = ownerIdx(ct);
    const upcoming = rng.chance(0.2);
    let start: number;
    if (upcoming) {
      start = localDay(oi, rng.between(0, 30)) + rng.between(8 * 2, 17 * 2) * 30 * M;
      if (start < now + 6 * H) start += rng.between(1, 5) * D;
    } else {
      const p = pastMs(ct, 30);
      start = localDay(oi, Math.floor((p - now) / D)) + rng.between(8 * 2, 17 * 2) * 30 * M;
      if (start > now - 2 * H) start -= D;
    }
    const dur = rng.pick([30, 30, 45, 60, 60, 90]) * M;
    const outcome = upcoming
      ? rng.chance(0.9)
        ? 'SCHEDULED'
        : 'RESCHEDULED'
      : rng.pick([
          'COMPLETED',
          'COMPLETED',
          'COMPLETED',
          'COMPLETED',
          'COMPLETED',
          'COMPLETED',
          'NO_SHOW',
          'CANCELED',
          'RESCHEDULED',
          'SCHEDULED',
        ] as const);
    const m = b.meeting({
      ownerId: owners[oi]!.ownerId,
      startMs: start,
      endMs: start + dur,
      title: rng.pick(MEETING_TITLES),
      outcome,
      createdMs: Math.min(now - H, start - rng.between(1, 20) * D),
      url: rng.chance(0.6) ? `https://meet.example.com/m-${b.objects.meetings.length + 1}` : undefined,
      location: rng.chance(0.2) ? 'Customer office' : undefined,
    });
    const di = attach('meetings', m.id, ct);
    if (!upcoming) touch(ct, start, di);
  }

  // notes
  for (let i = 0; i < n.notes; i++) {
    const ct = rng.int(n.contacts);
    const ms = pastMs(ct, 60);
    const nt = b.note({ ownerId: ownerIdOf(ctOwner[ct]!), ms, body: rng.pick(NOTE_BODIES) });
    touch(ct, ms, attach('notes', nt.id, ct));
  }

  // customer-success cadence: healthy customers meet and talk often, neutral ones less; at-risk
  // ones have gone quiet (MIN_AGE_DAYS above). Keeps the health categories apart under a
  // sensible score (engagement recency and volume weigh most in the default profile).
  for (let ci = 0; ci < n.companies; ci++) {
    const prof = coProfile[ci]!;
    const pool = byCompany[ci]!;
    if ((prof !== PROFILE_GOOD && prof !== PROFILE_NEUTRAL) || pool.length === 0) continue;
    const good = prof === PROFILE_GOOD;
    const ctOf = () => pool[rng.int(pool.length)]!;
    {
      const ct = ctOf();
      const oi = ownerIdx(ct);
      const start = localDay(oi, -(good ? rng.between(3, 25) : rng.between(35, 80))) + rng.between(9 * 2, 16 * 2) * 30 * M;
      const m = b.meeting({
        ownerId: owners[oi]!.ownerId,
        startMs: start,
        endMs: start + 45 * M,
        title: good ? 'Quarterly business review' : 'Check-in',
        outcome: 'COMPLETED',
        createdMs: start - rng.between(2, 15) * D,
        url: `https://meet.example.com/m-${b.objects.meetings.length + 1}`,
      });
      touch(ct, start, attach('meetings', m.id, ct));
    }
    const touches = good ? rng.between(4, 7) : rng.between(2, 3);
    for (let k = 0; k < touches; k++) {
      const ct = ctOf();
      const oi = ownerIdx(ct);
      const ms = now - rng.between(good ? 1 : 5, 28) * D - rng.int(600) * M;
      if (rng.chance(0.5)) {
        const c = b.call({
          ownerId: owners[oi]!.ownerId,
          ms,
          title: `Call with ${contacts[ctStart + ct]!.properties.firstname}`,
          direction: 'OUTBOUND',
          status: 'COMPLETED',
          disposition: DISPOSITION.connected,
          source: 'VOIP',
          durationMs: rng.between(120, 1800) * 1000,
        });
        touch(ct, ms, attach('calls', c.id, ct));
      } else {
        const rep = owners[oi]!;
        const to = contacts[ctStart + ct]!.properties.email!;
        const thread = b.thread();
        const subject = rng.pick(EMAIL_SUBJECTS);
        const reply = good && k === 0;
        const replyMs = ms + rng.between(2, 20) * H;
        const e = b.email({
          ownerId: rep.ownerId,
          ms,
          direction: 'EMAIL',
          subject,
          text: rng.pick(EMAIL_BODIES),
          from: rep.email,
          to,
          thread,
          opens: rng.between(1, 4),
          clicks: 0,
          replies: reply ? 1 : 0,
        });
        const di = attach('emails', e.id, ct);
        touch(ct, ms, di);
        lastOpened[ct] = Math.max(lastOpened[ct]!, ms + H);
        if (reply && replyMs < now) {
          const r = b.email({
            ownerId: rep.ownerId,
            ms: replyMs,
            direction: 'INCOMING_EMAIL',
            subject: `Re: ${subject}`,
            text: rng.pick(REPLY_BODIES),
            from: to,
            to: rep.email,
            thread,
          });
          const rr = `emails/${r.id}`;
          b.linkRefs(ctRef[ct]!, rr);
          b.linkRefs(coRef[ci]!, rr);
          touch(ct, replyMs, di);
          if (replyMs > lastReplied[ct]!) lastReplied[ct] = replyMs;
        }
      }
    }
  }

  // ---- rollups HubSpot would compute (last activity, last open/reply) -----------------------------
  for (let i = 0; i < n.contacts; i++) {
    const r = contacts[ctStart + i]!;
    if (lastAct[i]! > 0) setLast(r, lastAct[i]!);
    if (lastOpened[i]! > 0) r.properties.hs_sales_email_last_opened = iso(Math.min(lastOpened[i]!, now - M));
    if (lastReplied[i]! > 0) r.properties.hs_sales_email_last_replied = iso(lastReplied[i]!);
  }
  for (let i = 0; i < n.companies; i++) if (coLastAct[i]! > 0) setLast(companies[coStart + i]!, coLastAct[i]!);
  for (let i = 0; i < n.deals; i++) if (dealLastAct[i]! > 0) setLast(deals[dealStart + i]!, dealLastAct[i]!);
  return stats;
}

function setLast(r: Rec, ms: number): void {
  const s = iso(ms);
  r.properties.notes_last_updated = s;
  r.updatedAt = s;
}
