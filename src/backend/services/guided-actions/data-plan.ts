// The data plan of guided actions: what the 18 rules read about one rep, fetched from HubSpot in
// four rounds (docs/guided-actions.md has the table):
//   1. metadata (owners, users, account, pipelines, lifecycle options; cached for minutes)
//   2. searches scoped to the rep's book and the rules' time windows, all in parallel
//   3. association batch reads (1,000 ids per call) and the deals' hs_next_step history
//   4. batch reads of the associated records not found yet, and the leads of candidate contacts
// Every failure is recorded against the object types it leaves incomplete, so the service can
// drop the rules that read them and answer `partial` instead of guessing.
import type { PortalCrm } from '../../crm/gateway';
import type { CrmRecord, Filter, SearchRequest } from '../../crm/types';
import type { AssociationMap, GuidedActionSettings, GuidedActionsInput, ObjectType, Owner, RuleId } from '../../engines/guided-actions';
import { warningFor } from '../crm-errors';
import { resolveTimeZone } from '../time-zone';
import {
  PROPERTIES,
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

const DAY = 86_400_000;
const HOUR = 3_600_000;
const PAGE = 200;
/** Search pages read with `after` before giving up on one query (10,000 results: HubSpot's cap). */
const MAX_PAGES = 50;
/** IN values per filter, and filter groups per search (HubSpot: 5 groups, 18 filters). */
const IN_CHUNK = 100;

/** Which object types each rule reads: a rule whose data is incomplete is not evaluated. */
export const RULE_SOURCES: Record<RuleId, readonly ObjectType[]> = {
  NEWLY_ASSIGNED_CONTACT: ['contacts', 'deals', 'emails'],
  NEWLY_ASSIGNED_LEAD: ['leads', 'calls', 'emails', 'meetings', 'notes', 'tasks'],
  REENGAGED_CONTACT: ['contacts', 'leads', 'emails', 'calls', 'meetings'],
  SEQUENCE_ACTIVITY: ['tasks'],
  EMAIL_REPLY: ['contacts', 'emails'],
  MEETING_FOLLOW_UP: ['meetings', 'tasks', 'deals'],
  LOG_CALL_OUTCOME: ['calls', 'deals'],
  CONTACT_AWAITING_REPLY: ['contacts', 'emails', 'leads'],
  REPLY_TO_EMAIL: ['contacts', 'emails', 'deals'],
  LEAD_AWAITING_REPLY: ['leads', 'emails', 'contacts'],
  PREPARE_FOR_MEETING: ['meetings', 'deals'],
  PRIORITY_TASKS_TODAY: ['tasks'],
  TARGET_ACCOUNT_ACTIVITY: ['companies', 'contacts', 'emails', 'calls', 'meetings'],
  RECENTLY_ENGAGED_LEAD: ['leads', 'emails', 'calls', 'meetings', 'contacts'],
  UPDATE_NEXT_STEPS: ['deals', 'calls', 'meetings', 'emails', 'notes', 'tasks'],
  ADD_CONTACT_TO_DEAL: ['deals'],
  INITIAL_OUTREACH_NEEDED: ['deals', 'calls', 'emails', 'meetings', 'notes', 'tasks'],
  BUYER_FOLLOW_UP: ['deals', 'contacts', 'emails'],
};

export type DataPlanResult =
  | { kind: 'not-an-owner'; timeZone: string; warnings: string[] }
  | { kind: 'ok'; input: GuidedActionsInput; warnings: string[]; incomplete: Set<ObjectType> };

const WHAT: Record<ObjectType, string> = {
  contacts: 'Your contacts',
  companies: 'Your target accounts',
  deals: 'Your deals',
  leads: 'Your leads',
  tasks: 'Your tasks',
  calls: 'Your calls',
  emails: 'Your emails',
  meetings: 'Your meetings',
  notes: 'Your notes',
};

type Fetched = Record<ObjectType, Map<string, CrmRecord>>;

/** Loads the guided-actions engine's input for one HubSpot user (the rep). Throws only when the owners list fails. */
export async function loadGuidedActionsInput(
  crm: PortalCrm,
  opts: { userId: number; now: number; settings: GuidedActionSettings },
): Promise<DataPlanResult> {
  const { userId, now, settings } = opts;
  const warnings: string[] = [];
  const incomplete = new Set<ObjectType>();
  const warned = new Set<string>();
  const fail = (types: readonly ObjectType[], err: unknown) => {
    for (const t of types) incomplete.add(t);
    const w = warningFor(WHAT[types[0]!], err);
    if (warned.has(w)) return;
    warned.add(w);
    warnings.push(w);
  };
  async function attempt<T>(types: readonly ObjectType[], fallback: T, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      fail(types, err);
      return fallback;
    }
  }

  // ---- round 1: metadata (cached by the gateway) ----------------------------------------------
  const tzP = resolveTimeZone(crm, userId);
  const accountP = crm.account().catch(() => null);
  const dealPipelinesP = attempt(['deals'], [], async () => toPipelines(await crm.pipelines('deals')));
  const leadPipelinesP = attempt(['leads'], [], async () => toPipelines(await crm.pipelines('leads')));
  const lifecycleP = crm.properties('contacts').then(toLifecycleStages, (err: unknown) => {
    warnings.push(`${warningFor("Your portal's lifecycle stages", err)} HubSpot's default lifecycle is assumed.`);
    return [];
  });
  const owners = await crm.owners();
  const owner = owners.find((o) => o.userId === userId && !o.archived);
  if (!owner) {
    const tz = await tzP;
    return {
      kind: 'not-an-owner',
      timeZone: tz.timeZone,
      warnings: [...tz.warnings, 'You are not a HubSpot owner in this portal, so no records are assigned to you.'],
    };
  }
  const O = owner.id;
  const repEmail = owner.email ?? '';

  // ---- round 2: the rep's book, narrowed to each rule's criteria and windows ---------------------
  const ms = (d: number) => String(Math.round(now - d * DAY));
  const activityDays = Math.max(
    settings.reengagementWindowDays,
    settings.newlyAssignedMaxAgeDays,
    settings.awaitingReplyMaxAgeDays,
    settings.emailReplyMaxAgeDays,
    settings.buyerNoReplyDays + settings.buyerFollowUpMaxAgeDays,
    settings.targetAccountEngagedDays,
    settings.recentlyEngagedLeadDays,
  );
  const since = ms(activityDays);
  const own: Filter = { propertyName: 'hubspot_owner_id', operator: 'EQ', value: O };
  const open: Filter = { propertyName: 'hs_task_status', operator: 'NOT_IN', values: settings.completedTaskStatuses };
  const f = (propertyName: string, operator: Filter['operator'], value?: string, extra: Partial<Filter> = {}): Filter => ({
    propertyName,
    operator,
    ...(value === undefined ? {} : { value }),
    ...extra,
  });

  // `after` is an offset: once the first page gives `total`, the other pages go out together.
  const searchAll = async (type: ObjectType, filterGroups: SearchRequest['filterGroups']): Promise<CrmRecord[]> => {
    const req = (after?: number): SearchRequest => ({
      filterGroups,
      properties: [...PROPERTIES[type]],
      limit: PAGE,
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      ...(after ? { after: String(after) } : {}),
    });
    const first = await crm.search(type, req());
    if (!first.after || first.total <= PAGE) return first.results;
    if (first.total > MAX_PAGES * PAGE) throw Object.assign(new Error(`more than ${MAX_PAGES * PAGE} ${type} match`), { kind: 'too-many' });
    const offsets: number[] = [];
    for (let o = PAGE; o < first.total; o += PAGE) offsets.push(o);
    const rest = await Promise.all(offsets.map((o) => crm.search(type, req(o))));
    const out = new Map(first.results.map((r) => [r.id, r]));
    for (const page of rest) for (const r of page.results) out.set(r.id, r);
    return [...out.values()];
  };
  const search = (type: ObjectType, groups: SearchRequest['filterGroups']) =>
    attempt([type], [] as CrmRecord[], () => searchAll(type, groups));

  const [contacts0, deals0, leads0, tasks0, calls0, emails0, meetings0, companies0] = await Promise.all([
    search('contacts', [
      // 1: assigned inside the window, no deal (rollup as a pre-filter; confirmed by association below)
      {
        filters: [own, f('hubspot_owner_assigneddate', 'GTE', ms(settings.newlyAssignedMaxAgeDays)), f('num_associated_deals', 'EQ', '0')],
      },
      { filters: [own, f('hs_latest_disqualified_lead_date', 'HAS_PROPERTY')] }, // 3
    ]),
    search('deals', [{ filters: [own, f('hs_is_closed', 'EQ', 'false')] }]), // 9, 15–18
    search('leads', [{ filters: [own] }]), // 2, 10, 14
    search('tasks', [
      { filters: [own, open, f('hs_task_sequence_step_order', 'HAS_PROPERTY')] }, // 4
      {
        filters: [
          own,
          open,
          f('hs_task_priority', 'IN', undefined, { values: settings.priorityTaskLevels }),
          f('hs_timestamp', 'BETWEEN', ms(2), { highValue: String(now + 2 * DAY) }),
        ],
      }, // 12 (today in any time zone)
    ]),
    search('calls', [
      { filters: [own, f('hs_timestamp', 'GTE', ms(settings.callOutcomeWindowDays)), f('hs_call_disposition', 'NOT_HAS_PROPERTY')] }, // 7
      { filters: [own, f('hs_timestamp', 'GTE', since), f('hs_call_direction', 'EQ', 'INBOUND')] }, // engaged: inbound call
    ]),
    search('emails', [
      { filters: [own, f('hs_email_direction', 'EQ', 'INCOMING_EMAIL'), f('hs_timestamp', 'GTE', since)] }, // replies, engaged
      ...(repEmail
        ? [
            {
              filters: [
                f('hs_email_direction', 'EQ', 'INCOMING_EMAIL'),
                f('hs_email_to_email', 'CONTAINS_TOKEN', repEmail),
                f('hs_timestamp', 'GTE', since),
              ],
            },
          ]
        : []), // 8, 10
      // 18: your opened emails old enough to be unanswered, whichever records they are associated with
      {
        filters: [
          own,
          f('hs_email_direction', 'EQ', 'EMAIL'),
          f('hs_email_open_count', 'GT', '0'),
          f('hs_timestamp', 'BETWEEN', ms(settings.buyerNoReplyDays + settings.buyerFollowUpMaxAgeDays + 1), {
            highValue: ms(settings.buyerNoReplyDays),
          }),
        ],
      },
    ]),
    search('meetings', [
      {
        filters: [
          own,
          f('hs_meeting_start_time', 'BETWEEN', ms(settings.meetingFollowUpWindowDays + 1), {
            highValue: String(now + settings.prepareMeetingWindowHours * HOUR + HOUR),
          }),
        ],
      }, // 6, 11
    ]),
    search('companies', [{ filters: [own, f('hs_is_target_account', 'EQ', 'true')] }]), // 13
  ]);

  const got: Fetched = {
    contacts: byId(contacts0),
    companies: byId(companies0),
    deals: byId(deals0),
    leads: byId(leads0),
    tasks: byId(tasks0),
    calls: byId(calls0),
    emails: byId(emails0),
    meetings: byId(meetings0),
    notes: new Map(),
  };
  const [dealPipelines, leadPipelines] = await Promise.all([dealPipelinesP, leadPipelinesP]);

  // ---- helpers for rounds 3 and 4 ----------------------------------------------------------------
  const associations: AssociationMap = {};
  const setAssoc = (from: ObjectType, to: ObjectType, m: Map<string, string[]>) => {
    const byFrom = (associations[from] ??= {});
    const table = (byFrom[to] ??= {});
    for (const [id, ids] of m) table[id] = ids;
  };
  const assoc = (from: ObjectType, to: ObjectType, ids: Iterable<string>) => {
    const list = [...ids];
    if (list.length === 0) return Promise.resolve();
    return attempt([from, to], undefined, async () => setAssoc(from, to, await crm.associations(from, to, list)));
  };
  const linked = (from: ObjectType, to: ObjectType, only?: (id: string) => boolean) => {
    const out = new Set<string>();
    for (const [id, ids] of Object.entries(associations[from]?.[to] ?? {})) if (!only || only(id)) for (const x of ids) out.add(x);
    return out;
  };
  const keep = (type: ObjectType, records: CrmRecord[]) => {
    for (const r of records) if (!got[type].has(r.id)) got[type].set(r.id, r);
  };
  // The neighbours of some records, records and links in the same round: a search by association
  // gives the records (filtered, with their properties), the association read says whose they are.
  const SINGULAR: Partial<Record<ObjectType, string>> = { contacts: 'contact', companies: 'company', deals: 'deal' };
  const neighbours = async (from: ObjectType, to: ObjectType, ids: Iterable<string>, extra: Filter[] = []) => {
    const list = [...new Set(ids)];
    if (list.length === 0) return;
    const records = async () => {
      const perSearch = IN_CHUNK * 5;
      await Promise.all(
        Array.from({ length: Math.ceil(list.length / perSearch) }, async (_, k) => {
          const part = list.slice(k * perSearch, (k + 1) * perSearch);
          const groups = [];
          for (let j = 0; j < part.length; j += IN_CHUNK)
            groups.push({
              filters: [f(`associations.${SINGULAR[from]}`, 'IN', undefined, { values: part.slice(j, j + IN_CHUNK) }), ...extra],
            });
          keep(to, await searchAll(to, groups));
        }),
      );
    };
    await Promise.all([attempt([to], undefined, records), assoc(from, to, list)]);
  };
  const readMissing = async (type: ObjectType, ids: Iterable<string>) => {
    const missing = [...new Set(ids)].filter((id) => !got[type].has(id));
    if (missing.length === 0) return;
    await attempt([type], undefined, async () => {
      for (const [id, r] of await crm.batchRead(type, missing, [...PROPERTIES[type]])) got[type].set(id, r);
    });
  };
  const firstStageOf = (pipelines: typeof dealPipelines) =>
    new Map(pipelines.map((p) => [p.id, [...p.stages].sort((a, b) => a.displayOrder - b.displayOrder)[0]?.id]));
  const leadFirstStage = firstStageOf(leadPipelines);
  // Rule 2: leads in their first stage, assigned inside the window: every activity logged on them counts.
  const newLeadCandidates = [...got.leads.values()]
    .map(toLead)
    .filter(
      (l) =>
        leadFirstStage.get(l.pipelineId) === l.stageId &&
        (l.ownerAssignedAt ?? l.createdAt) >= now - settings.newlyAssignedMaxAgeDays * DAY,
    )
    .map((l) => l.id);
  const ENGAGEMENTS = ['calls', 'emails', 'meetings', 'notes', 'tasks'] as const;
  const newlyAssigned = [...got.contacts.values()]
    .map(toContact)
    .filter((c) => (c.ownerAssignedAt ?? 0) >= now - settings.newlyAssignedMaxAgeDays * DAY)
    .map((c) => c.id);
  const disqualified = [...got.contacts.values()].filter((c) => c.properties.hs_latest_disqualified_lead_date).map((c) => c.id);
  const openDeals = [...got.deals.keys()];

  // ---- round 3: associations in bulk, the open deals' activities and next-step history, the ----
  // newly assigned contacts' emails, the re-engagement candidates' calls and meetings
  let history = new Map<string, CrmRecord>();
  const dealActivity = ms(activityDays);
  await Promise.all([
    assoc('emails', 'contacts', got.emails.keys()),
    assoc('calls', 'contacts', got.calls.keys()),
    assoc('calls', 'deals', got.calls.keys()),
    assoc('meetings', 'contacts', got.meetings.keys()),
    assoc('meetings', 'deals', got.meetings.keys()),
    assoc('tasks', 'contacts', got.tasks.keys()),
    assoc('deals', 'contacts', openDeals),
    assoc('contacts', 'deals', newlyAssigned),
    assoc('companies', 'contacts', got.companies.keys()),
    assoc('leads', 'contacts', got.leads.keys()),
    ...ENGAGEMENTS.map((t) => assoc('leads', t, newLeadCandidates)),
    // 15 (activity after the last next-step change) and 17 (no engagement at all: the association ids)
    neighbours('deals', 'calls', openDeals, [f('hs_timestamp', 'GTE', dealActivity)]),
    neighbours('deals', 'meetings', openDeals, [f('hs_meeting_start_time', 'GTE', dealActivity)]),
    neighbours('deals', 'notes', openDeals, [f('hs_timestamp', 'GTE', dealActivity)]),
    neighbours('deals', 'emails', openDeals, [f('hs_timestamp', 'GTE', dealActivity)]),
    neighbours('deals', 'tasks', openDeals, [
      f('hs_task_status', 'IN', undefined, { values: settings.completedTaskStatuses }),
      f('hs_task_completion_date', 'GTE', dealActivity),
    ]),
    // 1: any email either way since the assignment
    neighbours('contacts', 'emails', newlyAssigned, [f('hs_timestamp', 'GTE', ms(settings.newlyAssignedMaxAgeDays))]),
    // 3: re-engagement signals of the disqualified contacts
    neighbours('contacts', 'calls', disqualified, [f('hs_timestamp', 'GTE', ms(settings.reengagementWindowDays))]),
    neighbours('contacts', 'meetings', disqualified, [f('hs_createdate', 'GTE', ms(settings.reengagementWindowDays))]),
    openDeals.length === 0
      ? undefined
      : attempt(['deals'], undefined, async () => {
          history = await crm.batchRead('deals', openDeals, ['hs_next_step'], ['hs_next_step']);
        }),
  ]);

  // ---- round 4: records not read yet, the repliers' leads and your emails to them, the target ----
  // accounts' contacts' engagements, the meetings' follow-up tasks, the new leads' activities
  const recentCall = (id: string) => {
    const c = got.calls.get(id);
    return !!c && toCall(c).startedAt >= now - settings.callOutcomeWindowDays * DAY;
  };
  // Contacts who wrote inside the reply rules' windows (5, 8, 9, 10).
  const replyWindow = ms(Math.max(settings.emailReplyMaxAgeDays, settings.awaitingReplyMaxAgeDays, settings.replyToEmailMaxAgeDays));
  const repliers = new Set<string>();
  for (const [eid, cids] of Object.entries(associations.emails?.contacts ?? {})) {
    const e = got.emails.get(eid);
    if (e?.properties.hs_email_direction === 'INCOMING_EMAIL' && toEmail(e).sentAt >= Number(replyWindow))
      for (const c of cids) repliers.add(c);
  }
  // 18: deals with an opened, unanswered email of yours old enough, associated with the deal or
  // with one of its contacts (an email sent from the contact record is on the contact only):
  // their contacts and emails.
  const buyerEmail = (id: string) => {
    const e = got.emails.get(id);
    if (!e) return false;
    const m = toEmail(e);
    return (
      m.direction === 'EMAIL' &&
      m.ownerId === O &&
      (m.openCount ?? 0) > 0 &&
      !(m.replyCount ?? 0) &&
      m.sentAt <= now - settings.buyerNoReplyDays * DAY &&
      m.sentAt >= now - (settings.buyerNoReplyDays + settings.buyerFollowUpMaxAgeDays + 1) * DAY
    );
  };
  const buyerEmailContacts = new Set<string>();
  for (const [eid, cids] of Object.entries(associations.emails?.contacts ?? {}))
    if (buyerEmail(eid)) for (const c of cids) buyerEmailContacts.add(c);
  const buyerDeals = openDeals.filter(
    (d) =>
      (associations.deals?.emails?.[d] ?? []).some(buyerEmail) ||
      (associations.deals?.contacts?.[d] ?? []).some((c) => buyerEmailContacts.has(c)),
  );
  const buyerContacts = buyerDeals.flatMap((d) => associations.deals?.contacts?.[d] ?? []);
  // 17: the contacts of the deals that can need an initial outreach (named in its links).
  const dealFirstStage = firstStageOf(dealPipelines);
  const outreachContacts = [...got.deals.values()]
    .map((r) => toDeal(r))
    .filter(
      (d) =>
        dealFirstStage.get(d.pipelineId) === d.stageId &&
        d.createdAt <= now - settings.dealMinAgeDays * DAY &&
        d.createdAt >= now - (settings.dealMinAgeDays + settings.dealActionMaxAgeDays) * DAY,
    )
    .flatMap((d) => associations.deals?.contacts?.[d.id] ?? []);
  const wantContacts = new Set<string>([
    ...repliers,
    ...outreachContacts,
    ...linked('companies', 'contacts'),
    ...linked('meetings', 'contacts'),
    ...linked('calls', 'contacts', recentCall),
    ...linked('leads', 'contacts'),
    ...buyerContacts,
  ]);
  const wantDeals = new Set<string>([...linked('meetings', 'deals'), ...linked('calls', 'deals', recentCall)]);
  const targetContacts = [...linked('companies', 'contacts')].filter((id) => got.contacts.get(id)?.properties.hubspot_owner_id !== O);
  const engagedSince = ms(settings.targetAccountEngagedDays);
  const endedMeetings = [...got.meetings.values()]
    .map(toMeeting)
    .filter((m) => m.startAt <= now)
    .map((m) => m.id);
  const meetingContacts = linked('meetings', 'contacts', (id) => endedMeetings.includes(id));
  // Emails of the deal activities: to which contacts (18: the deal contacts' emails).
  const dealEmails = buyerDeals
    .flatMap((d) => associations.deals?.emails?.[d] ?? [])
    .filter((id) => got.emails.has(id) && !associations.emails?.contacts?.[id]);
  await Promise.all([
    readMissing('contacts', wantContacts),
    readMissing('deals', wantDeals),
    ...ENGAGEMENTS.map((t) => readMissing(t, linked('leads', t))),
    assoc('emails', 'contacts', dealEmails),
    neighbours('contacts', 'leads', new Set([...disqualified, ...repliers])), // 3, 8: the contacts' (other users') leads
    // 5, 8, 9, 10: your emails to the repliers as far back as their incoming emails are read, so a
    // reply is always judged against your last email inside that window (one 14 days back would
    // let an older incoming email pass for the reply and expire an action that has just begun)
    neighbours(
      'contacts',
      'emails',
      [...repliers].filter((c) => !newlyAssigned.includes(c)),
      [f('hs_email_direction', 'EQ', 'EMAIL'), f('hs_timestamp', 'GTE', since)],
    ),
    neighbours('contacts', 'tasks', meetingContacts, [f('hs_createdate', 'GTE', ms(settings.meetingFollowUpWindowDays + 1))]), // 6
    neighbours('contacts', 'calls', targetContacts, [f('hs_timestamp', 'GTE', engagedSince)]), // 13
    neighbours('contacts', 'emails', targetContacts, [f('hs_timestamp', 'GTE', engagedSince)]),
    neighbours('contacts', 'meetings', targetContacts, [f('hs_createdate', 'GTE', engagedSince)]),
  ]);

  // Leads → their primary contact, so the engine finds a contact's leads both ways.
  const leadContactMap = new Map<string, string[]>();
  for (const l of got.leads.values())
    if (l.properties.hs_primary_contact_id) leadContactMap.set(l.id, [l.properties.hs_primary_contact_id]);
  setAssoc('leads', 'contacts', leadContactMap);

  const [tz, account, lifecycleStages] = await Promise.all([tzP, accountP, lifecycleP]);
  warnings.push(...tz.warnings);
  const input: GuidedActionsInput = {
    portal: { id: String(crm.portalId), timeZone: account?.timeZone ?? tz.timeZone },
    rep: { userId: String(userId), ownerId: O, email: repEmail, timeZone: tz.timeZone },
    contacts: [...got.contacts.values()].map(toContact),
    companies: [...got.companies.values()].map(toCompany),
    deals: [...got.deals.values()].map((r) => toDeal(r, history.get(r.id))),
    leads: [...got.leads.values()].map(toLead),
    tasks: [...got.tasks.values()].map(toTask),
    calls: [...got.calls.values()].map(toCall),
    emails: [...got.emails.values()].map(toEmail),
    meetings: [...got.meetings.values()].map(toMeeting),
    notes: [...got.notes.values()].map(toNote),
    associations,
    pipelines: { deals: dealPipelines, leads: leadPipelines },
    lifecycleStages,
    owners: owners.map((o): Owner => ({
      id: o.id,
      userId: o.userId === null ? null : String(o.userId),
      email: o.email,
      firstName: o.firstName,
      lastName: o.lastName,
    })),
  };
  return { kind: 'ok', input, warnings, incomplete };
}

function byId(records: CrmRecord[]): Map<string, CrmRecord> {
  return new Map(records.map((r) => [r.id, r]));
}
