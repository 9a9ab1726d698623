// The data plan of guided actions: what the 18 rules read about one rep, from the portal copy
// (docs/guided-actions.md "Data"), in a few set-based statements, no HubSpot call:
//   1. metadata: owners, users and time zones, pipelines, lifecycle options, sync states
//   2. the rep's book narrowed to each rule's criteria and windows (one statement)
//   3. associations of that book and the neighbours the rules read (one statement for the pairs,
//      one for the records), the open deals' next-step history
//   4. the records those point at, the repliers' leads and emails, the target accounts' contacts'
//      engagements, the meetings' follow-up tasks (again one for the pairs, one for the records)
// An object type whose copy is not loaded yet is reported incomplete: the service does not
// evaluate the rules that read it and says so.
import type { Pipeline as CrmPipeline, PropertyDefinition } from '../../crm/types';
import type { AssociationMap, GuidedActionSettings, GuidedActionsInput, ObjectType, Owner, RuleId } from '../../engines/guided-actions';
import { readDatetime, readNumber } from '../../crm/values';
import {
  createCopyRepo,
  pairKey,
  readAssociationDirections,
  readAssociationPairs,
  readGuidedActionsBook,
  readRecordsByIds,
  type LiveRecord,
  type PairAnswer,
  type PairRequest,
  type Queryable,
  type WantedRecords,
} from '../../storage';
import { summarize, type Freshness } from '../../sync/status';
import { copyTimeZone } from '../time-zone';
import {
  toCall as mapCall,
  toCompany,
  toContact as mapContact,
  toDeal,
  toEmail as mapEmail,
  toLead as mapLead,
  toLifecycleStages,
  toMeeting as mapMeeting,
  toNote,
  toPipelines,
  toTask,
} from './mappers';

const DAY = 86_400_000;
const HOUR = 3_600_000;

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

const OBJECT_TYPES: readonly ObjectType[] = ['contacts', 'companies', 'deals', 'leads', 'tasks', 'calls', 'emails', 'meetings', 'notes'];

export type DataPlanResult =
  | { kind: 'not-an-owner'; timeZone: string; warnings: string[]; incomplete: Set<ObjectType>; freshness: Freshness }
  | { kind: 'ok'; input: GuidedActionsInput; warnings: string[]; incomplete: Set<ObjectType>; freshness: Freshness };

/** Said while the copy is loading: the rules reading what is not there yet are not checked. */
export function stillCopyingWarning(types: Iterable<ObjectType>, percent: number | undefined): string {
  const list = [...types];
  return (
    `Tiller is still copying this portal from HubSpot${percent === undefined ? '' : ` (${percent} %)`}: ` +
    `your ${list.join(', ')} are not all loaded yet, so the rules that read them are checked as soon as they are.`
  );
}

type Got = Record<ObjectType, Map<string, LiveRecord>>;

/**
 * Loads the guided-actions engine's input for one HubSpot user (the rep) from the portal copy.
 * Throws only when the database does.
 */
export async function loadGuidedActionsInput(
  db: Queryable,
  portalId: number,
  opts: { userId: number; now: number; settings: GuidedActionSettings },
): Promise<DataPlanResult> {
  const { userId, now, settings } = opts;
  const repo = createCopyRepo(db);
  const warnings: string[] = [];

  // ---- round 1: metadata and where the copy stands --------------------------------------------
  const [states, owners, tz, portal, dealPipelines0, leadPipelines0, contactProps, directions] = await Promise.all([
    repo.syncStates(portalId),
    repo.owners(portalId),
    copyTimeZone(repo, portalId, userId),
    repo.portal(portalId),
    repo.pipelines<CrmPipeline>(portalId, 'deals'),
    repo.pipelines<CrmPipeline>(portalId, 'leads'),
    repo.propertyDefinitions<PropertyDefinition>(portalId, 'contacts'),
    readAssociationDirections(db, portalId),
  ]);
  const { freshness } = summarize(states, now);
  const ready = new Set(states.filter((s) => s.state === 'ready').map((s) => s.objectType));
  const incomplete = new Set(OBJECT_TYPES.filter((t) => !ready.has(t)));
  if (incomplete.size) warnings.push(stillCopyingWarning(incomplete, freshness.syncing?.percent));
  warnings.push(...tz.warnings);

  const owner = owners.find((o) => o.userId === userId && !o.archived);
  if (!owner) {
    // Before the owners are copied, nobody is an owner yet: say so rather than "not an owner".
    const why =
      owners.length === 0 && freshness.syncing
        ? 'Tiller is still copying this portal from HubSpot; your guided actions appear as soon as your records are loaded.'
        : 'You are not a HubSpot owner in this portal, so no records are assigned to you.';
    return { kind: 'not-an-owner', timeZone: tz.timeZone, warnings: [...warnings, why], incomplete, freshness };
  }
  const O = owner.id;
  const repEmail = owner.email ?? '';
  const dealPipelines = toPipelines(dealPipelines0);
  const leadPipelines = toPipelines(leadPipelines0);
  const lifecycleStages = toLifecycleStages(contactProps);
  if (lifecycleStages.length === 0 && !incomplete.has('contacts'))
    warnings.push("Your portal's lifecycle stages are not in Tiller's copy yet. HubSpot's default lifecycle is assumed.");

  // ---- round 2: the rep's book, narrowed to each rule's criteria and windows ---------------------
  const ago = (d: number) => now - d * DAY;
  const activityDays = Math.max(
    settings.reengagementWindowDays,
    settings.newlyAssignedMaxAgeDays,
    settings.awaitingReplyMaxAgeDays,
    settings.emailReplyMaxAgeDays,
    settings.buyerNoReplyDays + settings.buyerFollowUpMaxAgeDays,
    settings.targetAccountEngagedDays,
    settings.recentlyEngagedLeadDays,
  );
  const since = ago(activityDays);
  const closedDealStages = dealPipelines.flatMap((p) => p.stages.filter((s) => s.isClosed).map((s) => `${p.id}/${s.id}`));
  const book = await readGuidedActionsBook(db, portalId, {
    ownerId: O,
    repEmail,
    closedDealStages,
    completedTaskStatuses: settings.completedTaskStatuses,
    priorityTaskLevels: settings.priorityTaskLevels,
    assignedSince: new Date(ago(settings.newlyAssignedMaxAgeDays)),
    activitySince: new Date(since),
    callsSince: new Date(ago(settings.callOutcomeWindowDays)),
    tasksDue: [new Date(ago(2)), new Date(now + 2 * DAY)], // 12: today in any time zone
    buyerEmailsSent: [
      new Date(ago(settings.buyerNoReplyDays + settings.buyerFollowUpMaxAgeDays + 1)),
      new Date(ago(settings.buyerNoReplyDays)),
    ],
    meetingsStart: [
      new Date(ago(settings.meetingFollowUpWindowDays + 1)),
      new Date(now + settings.prepareMeetingWindowHours * HOUR + HOUR),
    ],
  });
  // Records mapped once: the plan's own checks and the engine's input read the same objects.
  const toContact = once(mapContact);
  const toLead = once(mapLead);
  const toCall = once(mapCall);
  const toEmail = once(mapEmail);
  const toMeeting = once(mapMeeting);
  const rows = (t: string): LiveRecord[] => book.get(t) ?? [];
  const at = (r: LiveRecord, prop: string) => readDatetime(r.properties[prop]);
  const got: Got = {
    // 1: assigned inside the window (with no deal: checked below with the associations), 3: disqualified
    contacts: byId(
      rows('contacts').filter(
        (r) =>
          (at(r, 'hubspot_owner_assigneddate') ?? -Infinity) >= ago(settings.newlyAssignedMaxAgeDays) ||
          at(r, 'hs_latest_disqualified_lead_date') !== null,
      ),
    ),
    companies: byId(rows('companies')), // 13
    deals: byId(rows('deals')), // 9, 15–18
    leads: byId(rows('leads')), // 2, 10, 14
    tasks: byId(rows('tasks')), // 4, 12
    calls: byId(rows('calls')), // 7, engaged: inbound call
    // replies and engagement (incoming, yours or to you), 18: your opened emails old enough to be unanswered
    emails: byId(
      rows('emails').filter(
        (r) => r.properties.hs_email_direction === 'INCOMING_EMAIL' || (readNumber(r.properties.hs_email_open_count) ?? 0) > 0,
      ),
    ),
    meetings: byId(rows('meetings')), // 6, 11
    notes: new Map(),
  };

  // ---- helpers for rounds 3 and 4 ----------------------------------------------------------------
  const associations: AssociationMap = {};
  const setAssoc = (from: ObjectType, to: ObjectType, m: Map<string, string[]>) => {
    const byFrom = (associations[from] ??= {});
    const table = (byFrom[to] ??= {});
    for (const [id, ids] of m) table[id] = ids;
  };
  const linked = (from: ObjectType, to: ObjectType, only?: (id: string) => boolean) => {
    const out = new Set<string>();
    for (const [id, ids] of Object.entries(associations[from]?.[to] ?? {})) if (!only || only(id)) for (const x of ids) out.add(x);
    return out;
  };
  // A round reads the pairs asked for (one statement), then the records they and `missing` point at
  // (one statement), each neighbour request keeping the records that pass its filter. `sql` is
  // that filter's coarse part on the copy's typed columns (a superset), so the statement does not
  // bring back records the filter drops. The records are added to `got` when the caller applies
  // them: rounds 3 and 4 read at once, and are applied in their order (rule 18 reads round 3's).
  type Neighbours = {
    from: ObjectType;
    to: ObjectType;
    ids: Iterable<string>;
    keep?: (r: LiveRecord) => boolean;
    sql?: Pick<WantedRecords, 'since' | 'statusIn'>;
  };
  type Missing = { type: ObjectType; ids: Iterable<string> };
  const readPairs = async (pairs: PairRequest[], neighbours: Neighbours[]) => {
    const all = [...pairs, ...neighbours.map((n) => ({ fromType: n.from, toType: n.to, ids: n.ids }))];
    const answer: PairAnswer = await readAssociationPairs(db, portalId, all, directions);
    for (const p of all) setAssoc(p.fromType as ObjectType, p.toType as ObjectType, answer.get(pairKey(p.fromType, p.toType)) ?? new Map());
    return answer;
  };
  const readNeighbours = async (answer: PairAnswer, neighbours: Neighbours[], missing: Missing[]): Promise<() => void> => {
    const wanted: WantedRecords[] = [];
    const want = (type: ObjectType, ids: Iterable<string>, sql: Neighbours['sql'] = {}) =>
      wanted.push({ objectType: type, ids: [...ids].filter((id) => !got[type].has(id)), ...sql });
    const targets = neighbours.map((n) => {
      const ids = new Set<string>();
      const m = answer.get(pairKey(n.from, n.to));
      for (const id of n.ids) for (const x of m?.get(id) ?? []) ids.add(x);
      want(n.to, ids, n.sql);
      return ids;
    });
    const missingIds = missing.map((m) => ({ type: m.type, ids: [...m.ids] }));
    for (const m of missingIds) want(m.type, m.ids);
    const found = await readRecordsByIds(db, portalId, wanted);
    const byType = new Map([...found].map(([t, list]) => [t, new Map<string, LiveRecord>(list.map((r) => [r.id, r]))]));
    return () => {
      neighbours.forEach((n, i) => {
        const records = byType.get(n.to);
        for (const id of targets[i]!) {
          const r = records?.get(id);
          if (r && !got[n.to].has(id) && (!n.keep || n.keep(r))) got[n.to].set(id, r);
        }
      });
      for (const m of missingIds) {
        const records = byType.get(m.type);
        for (const id of m.ids) {
          const r = records?.get(id);
          if (r && !got[m.type].has(id)) got[m.type].set(id, r);
        }
      }
    };
  };
  const after = (prop: string, from: number) => (r: LiveRecord) => (at(r, prop) ?? -Infinity) >= from;
  // The copy's due_at is hs_timestamp (calls, emails, notes) or the meeting's start; created_at is
  // hs_createdate when set: the SQL side of `after` on those properties.
  const due = (from: number): Neighbours['sql'] => ({ since: { column: 'due_at', at: new Date(from) } });
  const createdSince = (from: number): Neighbours['sql'] => ({ since: { column: 'created_at', at: new Date(from) } });
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
  const assignedRecently = [...got.contacts.values()]
    .map(toContact)
    .filter((c) => (c.ownerAssignedAt ?? 0) >= now - settings.newlyAssignedMaxAgeDays * DAY)
    .map((c) => c.id);
  const disqualified = [...got.contacts.values()].filter((c) => c.properties.hs_latest_disqualified_lead_date).map((c) => c.id);
  const openDeals = [...got.deals.keys()];

  // ---- round 3: associations in bulk, the open deals' activities and next-step history, the ----
  // newly assigned contacts' emails, the re-engagement candidates' calls and meetings
  const dealActivity = since;
  const neighbours3: Neighbours[] = [
    // 15 (activity after the last next-step change) and 17 (no engagement at all: the association ids)
    { from: 'deals', to: 'calls', ids: openDeals, keep: after('hs_timestamp', dealActivity), sql: due(dealActivity) },
    { from: 'deals', to: 'meetings', ids: openDeals, keep: after('hs_meeting_start_time', dealActivity), sql: due(dealActivity) },
    { from: 'deals', to: 'notes', ids: openDeals, keep: after('hs_timestamp', dealActivity), sql: due(dealActivity) },
    { from: 'deals', to: 'emails', ids: openDeals, keep: after('hs_timestamp', dealActivity), sql: due(dealActivity) },
    {
      from: 'deals',
      to: 'tasks',
      ids: openDeals,
      keep: (r) =>
        settings.completedTaskStatuses.includes(r.properties.hs_task_status ?? '') && after('hs_task_completion_date', dealActivity)(r),
      sql: { statusIn: settings.completedTaskStatuses },
    },
    // 1: any email either way since the assignment
    {
      from: 'contacts',
      to: 'emails',
      ids: assignedRecently,
      keep: after('hs_timestamp', ago(settings.newlyAssignedMaxAgeDays)),
      sql: due(ago(settings.newlyAssignedMaxAgeDays)),
    },
    // 3: re-engagement signals of the disqualified contacts
    {
      from: 'contacts',
      to: 'calls',
      ids: disqualified,
      keep: after('hs_timestamp', ago(settings.reengagementWindowDays)),
      sql: due(ago(settings.reengagementWindowDays)),
    },
    {
      from: 'contacts',
      to: 'meetings',
      ids: disqualified,
      keep: after('hs_createdate', ago(settings.reengagementWindowDays)),
      sql: createdSince(ago(settings.reengagementWindowDays)),
    },
  ];
  const [history, answer3] = await Promise.all([
    repo.lastPropertyChanges(portalId, 'deals', 'hs_next_step', openDeals),
    readPairs(
      [
        { fromType: 'emails', toType: 'contacts', ids: got.emails.keys() },
        { fromType: 'calls', toType: 'contacts', ids: got.calls.keys() },
        { fromType: 'calls', toType: 'deals', ids: got.calls.keys() },
        { fromType: 'meetings', toType: 'contacts', ids: got.meetings.keys() },
        { fromType: 'meetings', toType: 'deals', ids: got.meetings.keys() },
        { fromType: 'tasks', toType: 'contacts', ids: got.tasks.keys() },
        { fromType: 'deals', toType: 'contacts', ids: openDeals },
        { fromType: 'contacts', toType: 'deals', ids: assignedRecently },
        { fromType: 'companies', toType: 'contacts', ids: got.companies.keys() },
        { fromType: 'leads', toType: 'contacts', ids: got.leads.keys() },
        ...ENGAGEMENTS.map((t) => ({ fromType: 'leads', toType: t, ids: newLeadCandidates })),
      ],
      neighbours3,
    ),
  ]);
  // Round 3's records are read while round 4 starts with what does not depend on them.
  const records3 = readNeighbours(answer3, neighbours3, []);
  records3.catch(() => {}); // awaited below
  // 1: a contact assigned inside the window but associated with a deal is not a candidate (the
  // search's num_associated_deals = 0), unless it is one for rule 3.
  const withDeal = new Set(assignedRecently.filter((id) => (associations.contacts?.deals?.[id] ?? []).length > 0));
  for (const id of withDeal) if (!got.contacts.get(id)?.properties.hs_latest_disqualified_lead_date) got.contacts.delete(id);
  const newlyAssigned = assignedRecently.filter((id) => got.contacts.has(id));

  // ---- round 4: records not read yet, the repliers' leads and your emails to them, the target ----
  // accounts' contacts' engagements, the meetings' follow-up tasks, the new leads' activities
  const recentCall = (id: string) => {
    const c = got.calls.get(id);
    return !!c && toCall(c).startedAt >= now - settings.callOutcomeWindowDays * DAY;
  };
  // Contacts who wrote inside the reply rules' windows (5, 8, 9, 10).
  const replyWindow = ago(Math.max(settings.emailReplyMaxAgeDays, settings.awaitingReplyMaxAgeDays, settings.replyToEmailMaxAgeDays));
  const repliers = new Set<string>();
  for (const [eid, cids] of Object.entries(associations.emails?.contacts ?? {})) {
    const e = got.emails.get(eid);
    if (e?.properties.hs_email_direction === 'INCOMING_EMAIL' && toEmail(e).sentAt >= replyWindow) for (const c of cids) repliers.add(c);
  }
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
  ]);
  const wantDeals = new Set<string>([...linked('meetings', 'deals'), ...linked('calls', 'deals', recentCall)]);
  const targetContacts = [...linked('companies', 'contacts')].filter((id) => got.contacts.get(id)?.properties.hubspot_owner_id !== O);
  const engagedSince = ago(settings.targetAccountEngagedDays);
  const endedMeetings = new Set(
    [...got.meetings.values()]
      .map(toMeeting)
      .filter((m) => m.startAt <= now)
      .map((m) => m.id),
  );
  const meetingContacts = linked('meetings', 'contacts', (id) => endedMeetings.has(id));
  const newlyAssignedSet = new Set(newlyAssigned);
  const neighbours4: Neighbours[] = [
    { from: 'contacts', to: 'leads', ids: new Set([...disqualified, ...repliers]) }, // 3, 8: the contacts' (other users') leads
    // 5, 8, 9, 10: your emails to the repliers as far back as their incoming emails are read, so a
    // reply is always judged against your last email inside that window
    {
      from: 'contacts',
      to: 'emails',
      ids: [...repliers].filter((c) => !newlyAssignedSet.has(c)),
      keep: (r) => r.properties.hs_email_direction === 'EMAIL' && after('hs_timestamp', since)(r),
      sql: { ...due(since), statusIn: ['EMAIL'] }, // an email's status column is its direction
    },
    {
      from: 'contacts',
      to: 'tasks',
      ids: meetingContacts,
      keep: after('hs_createdate', ago(settings.meetingFollowUpWindowDays + 1)),
      sql: createdSince(ago(settings.meetingFollowUpWindowDays + 1)),
    }, // 6
    { from: 'contacts', to: 'calls', ids: targetContacts, keep: after('hs_timestamp', engagedSince), sql: due(engagedSince) }, // 13
    { from: 'contacts', to: 'emails', ids: targetContacts, keep: after('hs_timestamp', engagedSince), sql: due(engagedSince) },
    {
      from: 'contacts',
      to: 'meetings',
      ids: targetContacts,
      keep: after('hs_createdate', engagedSince),
      sql: createdSince(engagedSince),
    },
  ];
  const records4 = readPairs([], neighbours4).then((answer) =>
    readNeighbours(answer, neighbours4, [
      { type: 'contacts', ids: wantContacts },
      { type: 'deals', ids: wantDeals },
      ...ENGAGEMENTS.map((t) => ({ type: t, ids: linked('leads', t) })),
    ]),
  );
  records4.catch(() => {}); // awaited below
  (await records3)();
  // 18: deals with an opened, unanswered email of yours old enough, associated with the deal or
  // with one of its contacts (an email sent from the contact record is on the contact only):
  // their contacts and emails.
  const buyerEmails = new Map<string, boolean>();
  const buyerEmail = (id: string) => {
    let is = buyerEmails.get(id);
    if (is === undefined) buyerEmails.set(id, (is = isBuyerEmail(id)));
    return is;
  };
  const isBuyerEmail = (id: string) => {
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
  // Emails of the deal activities: to which contacts (18: the deal contacts' emails).
  const dealEmails = buyerDeals
    .flatMap((d) => associations.deals?.emails?.[d] ?? [])
    .filter((id) => got.emails.has(id) && !associations.emails?.contacts?.[id]);
  const buyerRecords = readPairs([{ fromType: 'emails', toType: 'contacts', ids: dealEmails }], []).then((answer) =>
    readNeighbours(answer, [], [{ type: 'contacts', ids: buyerContacts }]),
  );
  (await records4)();
  (await buyerRecords)();

  // Leads → their primary contact, so the engine finds a contact's leads both ways.
  const leadContactMap = new Map<string, string[]>();
  for (const l of got.leads.values())
    if (l.properties.hs_primary_contact_id) leadContactMap.set(l.id, [l.properties.hs_primary_contact_id]);
  setAssoc('leads', 'contacts', leadContactMap);

  const input: GuidedActionsInput = {
    portal: { id: String(portalId), timeZone: portal?.timeZone ?? tz.timeZone },
    rep: { userId: String(userId), ownerId: O, email: repEmail, timeZone: tz.timeZone },
    contacts: [...got.contacts.values()].map(toContact),
    companies: [...got.companies.values()].map(toCompany),
    deals: [...got.deals.values()].map((r) => toDeal(r, history.get(r.id)?.getTime() ?? null)),
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
  return { kind: 'ok', input, warnings, incomplete, freshness };
}

/** `map`, remembering its answer per record. */
function once<T>(map: (r: LiveRecord) => T): (r: LiveRecord) => T {
  const mapped = new WeakMap<LiveRecord, T>();
  return (r) => {
    let v = mapped.get(r);
    if (v === undefined) mapped.set(r, (v = map(r)));
    return v;
  };
}

function byId(records: LiveRecord[]): Map<string, LiveRecord> {
  return new Map(records.map((r) => [r.id, r]));
}
