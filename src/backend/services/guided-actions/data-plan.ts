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
import type {
  AssociationMap, GuidedActionSettings, GuidedActionsInput, ObjectType, Owner, RuleId,
} from '../../engines/guided-actions';
import { fromCrmError, warningFor } from '../crm-errors';
import { resolveTimeZone } from '../time-zone';
import {
  PROPERTIES, toCall, toCompany, toContact, toDeal, toEmail, toLead, toLifecycleStages, toMeeting, toNote, toPipelines, toTask,
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
  contacts: 'Your contacts', companies: 'Your target accounts', deals: 'Your deals', leads: 'Your leads', tasks: 'Your tasks',
  calls: 'Your calls', emails: 'Your emails', meetings: 'Your meetings', notes: 'Your notes',
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
    warnings.push(`${warningFor('Your portal\'s lifecycle stages', err)} HubSpot's default lifecycle is assumed.`);
    return [];
  });
  const owners = await crm.owners().catch((err: unknown) => Promise.reject(fromCrmError(err)));
  const owner = owners.find((o) => o.userId === userId && !o.archived);
  if (!owner) {
    const tz = await tzP;
    return { kind: 'not-an-owner', timeZone: tz.timeZone, warnings: [...tz.warnings, 'You are not a HubSpot owner in this portal, so no records are assigned to you.'] };
  }
  const O = owner.id;
  const repEmail = owner.email ?? '';

  // ---- round 2: the rep's book, windowed per rule ---------------------------------------------
  const ms = (d: number) => String(Math.round(now - d * DAY));
  const activityDays = Math.max(30, settings.reengagementWindowDays, settings.newlyAssignedMaxAgeDays, settings.awaitingReplyMaxAgeDays,
    settings.emailReplyMaxAgeDays, settings.buyerNoReplyDays + settings.buyerFollowUpMaxAgeDays);
  const since = ms(activityDays);
  const own: Filter = { propertyName: 'hubspot_owner_id', operator: 'EQ', value: O };
  const open: Filter = { propertyName: 'hs_task_status', operator: 'NOT_IN', values: settings.completedTaskStatuses };
  const f = (propertyName: string, operator: Filter['operator'], value?: string, extra: Partial<Filter> = {}): Filter =>
    ({ propertyName, operator, ...(value === undefined ? {} : { value }), ...extra });

  const searchAll = async (type: ObjectType, filterGroups: SearchRequest['filterGroups'], sortBy: string): Promise<CrmRecord[]> => {
    const out: CrmRecord[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await crm.search(type, {
        filterGroups, properties: [...PROPERTIES[type]], limit: PAGE, sorts: [{ propertyName: sortBy, direction: 'ASCENDING' }], ...(after ? { after } : {}),
      });
      out.push(...res.results);
      if (!res.after) return out;
      after = res.after;
    }
    throw Object.assign(new Error(`more than ${MAX_PAGES * PAGE} ${type} match`), { kind: 'too-many' });
  };
  const search = (type: ObjectType, groups: SearchRequest['filterGroups'], sortBy = 'hs_object_id') =>
    attempt([type], [] as CrmRecord[], () => searchAll(type, groups, sortBy));

  const [contacts0, deals0, leads0, tasks0, calls0, emails0, meetings0, notes0, companies0] = await Promise.all([
    search('contacts', [
      { filters: [own, f('hubspot_owner_assigneddate', 'GTE', ms(settings.newlyAssignedMaxAgeDays))] }, // rule 1
      { filters: [own, f('hs_latest_disqualified_lead_date', 'HAS_PROPERTY')] }, // rule 3
    ]),
    search('deals', [{ filters: [own, f('hs_is_closed', 'EQ', 'false')] }]), // 9, 15–18
    search('leads', [{ filters: [own] }]), // 2, 10, 14
    search('tasks', [
      { filters: [own, open, f('hs_task_sequence_step_order', 'HAS_PROPERTY')] }, // 4
      { filters: [own, open, f('hs_task_priority', 'IN', undefined, { values: settings.priorityTaskLevels }),
        f('hs_timestamp', 'BETWEEN', ms(2), { highValue: String(now + 2 * DAY) })] }, // 12 (today in any time zone)
      { filters: [own, f('hs_createdate', 'GTE', ms(settings.meetingFollowUpWindowDays + 2))] }, // 6 follow-up tasks
      { filters: [own, f('hs_task_status', 'IN', undefined, { values: settings.completedTaskStatuses }), f('hs_task_completion_date', 'GTE', since)] }, // 2, 15
    ]),
    search('calls', [{ filters: [own, f('hs_timestamp', 'GTE', since)] }]), // 2, 3, 7, 13–15, 17
    search('emails', [
      { filters: [own, f('hs_timestamp', 'GTE', since)] }, // 1, 2, 5, 9, 15, 17, 18
      ...(repEmail ? [{ filters: [f('hs_email_to_email', 'CONTAINS_TOKEN', repEmail), f('hs_timestamp', 'GTE', since)] }] : []), // 8, 10
    ]),
    search('meetings', [
      { filters: [own, f('hs_meeting_start_time', 'BETWEEN', since, { highValue: String(now + settings.prepareMeetingWindowHours * HOUR + HOUR) })] }, // 6, 11
      { filters: [own, f('hs_createdate', 'GTE', since)] }, // "meeting booked"
    ]),
    search('notes', [{ filters: [own, f('hs_timestamp', 'GTE', since)] }]), // 2, 15, 17
    search('companies', [{ filters: [own, f('hs_is_target_account', 'EQ', 'true')] }]), // 13
  ]);

  const got: Fetched = {
    contacts: byId(contacts0), companies: byId(companies0), deals: byId(deals0), leads: byId(leads0), tasks: byId(tasks0),
    calls: byId(calls0), emails: byId(emails0), meetings: byId(meetings0), notes: byId(notes0),
  };
  const [dealPipelines, leadPipelines] = await Promise.all([dealPipelinesP, leadPipelinesP]);

  // ---- round 3: associations in bulk, and the next-step history of the open deals --------------
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
  const firstStage = new Map(dealPipelines.map((p) => [p.id, [...p.stages].sort((a, b) => a.displayOrder - b.displayOrder)[0]?.id]));
  const leadFirstStage = new Map(leadPipelines.map((p) => [p.id, [...p.stages].sort((a, b) => a.displayOrder - b.displayOrder)[0]?.id]));
  // Rule 17: only deals that can hold (first stage, old enough, young enough) need all their engagements.
  const outreachCandidates = [...got.deals.values()].map((r) => toDeal(r)).filter((d) =>
    firstStage.get(d.pipelineId) === d.stageId &&
    d.createdAt <= now - settings.dealMinAgeDays * DAY &&
    d.createdAt >= now - (settings.dealMinAgeDays + settings.dealActionMaxAgeDays) * DAY).map((d) => d.id);
  // Rule 2: only leads in their first stage, assigned inside the window, need every activity logged on them.
  const newLeadCandidates = [...got.leads.values()].map(toLead).filter((l) =>
    leadFirstStage.get(l.pipelineId) === l.stageId &&
    (l.ownerAssignedAt ?? l.createdAt) >= now - settings.newlyAssignedMaxAgeDays * DAY).map((l) => l.id);
  const ENGAGEMENTS = ['calls', 'emails', 'meetings', 'notes', 'tasks'] as const;

  let history = new Map<string, CrmRecord>();
  await Promise.all([
    assoc('emails', 'contacts', got.emails.keys()),
    assoc('calls', 'contacts', got.calls.keys()),
    assoc('calls', 'deals', got.calls.keys()),
    assoc('meetings', 'contacts', got.meetings.keys()),
    assoc('meetings', 'deals', got.meetings.keys()),
    assoc('tasks', 'contacts', got.tasks.keys()),
    assoc('tasks', 'deals', got.tasks.keys()),
    assoc('notes', 'deals', got.notes.keys()),
    assoc('deals', 'contacts', got.deals.keys()),
    assoc('contacts', 'deals', got.contacts.keys()),
    assoc('companies', 'contacts', got.companies.keys()),
    assoc('leads', 'contacts', got.leads.keys()),
    ...ENGAGEMENTS.map((t) => assoc('deals', t, outreachCandidates)),
    ...ENGAGEMENTS.map((t) => assoc('leads', t, newLeadCandidates)),
    got.deals.size === 0 ? undefined : attempt(['deals'], undefined, async () => {
      history = await crm.batchRead('deals', [...got.deals.keys()], ['hs_next_step'], ['hs_next_step']);
    }),
  ]);

  // ---- round 4: the associated records not read yet, and the leads of candidate contacts --------
  const linked = (from: ObjectType, to: ObjectType, only?: (id: string) => boolean) => {
    const out = new Set<string>();
    for (const [id, ids] of Object.entries(associations[from]?.[to] ?? {})) if (!only || only(id)) for (const x of ids) out.add(x);
    return out;
  };
  const recentCall = (id: string) => {
    const c = got.calls.get(id);
    return !!c && toCall(c).startedAt >= now - settings.callOutcomeWindowDays * DAY;
  };
  const wantContacts = new Set<string>([
    ...linked('emails', 'contacts'), ...linked('companies', 'contacts'), ...linked('meetings', 'contacts'), ...linked('calls', 'contacts', recentCall),
    ...linked('leads', 'contacts'),
    ...[...got.leads.values()].map((l) => l.properties.hs_primary_contact_id).filter((x): x is string => !!x),
  ]);
  const wantDeals = new Set<string>([...linked('meetings', 'deals'), ...linked('calls', 'deals', recentCall)]);
  // Contacts whose leads matter: re-engagement candidates (3) and repliers (8: "no open lead").
  const repliers = new Set<string>();
  for (const [eid, cids] of Object.entries(associations.emails?.contacts ?? {}))
    if (got.emails.get(eid)?.properties.hs_email_direction === 'INCOMING_EMAIL') for (const c of cids) repliers.add(c);
  const leadContacts = [...new Set([...[...got.contacts.values()].filter((c) => c.properties.hs_latest_disqualified_lead_date).map((c) => c.id), ...repliers])];

  const readMissing = async (type: ObjectType, ids: Set<string>) => {
    const missing = [...ids].filter((id) => !got[type].has(id));
    if (missing.length === 0) return;
    await attempt([type], undefined, async () => {
      for (const [id, r] of await crm.batchRead(type, missing, [...PROPERTIES[type]])) got[type].set(id, r);
    });
  };
  // Records and links of the same neighbours in one round: a search by association gives the
  // records (with their properties), the association read gives which record each belongs to.
  const neighbours = async (from: ObjectType, to: ObjectType, ids: string[], extra: Filter[] = []) => {
    if (ids.length === 0) return;
    const singular = { contacts: 'contact', companies: 'company', deals: 'deal' }[from as 'contacts'];
    const records = async () => {
      for (let i = 0; i < ids.length; i += IN_CHUNK * 5) {
        const groups = [];
        for (let j = i; j < Math.min(ids.length, i + IN_CHUNK * 5); j += IN_CHUNK)
          groups.push({ filters: [f(`associations.${singular}`, 'IN', undefined, { values: ids.slice(j, j + IN_CHUNK) }), ...extra] });
        for (const r of await searchAll(to, groups, 'hs_object_id')) if (!got[to].has(r.id)) got[to].set(r.id, r);
      }
    };
    await Promise.all([attempt([to], undefined, records), assoc(from, to, ids)]);
  };
  // Rule 13: engagements of the target accounts' contacts that another user owns (a call the
  // contact's own owner logged) are not in the rep's searches.
  const targetContacts = [...linked('companies', 'contacts')].filter((id) => !got.contacts.has(id) || got.contacts.get(id)!.properties.hubspot_owner_id !== O);
  const engagedSince = ms(settings.targetAccountEngagedDays);
  await Promise.all([
    readMissing('contacts', wantContacts),
    readMissing('deals', wantDeals),
    neighbours('contacts', 'leads', leadContacts),
    neighbours('contacts', 'calls', targetContacts, [f('hs_timestamp', 'GTE', engagedSince)]),
    neighbours('contacts', 'emails', targetContacts, [f('hs_timestamp', 'GTE', engagedSince)]),
    neighbours('contacts', 'meetings', targetContacts, [f('hs_createdate', 'GTE', engagedSince)]),
  ]);

  // Leads → their primary contact, so the engine finds a contact's leads both ways.
  const leadContactMap = new Map<string, string[]>();
  for (const l of got.leads.values()) if (l.properties.hs_primary_contact_id) leadContactMap.set(l.id, [l.properties.hs_primary_contact_id]);
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
    owners: owners.map((o): Owner => ({ id: o.id, userId: o.userId === null ? null : String(o.userId), email: o.email, firstName: o.firstName, lastName: o.lastName })),
  };
  return { kind: 'ok', input, warnings, incomplete };
}

function byId(records: CrmRecord[]): Map<string, CrmRecord> {
  return new Map(records.map((r) => [r.id, r]));
}
