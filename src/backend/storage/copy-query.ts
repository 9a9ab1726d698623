import type { Queryable, SqlParam } from './database';
import { numericIds, RECORD_COLUMNS, toRecord, type CopyRecord, type RecordRow } from './copy-repo';

// Set-based reads of the portal copy for services that assemble one user's data in a few rounds
// (guided actions): many record ids or association lists in one statement each, portal first.

const COLUMNS = RECORD_COLUMNS.split(', ')
  .map((c) => `r.${c}`)
  .join(', ');

// Arrays bind fine on both drivers; SqlParam's types just don't say so.
const arr = (values: (string | null)[]): SqlParam => values as unknown as readonly string[];

/**
 * Records wanted by id, optionally narrowed in SQL (a superset of what the caller keeps): a
 * typed time column at or after a moment, a status among some values.
 */
export type WantedRecords = {
  objectType: string;
  ids: Iterable<string>;
  since?: { column: 'due_at' | 'created_at'; at: Date };
  statusIn?: readonly string[];
};

/** Live records of several types by id, in one statement; grouped by type, ascending id. */
export async function readRecordsByIds(db: Queryable, portalId: number, wanted: WantedRecords[]): Promise<Map<string, CopyRecord[]>> {
  const types: string[] = [];
  const ids: string[] = [];
  const columns: (string | null)[] = [];
  const since: (string | null)[] = [];
  const statuses: (string | null)[] = [];
  for (const w of wanted)
    for (const id of numericIds([...new Set(w.ids)])) {
      types.push(w.objectType);
      ids.push(id);
      columns.push(w.since?.column ?? null);
      since.push(w.since ? w.since.at.toISOString() : null);
      statuses.push(w.statusIn ? w.statusIn.join('\u001f') : null);
    }
  const out = new Map<string, CopyRecord[]>(wanted.map((w) => [w.objectType, []]));
  if (ids.length === 0) return out;
  const rows = await db.query<RecordRow & { object_type: string }>(
    `select distinct on (r.object_type, r.id) r.object_type, ${COLUMNS}
       from unnest($2::text[], $3::bigint[], $4::text[], $5::timestamptz[], $6::text[]) as q(t, id, col, since, statuses)
       join crm_records r on r.portal_id = $1 and r.object_type = q.t and r.id = q.id
      where r.portal_id = $1 and not r.archived
        and (q.since is null or (case q.col when 'created_at' then r.created_at else r.due_at end) >= q.since)
        and (q.statuses is null or r.status = any(string_to_array(q.statuses, chr(31))))
      order by r.object_type, r.id`,
    [portalId, arr(types), arr(ids), arr(columns), arr(since), arr(statuses)],
  );
  for (const r of rows) out.get(r.object_type)!.push(toRecord(r));
  return out;
}

export type PairRequest = { fromType: string; toType: string; ids: Iterable<string> };

/** `${fromType}>${toType}` → id → the ids of toType associated with it. */
export type PairAnswer = Map<string, Map<string, string[]>>;
export const pairKey = (fromType: string, toType: string) => `${fromType}>${toType}`;

/**
 * The associations of many (fromType, id) with a toType each, looking both ways (pairs are stored
 * in the direction they were read), in one statement. Every asked id gets a list (maybe empty);
 * pairs with an archived record are left out (HubSpot does not list them); pairs with a record
 * outside the copy's windows (old activity) are kept.
 */
export async function readAssociationPairs(db: Queryable, portalId: number, requests: PairRequest[]): Promise<PairAnswer> {
  const from: string[] = [];
  const to: string[] = [];
  const ids: string[] = [];
  const out: PairAnswer = new Map();
  for (const r of requests) {
    const key = pairKey(r.fromType, r.toType);
    const m = out.get(key) ?? new Map<string, string[]>();
    out.set(key, m);
    for (const id of numericIds([...new Set(r.ids)])) {
      if (m.has(id)) continue;
      m.set(id, []);
      from.push(r.fromType);
      to.push(r.toType);
      ids.push(id);
    }
  }
  if (ids.length === 0) return out;
  const rows = await db.query<{ from_type: string; to_type: string; id: number | bigint; other: number | bigint }>(
    // Per asked id, two index lookups (the primary key and the reverse index): a nested loop
    // whatever the portal's size, rather than a hash of all its pairs.
    `select q.from_type, q.to_type, q.id, p.other
       from unnest($2::text[], $3::text[], $4::bigint[]) as q(from_type, to_type, id)
       cross join lateral (
         select a.to_id as other from crm_associations a
          where a.portal_id = $1 and a.from_type = q.from_type and a.from_id = q.id and a.to_type = q.to_type
         union
         select a.from_id as other from crm_associations a
          where a.portal_id = $1 and a.to_type = q.from_type and a.to_id = q.id and a.from_type = q.to_type
       ) p
      where not exists (select 1 from crm_records x
                         where x.portal_id = $1 and x.object_type = q.to_type and x.id = p.other and x.archived)
      order by q.from_type, q.to_type, q.id, p.other`,
    [portalId, arr(from), arr(to), arr(ids)],
  );
  for (const r of rows) out.get(pairKey(r.from_type, r.to_type))?.get(String(r.id))?.push(String(r.other));
  return out;
}

/**
 * A HubSpot date property (an ISO string or epoch milliseconds) at or after a moment, in SQL: a
 * superset (a value in neither form passes, for the caller to judge), and never a failing cast.
 */
function since(value: string, param: string): string {
  return `(case when ${value} ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})$' then (${value})::timestamptz >= ${param}
                when ${value} ~ '^\\d{1,15}$' then to_timestamp((${value})::bigint / 1000.0) >= ${param}
                else coalesce(${value}, '') <> '' end)`;
}

/** What guided actions read of one rep's own book (the rules' creation criteria and windows). */
export type GuidedActionsBookQuery = {
  ownerId: string;
  /** The rep's email: incoming emails addressed to it are read whoever owns them. */
  repEmail: string | null;
  /** `${pipelineId}/${stageId}` of every closed deal stage. */
  closedDealStages: string[];
  completedTaskStatuses: string[];
  priorityTaskLevels: string[];
  /** Contacts assigned since then (rule 1's window; read on hubspot_owner_assigneddate). */
  assignedSince: Date;
  /** Engagement window of the rules reading activity (calls inbound, incoming emails). */
  activitySince: Date;
  /** Calls without an outcome since then. */
  callsSince: Date;
  /** Priority tasks due in this span (today in any time zone). */
  tasksDue: [Date, Date];
  /** Your outgoing emails sent in this span (buyer follow-up). */
  buyerEmailsSent: [Date, Date];
  /** Meetings starting in this span. */
  meetingsStart: [Date, Date];
};

/**
 * The rep's book as guided actions' creation criteria narrow it, in one statement (the owner
 * index per type): contacts assigned or disqualified, target-account companies, open deals,
 * leads, open sequence and priority tasks, calls without outcome or inbound, incoming emails
 * (also those addressed to the rep) and opened outgoing ones, meetings around now. Finer
 * criteria (dates held as property strings, open counts) are checked by the caller.
 */
export async function readGuidedActionsBook(
  db: Queryable,
  portalId: number,
  q: GuidedActionsBookQuery,
): Promise<Map<string, CopyRecord[]>> {
  const out = new Map<string, CopyRecord[]>(
    ['contacts', 'companies', 'deals', 'leads', 'tasks', 'calls', 'emails', 'meetings'].map((t) => [t, []]),
  );
  if (!/^\d{1,18}$/.test(q.ownerId)) return out;
  const email = (q.repEmail ?? '').trim().toLowerCase();
  const rows = await db.query<RecordRow & { object_type: string }>(
    `select r.object_type, ${COLUMNS} from crm_records r
      where r.portal_id = $1 and r.object_type = any(array['contacts', 'companies', 'deals', 'leads', 'tasks', 'calls', 'emails', 'meetings'])
        and r.owner_id = $2::bigint and not r.archived
        and (
          (r.object_type = 'contacts' and (${since("r.properties->>'hubspot_owner_assigneddate'", '$15')}
                                           or coalesce(r.properties->>'hs_latest_disqualified_lead_date', '') <> ''))
          or (r.object_type = 'companies' and r.properties->>'hs_is_target_account' = 'true')
          or (r.object_type = 'deals' and (coalesce(r.pipeline, 'default') || '/' || coalesce(r.stage, '')) <> all($3::text[]))
          or r.object_type = 'leads'
          or (r.object_type = 'tasks' and coalesce(r.status, '') <> all($4::text[])
              and (coalesce(r.properties->>'hs_task_sequence_step_order', '') <> ''
                   or (r.properties->>'hs_task_priority' = any($5::text[]) and r.due_at between $6 and $7)))
          or (r.object_type = 'calls' and ((r.due_at >= $8 and coalesce(r.properties->>'hs_call_disposition', '') = '')
                                           or (r.due_at >= $9 and r.properties->>'hs_call_direction' = 'INBOUND')))
          or (r.object_type = 'emails' and ((r.status = 'INCOMING_EMAIL' and r.due_at >= $9)
                                            or (r.status = 'EMAIL' and r.due_at between $10 and $11)))
          or (r.object_type = 'meetings' and r.due_at between $12 and $13)
        )
     union all
     select r.object_type, ${COLUMNS} from crm_records r
      where r.portal_id = $1 and r.object_type = 'emails' and $14 <> '' and not r.archived
        and r.status = 'INCOMING_EMAIL' and r.due_at >= $9
        and strpos(lower(coalesce(r.properties->>'hs_email_to_email', '')), $14) > 0
     order by 1, 2`,
    [
      portalId,
      q.ownerId,
      q.closedDealStages,
      q.completedTaskStatuses,
      q.priorityTaskLevels,
      q.tasksDue[0],
      q.tasksDue[1],
      q.callsSince,
      q.activitySince,
      q.buyerEmailsSent[0],
      q.buyerEmailsSent[1],
      q.meetingsStart[0],
      q.meetingsStart[1],
      email,
      q.assignedSince,
    ],
  );
  // An incoming email both owned by and addressed to the rep comes twice (ordered: side by side).
  let last = '';
  for (const r of rows) {
    const key = `${r.object_type}:${String(r.id)}`;
    if (key !== last) out.get(r.object_type)?.push(toRecord(r));
    last = key;
  }
  return out;
}

/**
 * SW-2: the owner's open sequence tasks (hs_task_sequence_step_enrollment_id set), by due date; when
 * `enrollmentIds` is given, only those enrollments' tasks.
 */
export async function readOpenSequenceTasks(
  db: Queryable,
  portalId: number,
  q: { ownerId: string; completedStatuses: readonly string[]; enrollmentIds?: string[] },
): Promise<CopyRecord[]> {
  if (!/^\d{1,18}$/.test(q.ownerId)) return [];
  const rows = await db.query<RecordRow>(
    `select ${COLUMNS} from crm_records r
      where r.portal_id = $1 and r.object_type = 'tasks' and r.owner_id = $2::bigint and not r.archived
        and coalesce(r.status, '') <> all($3::text[])
        and coalesce(r.properties->>'hs_task_sequence_step_enrollment_id', '') <> ''
        and ($4::text[] is null or r.properties->>'hs_task_sequence_step_enrollment_id' = any($4::text[]))
      order by r.due_at asc nulls last, r.id asc`,
    [portalId, q.ownerId, arr([...q.completedStatuses]), q.enrollmentIds ? arr(q.enrollmentIds) : null],
  );
  return rows.map(toRecord);
}
