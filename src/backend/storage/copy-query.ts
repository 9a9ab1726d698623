import type { Queryable, SqlParam } from './database';
import { numericIds, RECORD_COLUMNS, toRecord, type CopyRecord, type RecordRow } from './copy-repo';

// Set-based reads of the portal copy for services that assemble one user's data in a few rounds
// (guided actions): many record ids or association lists in one statement each, portal first.

/**
 * A live record as these reads return it: what services map from of the CRM record shape
 * (crm/types.ts CrmRecord), with its creation time as a `toISOString()` string (the Unix epoch
 * when unknown), written by PostgreSQL: no Date object is parsed and formatted again per row, no
 * column is sent that the readers do not use (guided actions read no modification time).
 */
export type LiveRecord = { id: string; properties: Record<string, string | null>; createdAt: string };

/** A row is the record itself (the driver's one object per row), with its type beside. */
type LiveRow = LiveRecord & { objectType: string };

/** A timestamptz as `Date.prototype.toISOString()` writes it (years 0–9999), the epoch when null. */
const iso = (column: string) =>
  `coalesce(to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '1970-01-01T00:00:00.000Z')`;
const LIVE_COLUMNS = `r.object_type as "objectType", r.id::text as id, r.properties, ${iso('r.created_at')} as "createdAt"`;
const COLUMNS = RECORD_COLUMNS.split(', ')
  .map((c) => `r.${c}`)
  .join(', ');

// Arrays bind fine on both drivers; SqlParam's types just don't say so.
const arr = (values: (string | null)[]): SqlParam => values as unknown as readonly string[];

// Many values as one text parameter (split by `string_to_array` in SQL): binding a JS array makes
// the driver quote and escape each element; these are ids and type names (no separator inside).
const joined = (values: readonly string[]): string => values.join(',');
const SEP = String.fromCharCode(31);
const RS = String.fromCharCode(30);

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

/** Live records of several types by id, in one statement (two at once for many); grouped by type, ascending id. */
export async function readRecordsByIds(db: Queryable, portalId: number, wanted: WantedRecords[]): Promise<Map<string, LiveRecord[]>> {
  type Asked = { types: string[]; ids: string[]; columns: string[]; since: string[]; statuses: string[] };
  const asked = (): Asked => ({ types: [], ids: [], columns: [], since: [], statuses: [] });
  const all: { type: string; id: string; column: string; at: string; status: string }[] = [];
  for (const w of wanted) {
    const column = w.since?.column ?? '';
    const at = w.since ? w.since.at.toISOString() : '';
    // "" for no condition; a list between and after RS characters (so [] matches nothing, as `= any('{}')` did)
    const status = w.statusIn ? `${RS}${w.statusIn.join(RS)}${RS}` : '';
    for (const id of numericIds([...new Set(w.ids)])) all.push({ type: w.objectType, id, column, at, status });
  }
  const out = new Map<string, LiveRecord[]>(wanted.map((w) => [w.objectType, []]));
  if (all.length === 0) return out;
  // Many ids: two statements at once, each record in one of them (by its id's last digit), so
  // each statement's rows are one backend's output work, and no record comes from both.
  const parts = all.length >= RECORDS_SPLIT_AT ? [asked(), asked()] : [asked()];
  for (const a of all) {
    const q = parts[(a.id.charCodeAt(a.id.length - 1) & 1) % parts.length]!;
    q.types.push(a.type);
    q.ids.push(a.id);
    q.columns.push(a.column);
    q.since.push(a.at);
    q.statuses.push(a.status);
  }
  // (A list of one "" splits into no element: unnest then pads with nulls, read as "".)
  const answers = await Promise.all(
    parts
      .filter((q) => q.ids.length > 0)
      .map((q) =>
        db.query<LiveRow>(
          `select distinct on (r.object_type, r.id) ${LIVE_COLUMNS}
             from unnest(string_to_array($2, ','), string_to_array($3, ',')::bigint[], string_to_array($4, ','),
                         string_to_array($5, ','), string_to_array($6, chr(31))) as q(t, id, col, since, statuses)
             join crm_records r on r.portal_id = $1 and r.object_type = q.t and r.id = q.id
            where r.portal_id = $1 and not r.archived
              and (nullif(q.since, '') is null
                   or (case q.col when 'created_at' then r.created_at else r.due_at end) >= nullif(q.since, '')::timestamptz)
              and (coalesce(q.statuses, '') = '' or strpos(q.statuses, chr(30) || r.status || chr(30)) > 0)
            order by r.object_type, r.id`,
          [portalId, joined(q.types), joined(q.ids), joined(q.columns), joined(q.since), q.statuses.join(SEP)],
        ),
      ),
  );
  for (const rows of answers) for (const r of rows) out.get(r.objectType)!.push(r);
  if (answers.length > 1) for (const list of out.values()) list.sort((a, b) => byNumber(a.id, b.id));
  return out;
}

/** From this many asked records on, `readRecordsByIds` asks in two statements at once. */
export const RECORDS_SPLIT_AT = 1_000;

/** From this many asked ids on, `readAssociationPairs` asks in two halves at once. */
export const PAIRS_SPLIT_AT = 2_000;

export type PairRequest = { fromType: string; toType: string; ids: Iterable<string> };

/** `${fromType}>${toType}` → id → the ids of toType associated with it. */
export type PairAnswer = Map<string, Map<string, string[]>>;
export const pairKey = (fromType: string, toType: string) => `${fromType}>${toType}`;

/**
 * The associations of many (fromType, id) with a toType each, looking both ways (pairs are stored
 * in the direction they were read), in one statement. Every asked id gets a list (maybe empty);
 * pairs with an archived record are left out (HubSpot does not list them); pairs with a record
 * outside the copy's windows (old activity) are kept.
 *
 * Only the directions holding pairs in this portal are probed (crm_association_directions,
 * migration 026): for most pairs of types one index probe per id, not two. The answer comes back
 * as one row per pair of types, its pairs packed in one text, not as one row per pair: thousands
 * of pairs cost the driver a few rows.
 */
export async function readAssociationPairs(
  db: Queryable,
  portalId: number,
  requests: PairRequest[],
  /** The portal's stored directions (readAssociationDirections), when the caller read them already. */
  directions?: Set<string>,
): Promise<PairAnswer> {
  const out: PairAnswer = new Map();
  const asked: { fromType: string; toType: string; ids: string[] }[] = [];
  let count = 0;
  for (const r of requests) {
    const key = pairKey(r.fromType, r.toType);
    const m = out.get(key) ?? new Map<string, string[]>();
    out.set(key, m);
    const ids: string[] = [];
    for (const id of r.ids)
      if (!m.has(id) && /^\d{1,18}$/.test(id)) {
        m.set(id, []);
        ids.push(id);
      }
    if (ids.length) asked.push({ fromType: r.fromType, toType: r.toType, ids });
    count += ids.length;
  }
  if (count === 0) return out;
  const stored = directions ?? (await readAssociationDirections(db, portalId));
  // Probes: (from, id) → to on the primary key where from → to pairs exist, on the reverse index
  // where to → from pairs exist (both when both do). Many ids: halves on two connections at once
  // (each half's probes on its own PostgreSQL backend). Each asked id is in one half (by its
  // position), so each list comes from one statement. Sent as groups: a pair of types once, then
  // its ids (types repeated per id were most of the bytes bound and split).
  type Groups = { from: string[]; to: string[]; ids: string[][] };
  const groups = (): Groups => ({ from: [], to: [], ids: [] });
  const groupOf = (g: Groups, from: string, to: string): string[] => {
    const last = g.from.length - 1;
    if (last >= 0 && g.from[last] === from && g.to[last] === to) return g.ids[last]!;
    const ids: string[] = [];
    g.from.push(from);
    g.to.push(to);
    g.ids.push(ids);
    return ids;
  };
  const halves = count >= PAIRS_SPLIT_AT ? 2 : 1;
  const parts = Array.from({ length: 2 * halves }, groups); // [forward, reverse] per half
  const half = Math.ceil(count / halves);
  let position = 0;
  for (const a of asked) {
    const ways = [stored.has(pairKey(a.fromType, a.toType)), stored.has(pairKey(a.toType, a.fromType))];
    for (const id of a.ids) {
      const k = 2 * Math.floor(position++ / half);
      if (ways[0]) groupOf(parts[k]!, a.fromType, a.toType).push(id);
      if (ways[1]) groupOf(parts[k + 1]!, a.fromType, a.toType).push(id);
    }
  }
  const bind = (g: Groups) => [joined(g.from), joined(g.to), g.ids.map(joined).join(';')];
  const answers = await Promise.all(
    Array.from({ length: halves }, (_, k) => {
      const [f, r] = [parts[2 * k]!, parts[2 * k + 1]!];
      if (f.ids.length + r.ids.length === 0) return Promise.resolve([]);
      // The asked ids as materialized CTEs: a CTE scan runs in the leader only, so each half stays
      // one backend's plain nested loop (a parallel plan, chosen from the unnest's estimates, cost
      // both halves twice as much on two cores). One row per pair of types: `id:other,id:other…`.
      return db.query<{ from_type: string; to_type: string; pairs: string }>(
        `with f as materialized (
                select g.from_type, g.to_type, x.id::bigint as id
                  from unnest(string_to_array($2, ','), string_to_array($3, ','), string_to_array($4, ';')) as g(from_type, to_type, ids),
                       unnest(string_to_array(g.ids, ',')) as x(id)),
              r as materialized (
                select g.from_type, g.to_type, x.id::bigint as id
                  from unnest(string_to_array($5, ','), string_to_array($6, ','), string_to_array($7, ';')) as g(from_type, to_type, ids),
                       unnest(string_to_array(g.ids, ',')) as x(id))
         select x.from_type, x.to_type, string_agg(x.id || ':' || x.other, ',') as pairs
           from (select q.from_type, q.to_type, q.id, a.other
                   from f q cross join lateral (
                          select a.to_id as other from crm_associations a
                           where a.portal_id = $1 and a.from_type = q.from_type and a.from_id = q.id and a.to_type = q.to_type
                          offset 0) a
                 union all
                 select q.from_type, q.to_type, q.id, a.other
                   from r q cross join lateral (
                          select a.from_id as other from crm_associations a
                           where a.portal_id = $1 and a.to_type = q.from_type and a.to_id = q.id and a.from_type = q.to_type
                          offset 0) a) x
          where not exists (select 1 from crm_records z
                             where z.portal_id = $1 and z.object_type = x.to_type and z.id = x.other and z.archived)
          group by x.from_type, x.to_type`,
        [portalId, ...bind(f), ...bind(r)],
      );
    }),
  );
  for (const rows of answers)
    for (const row of rows) {
      const m = out.get(pairKey(row.from_type, row.to_type));
      if (!m) continue;
      for (const pair of row.pairs.split(',')) {
        const colon = pair.indexOf(':');
        m.get(pair.slice(0, colon))?.push(pair.slice(colon + 1));
      }
    }
  // Ascending ids, as the copy's other reads order them; a pair stored both ways listed once.
  for (const m of out.values())
    for (const [id, list] of m) if (list.length > 1 && !ascending(list)) m.set(id, [...new Set(list)].sort(byNumber));
  return out;
}

/** The directions (`pairKey(from, to)`) in which the portal's copy holds association pairs. */
export async function readAssociationDirections(db: Queryable, portalId: number): Promise<Set<string>> {
  const rows = await db.query<{ from_type: string; to_type: string }>(
    'select from_type, to_type from crm_association_directions where portal_id = $1',
    [portalId],
  );
  return new Set(rows.map((d) => pairKey(d.from_type, d.to_type)));
}

const ascending = (list: string[]) => {
  for (let i = 1; i < list.length; i++) if (byNumber(list[i - 1]!, list[i]!) >= 0) return false;
  return true;
};

/** Numeric ids as text in numeric order (as the copy's reads order them). */
export const byNumber = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/** What guided actions read of one rep's own book (the rules' creation criteria and windows). */
export type GuidedActionsBookQuery = {
  ownerId: string;
  /** The rep's email: incoming emails addressed to it are read whoever owns them. */
  repEmail: string | null;
  /** `${pipelineId}/${stageId}` of every closed deal stage. */
  closedDealStages: string[];
  completedTaskStatuses: string[];
  priorityTaskLevels: string[];
  /** Contacts assigned since then (rule 1's window; the contacts' due_at, hubspot_owner_assigneddate). */
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
): Promise<Map<string, LiveRecord[]>> {
  const out = new Map<string, LiveRecord[]>(
    ['contacts', 'companies', 'deals', 'leads', 'tasks', 'calls', 'emails', 'meetings'].map((t) => [t, []]),
  );
  if (!/^\d{1,18}$/.test(q.ownerId)) return out;
  const email = (q.repEmail ?? '').trim().toLowerCase();
  // Each type's criteria as alternatives, each one way into the rep's records (the owner index's
  // due_at range, or a partial index of migration 028): PostgreSQL reads only the heap rows an
  // alternative can keep. A part of the book is one statement over some types, bound on its own.
  type Bind = (value: SqlParam) => string;
  const openTask = (b: Bind) => `coalesce(r.status, '') <> all(${b(arr(q.completedTaskStatuses))}::text[])`;
  const criteria: Record<string, (b: Bind) => string[]> = {
    contacts: (b) => [
      `r.due_at >= ${b(q.assignedSince)} /* hubspot_owner_assigneddate (migration 027) */`,
      `coalesce(r.properties->>'hs_latest_disqualified_lead_date', '') <> ''`,
    ],
    companies: () => [`r.properties->>'hs_is_target_account' = 'true'`],
    deals: (b) => [`(coalesce(r.pipeline, 'default') || '/' || coalesce(r.stage, '')) <> all(${b(arr(q.closedDealStages))}::text[])`],
    leads: () => ['true'],
    tasks: (b) => [
      `${openTask(b)} and coalesce(r.properties->>'hs_task_sequence_step_order', '') <> ''`,
      `${openTask(b)} and r.properties->>'hs_task_priority' = any(${b(arr(q.priorityTaskLevels))}::text[])
       and r.due_at between ${b(q.tasksDue[0])} and ${b(q.tasksDue[1])}`,
    ],
    calls: (b) => [
      `r.due_at >= ${b(q.callsSince)} and coalesce(r.properties->>'hs_call_disposition', '') = ''`,
      `r.due_at >= ${b(q.activitySince)} and r.properties->>'hs_call_direction' = 'INBOUND'`,
    ],
    emails: (b) => [
      `r.status = 'INCOMING_EMAIL' and r.due_at >= ${b(q.activitySince)}`,
      `r.status = 'EMAIL' and r.due_at between ${b(q.buyerEmailsSent[0])} and ${b(q.buyerEmailsSent[1])}
       and coalesce(r.properties->>'hs_email_open_count', '') not in ('', '0')`,
    ],
    meetings: (b) => [`r.due_at between ${b(q.meetingsStart[0])} and ${b(q.meetingsStart[1])}`],
  };
  const part = (types: string[]) => {
    const params: SqlParam[] = [portalId, q.ownerId];
    const b: Bind = (v) => `$${params.push(v)}`;
    const where = types.flatMap((t) => criteria[t]!(b).map((c) => `(r.object_type = '${t}' and ${c})`)).join('\n or ');
    return db.query<LiveRow>(
      `select ${LIVE_COLUMNS} from crm_records r
        where r.portal_id = $1 and r.object_type = any(array[${types.map((t) => `'${t}'`).join(', ')}])
          and r.owner_id = $2::bigint and not r.archived and (${where})
        order by r.object_type, r.id`,
      params,
    );
  };
  // Four statements at once (the rows' output is each statement's main cost, one backend each):
  // the book's records, and the incoming emails addressed to the rep owned by someone else (or
  // nobody): those the rep owns are the emails part's already (same status and window), and asking
  // for them here sent the big rep's ~900 incoming emails twice.
  const parts = await Promise.all([
    part(['contacts', 'companies', 'deals', 'leads', 'meetings']),
    part(['tasks', 'calls']),
    part(['emails']),
    email
      ? db.query<LiveRow>(
          // (the addresses tested on the incoming emails' index alone, migration 029)
          `select ${LIVE_COLUMNS} from crm_records r
            where r.portal_id = $1 and r.object_type = 'emails'
              and r.id in (select e.id from crm_records e
                            where e.portal_id = $1 and e.object_type = 'emails' and e.status = 'INCOMING_EMAIL' and not e.archived
                              and e.due_at >= $2 and e.owner_id is distinct from $4::bigint
                              and strpos(coalesce(e.email_to, ''), $3) > 0)
            order by r.object_type, r.id`,
          [portalId, q.activitySince, email, q.ownerId],
        )
      : Promise.resolve([]),
  ]);
  for (const rows of parts.slice(0, 3)) for (const r of rows) out.get(r.objectType)?.push(r);
  // Both lists hold distinct emails (by owner); ascending ids.
  const addressed = parts[3]!;
  if (addressed.length)
    out.set(
      'emails',
      [...out.get('emails')!, ...addressed].sort((a, b) => byNumber(a.id, b.id)),
    );
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
