// Record factories and a small mutable "world" for the engine's table tests.
import { applyEvaluation, evaluateGuidedActions, type EvaluationResult, type RememberedEntry } from './engine';
import type { Call, Company, Contact, Deal, Email, GuidedActionsInput, Lead, Meeting, Note, ObjectType, Task } from './input';
import type { RuleId } from './rule-definition';
import { guidedActionSettingsSchema, type GuidedActionSettingsInput } from './settings';

/** mulberry32: a small seeded generator, so failures of randomised tests reproduce. */
export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const NOW = Date.parse('2026-11-22T12:00:00Z');
export const MIN = 60_000;
export const H = 60 * MIN;
export const D = 24 * H;
export const REP = { userId: 'u1', ownerId: 'o1', email: 'rep@tiller.example', timeZone: 'Europe/Paris' };
export const PORTAL = { id: '123', timeZone: 'Europe/Paris' };

export const contact = (o: Partial<Contact> & { id: string }): Contact => ({
  firstName: 'Bo',
  lastName: 'Client',
  email: `bo${o.id}@client.example`,
  ownerId: REP.ownerId,
  ownerAssignedAt: NOW - 2 * D,
  lifecycleStage: 'lead',
  createdAt: NOW - 100 * D,
  latestDisqualifiedLeadAt: null,
  recentConversionAt: null,
  salesEmailLastOpenedAt: null,
  salesEmailLastClickedAt: null,
  ...o,
});
export const company = (o: Partial<Company> & { id: string }): Company => ({
  name: 'Acme',
  domain: 'acme.example',
  ownerId: REP.ownerId,
  isTargetAccount: false,
  ...o,
});
export const deal = (o: Partial<Deal> & { id: string }): Deal => ({
  name: `Deal ${o.id}`,
  ownerId: REP.ownerId,
  ownerAssignedAt: NOW - 20 * D,
  pipelineId: 'default',
  stageId: 'appointmentscheduled',
  createdAt: NOW - 20 * D,
  nextStep: null,
  nextStepChangedAt: null,
  ...o,
});
export const lead = (o: Partial<Lead> & { id: string }): Lead => ({
  name: `Lead ${o.id}`,
  ownerId: REP.ownerId,
  ownerAssignedAt: NOW - 1 * D,
  pipelineId: 'lead-pipeline-id',
  stageId: 'new-stage-id',
  stageChangedAt: null,
  createdAt: NOW - 1 * D,
  primaryContactId: null,
  ...o,
});
export const task = (o: Partial<Task> & { id: string }): Task => ({
  subject: `Task ${o.id}`,
  ownerId: REP.ownerId,
  status: 'NOT_STARTED',
  priority: 'NONE',
  type: 'TODO',
  dueAt: NOW + 2 * H,
  isAllDay: false,
  createdAt: NOW - 1 * D,
  completedAt: null,
  sequenceStepOrder: null,
  sequenceEnrollmentId: null,
  ...o,
});
export const call = (o: Partial<Call> & { id: string }): Call => ({
  title: `Call ${o.id}`,
  ownerId: REP.ownerId,
  startedAt: NOW - 2 * H,
  durationMs: 5 * MIN,
  status: 'COMPLETED',
  disposition: null,
  source: 'VOIP',
  direction: 'OUTBOUND',
  ...o,
});
export const email = (o: Partial<Email> & { id: string }): Email => ({
  subject: `Email ${o.id}`,
  ownerId: REP.ownerId,
  direction: 'EMAIL',
  sentAt: NOW - 1 * D,
  fromEmail: null,
  toEmails: [],
  ccEmails: [],
  threadId: null,
  openCount: null,
  clickCount: null,
  replyCount: null,
  ...o,
});
/** An outgoing email from the rep to `to`. */
export const outgoing = (id: string, sentAt: number, to: string, o: Partial<Email> = {}) =>
  email({ id, sentAt, direction: 'EMAIL', fromEmail: REP.email, toEmails: [to], ...o });
/** An incoming email from `from` whose first recipient is the rep. */
export const incoming = (id: string, sentAt: number, from: string, o: Partial<Email> = {}) =>
  email({ id, sentAt, direction: 'INCOMING_EMAIL', ownerId: REP.ownerId, fromEmail: from, toEmails: [REP.email], ...o });
export const meeting = (o: Partial<Meeting> & { id: string }): Meeting => ({
  title: `Meeting ${o.id}`,
  ownerId: REP.ownerId,
  startAt: NOW - 2 * H,
  endAt: NOW - 1 * H,
  outcome: 'SCHEDULED',
  createdAt: NOW - 3 * D,
  ...o,
});
export const note = (o: Partial<Note> & { id: string }): Note => ({ ownerId: REP.ownerId, at: NOW - 1 * H, ...o });

export function emptyInput(): GuidedActionsInput {
  return {
    portal: { ...PORTAL },
    rep: { ...REP },
    contacts: [],
    companies: [],
    deals: [],
    leads: [],
    tasks: [],
    calls: [],
    emails: [],
    meetings: [],
    notes: [],
    associations: {},
    pipelines: {
      deals: [
        {
          id: 'default',
          label: 'Sales',
          stages: [
            { id: 'appointmentscheduled', label: 'Appointment scheduled', displayOrder: 0, isClosed: false },
            { id: 'qualifiedtobuy', label: 'Qualified to buy', displayOrder: 1, isClosed: false },
            { id: 'closedwon', label: 'Closed won', displayOrder: 5, isClosed: true },
            { id: 'closedlost', label: 'Closed lost', displayOrder: 6, isClosed: true },
          ],
        },
      ],
      leads: [
        {
          id: 'lead-pipeline-id',
          label: 'Leads',
          stages: [
            { id: 'new-stage-id', label: 'New', displayOrder: 0, isClosed: false },
            { id: 'attempting-stage-id', label: 'Attempting', displayOrder: 1, isClosed: false },
            { id: 'connected-stage-id', label: 'Connected', displayOrder: 2, isClosed: false },
            { id: 'qualified-stage-id', label: 'Qualified', displayOrder: 3, isClosed: true },
            { id: 'unqualified-stage-id', label: 'Disqualified', displayOrder: 4, isClosed: true },
          ],
        },
      ],
    },
    lifecycleStages: [
      'subscriber',
      'lead',
      'marketingqualifiedlead',
      'salesqualifiedlead',
      'opportunity',
      'customer',
      'evangelist',
      'other',
    ].map((value, displayOrder) => ({ value, label: value, displayOrder })),
  };
}

type Rows = {
  contacts: Contact;
  companies: Company;
  deals: Deal;
  leads: Lead;
  tasks: Task;
  calls: Call;
  emails: Email;
  meetings: Meeting;
  notes: Note;
};

/** A mutable CRM world: add records, link them, change them, evaluate. */
export class World {
  input: GuidedActionsInput = emptyInput();
  remembered: RememberedEntry[] = [];
  settings = guidedActionSettingsSchema.parse({});

  add<T extends ObjectType>(type: T, ...rows: Rows[T][]): this {
    (this.input[type] as Rows[T][]).push(...rows);
    return this;
  }
  get<T extends ObjectType>(type: T, id: string): Rows[T] {
    const row = (this.input[type] as Rows[T][]).find((r) => r.id === id);
    if (!row) throw new Error(`${type} ${id} not in world`);
    return row;
  }
  set<T extends ObjectType>(type: T, id: string, patch: Partial<Rows[T]>): this {
    Object.assign(this.get(type, id), patch);
    return this;
  }
  remove(type: ObjectType, id: string): this {
    const list = this.input[type] as { id: string }[];
    list.splice(
      list.findIndex((r) => r.id === id),
      1,
    );
    for (const tos of Object.values(this.input.associations))
      for (const [to, map] of Object.entries(tos ?? {})) {
        if (to === type && map) for (const k of Object.keys(map)) map[k] = map[k]!.filter((x) => x !== id);
      }
    const own = this.input.associations[type];
    if (own) for (const map of Object.values(own)) if (map) delete map[id];
    return this;
  }
  link(from: ObjectType, fromId: string, to: ObjectType, toId: string): this {
    const a = (this.input.associations[from] ??= {});
    const m = (a[to] ??= {});
    m[fromId] = [...(m[fromId] ?? []), toId];
    return this;
  }
  unlink(from: ObjectType, fromId: string, to: ObjectType, toId: string): this {
    for (const [f, fid, t, tid] of [
      [from, fromId, to, toId],
      [to, toId, from, fromId],
    ] as const) {
      const m = this.input.associations[f]?.[t];
      if (m?.[fid]) m[fid] = m[fid]!.filter((x) => x !== tid);
    }
    return this;
  }
  withSettings(s: GuidedActionSettingsInput): this {
    this.settings = guidedActionSettingsSchema.parse(s);
    return this;
  }
  /** Evaluates at `now` with the remembered state, then remembers the outcome. */
  run(now: number): EvaluationResult {
    const res = evaluateGuidedActions(this.input, now, this.remembered, this.settings);
    this.remembered = applyEvaluation(this.remembered, res);
    return res;
  }
  /** Evaluates without touching the remembered state. */
  peek(now: number): EvaluationResult {
    return evaluateGuidedActions(this.input, now, this.remembered, this.settings);
  }
}

export const ofRule = (res: EvaluationResult, rule: RuleId) => res.actions.filter((a) => a.rule === rule);

/** A large rep book (perf): ~2,000 contacts, 300 deals, 150 leads, 20,000 engagements. */
export function largeInput(): GuidedActionsInput {
  const input = emptyInput();
  const assoc = (from: ObjectType, id: string, to: ObjectType, ids: string[]) => {
    const a = (input.associations[from] ??= {});
    (a[to] ??= {})[id] = ids;
  };
  for (let i = 0; i < 400; i++) input.companies.push(company({ id: `co${i}`, isTargetAccount: i % 10 === 0 }));
  for (let i = 0; i < 2000; i++) {
    input.contacts.push(contact({ id: `c${i}`, ownerAssignedAt: NOW - (i % 60) * D }));
    assoc('contacts', `c${i}`, 'companies', [`co${i % 400}`]);
  }
  for (let i = 0; i < 300; i++) {
    input.deals.push(deal({ id: `d${i}`, createdAt: NOW - (i % 30) * D, stageId: i % 7 === 0 ? 'closedwon' : 'appointmentscheduled' }));
    assoc('deals', `d${i}`, 'contacts', i % 5 === 0 ? [] : [`c${i}`, `c${i + 300}`]);
  }
  for (let i = 0; i < 150; i++) {
    input.leads.push(
      lead({ id: `l${i}`, primaryContactId: `c${i + 1000}`, stageId: i % 3 === 0 ? 'unqualified-stage-id' : 'new-stage-id' }),
    );
    assoc('leads', `l${i}`, 'contacts', [`c${i + 1000}`]);
  }
  const engagementTypes = ['emails', 'calls', 'tasks', 'meetings', 'notes'] as const;
  for (let i = 0; i < 20000; i++) {
    const type = engagementTypes[i % 5]!;
    const id = `${type[0]}${i}`;
    const at = NOW - (i % 400) * H;
    const cid = `c${i % 2000}`;
    if (type === 'emails')
      input.emails.push(
        i % 3 === 0
          ? incoming(id, at, `bo${cid}@client.example`)
          : outgoing(id, at, `bo${cid}@client.example`, { openCount: i % 4, replyCount: 0 }),
      );
    else if (type === 'calls') input.calls.push(call({ id, startedAt: at, disposition: i % 2 ? null : 'x' }));
    else if (type === 'tasks')
      input.tasks.push(task({ id, dueAt: at + D, priority: i % 4 === 0 ? 'HIGH' : 'LOW', sequenceStepOrder: i % 6 === 0 ? 1 : null }));
    else if (type === 'meetings') input.meetings.push(meeting({ id, startAt: at, endAt: at + H, createdAt: at - D }));
    else input.notes.push(note({ id, at }));
    assoc(type, id, 'contacts', [cid]);
    if (i % 7 === 0) assoc(type, id, 'deals', [`d${i % 300}`]);
  }
  return input;
}
