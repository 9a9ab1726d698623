// The data plan's part of the startup JIT warm-up (docs/decisions/0016, amended in session 8).
// warm-up.ts runs the mappers, the engine and the answer's serialization on a synthetic book; the
// data plan (data-plan.ts) was left cold because it reads a database. Here it reads the same book
// through an in-memory stand-in of the copy's statements, answering each with the rows PostgreSQL
// would return (the statements' columns; association pairs packed per pair of types; records by id),
// at the sizes of a big rep's book, so its paths for many ids (two statements at once, halves of
// pairs) run too. No database, no HubSpot: nothing is read or written outside this process.
import { defaultGuidedActionSettings, evaluateGuidedActions } from '../../engines/guided-actions';
import type { Queryable, SqlParam } from '../../storage';
import { byNumber, type LiveRecord } from '../../storage/copy-query';
import { loadGuidedActionsInput } from './data-plan';
import {
  WARM_UP_REP,
  WARM_UP_TIME_ZONES,
  warmUpBook,
  warmUpGuidedActions,
  warmUpOwners,
  type WarmUpBook,
  type WarmUpResult,
} from './warm-up';

/** A statement the stand-in does not know: the data plan changed, this file did not follow. */
export class UnknownWarmUpStatement extends Error {}

const PORTAL = 990_000;

/**
 * A `Queryable` answering the data plan's statements from the book (every record of the asked
 * types, whoever owns it: a superset, as the data plan's own checks expect). Throws
 * `UnknownWarmUpStatement` on any other statement.
 */
export function warmUpCopy(book: WarmUpBook, timeZone = WARM_UP_TIME_ZONES[0]!): Queryable {
  const byId = new Map<string, Map<string, LiveRecord>>(
    Object.entries(book.records).map(([t, list]) => [t, new Map(list.map((r) => [r.id, r]))]),
  );
  const forward = (from: string, to: string) => (book.associations as Record<string, Record<string, Record<string, string[]>>>)[from]?.[to];
  // to → from pairs, by the "to" id (the reverse index's probe)
  const reverse = new Map<string, Map<string, string[]>>();
  const reversed = (from: string, to: string) => {
    const key = `${from}>${to}`;
    let m = reverse.get(key);
    if (!m) {
      m = new Map();
      for (const [id, others] of Object.entries(forward(to, from) ?? {}))
        for (const o of others) (m.get(o) ?? m.set(o, []).get(o)!).push(id);
      reverse.set(key, m);
    }
    return m;
  };
  // A new row object per row and statement, its keys in the statement's column order. (`pg` builds
  // its rows otherwise: fields set after creation. Matching that removed the deoptimizations after
  // the first real request but made big requests slower, measured twice: decision 0016's amendment,
  // 0017's of session 9.)
  const row = (objectType: string, r: LiveRecord) => ({
    objectType,
    id: r.id,
    properties: { ...r.properties },
    createdAt: r.createdAt,
  });
  const split = (p: SqlParam | undefined) => (typeof p === 'string' && p !== '' ? p.split(',') : []);
  const at = new Date(book.now);
  const answer = (sql: string, params: readonly SqlParam[]): object[] => {
    if (sql.includes('from sync_state'))
      // every type the book holds (the data plan's), loaded
      return Object.entries(book.records).map(([objectType, list]) => ({
        object_type: objectType,
        state: 'ready',
        records: list.length,
        total_estimate: null,
        cursor: null,
        high_water_ms: book.now,
        load_started_at: at,
        loaded_at: at,
        last_change_seen_at: at,
        last_polled_at: at,
        last_reconciled_at: at,
        loaded_properties: null,
        error: null,
        updated_at: at,
      }));
    if (sql.includes('from crm_owners'))
      return warmUpOwners().map((o) => ({
        id: Number(o.id),
        user_id: Number(o.userId),
        email: o.email,
        first_name: o.firstName,
        last_name: o.lastName,
        archived: false,
        teams: [],
      }));
    if (sql.includes('from crm_users')) return [{ id: 'warm-up-user', user_id: Number(WARM_UP_REP.userId), time_zone: timeZone }];
    if (sql.includes('from crm_portals')) return [{ time_zone: 'Europe/Paris', synced_at: at }];
    if (sql.includes('from crm_pipelines'))
      return (params[1] === 'deals' ? book.dealPipelines : params[1] === 'leads' ? book.leadPipelines : []).map((pipeline) => ({
        pipeline,
      }));
    if (sql.includes('from crm_property_definitions'))
      return (params[1] === 'contacts' ? book.contactProperties : []).map((definition) => ({ definition }));
    if (sql.includes('from crm_association_directions'))
      return Object.entries(book.associations).flatMap(([from, tos]) =>
        Object.keys(tos ?? {}).map((to) => ({ from_type: from, to_type: to })),
      );
    if (sql.includes('from crm_property_history')) {
      const ids = (params[3] as unknown as string[]) ?? [];
      return ids.flatMap((id) => {
        const t = book.nextStepChangedAt.get(String(id));
        return t === undefined ? [] : [{ record_id: Number(id), at: new Date(t) }];
      });
    }
    if (sql.includes('with f as materialized')) {
      const groups = new Map<string, { from_type: string; to_type: string; pairs: string[] }>();
      // (each pair of types once, then its ids: `ids,ids;ids…` per pair of types)
      const probe = (types: string[], tos: string[], ids: string, look: (from: string, to: string, id: string) => string[] | undefined) =>
        (ids ? ids.split(';') : []).forEach((list, i) => {
          const [from, to] = [types[i]!, tos[i]!];
          for (const id of split(list)) {
            const others = look(from, to, id) ?? [];
            if (!others.length) continue;
            const key = `${from}>${to}`;
            const g = groups.get(key) ?? groups.set(key, { from_type: from, to_type: to, pairs: [] }).get(key)!;
            for (const o of others) g.pairs.push(`${id}:${o}`);
          }
        });
      probe(split(params[1]), split(params[2]), String(params[3] ?? ''), (f, t, id) => forward(f, t)?.[id]);
      probe(split(params[4]), split(params[5]), String(params[6] ?? ''), (f, t, id) => reversed(f, t).get(id));
      return [...groups.values()].map((g) => ({ from_type: g.from_type, to_type: g.to_type, pairs: g.pairs.join(',') }));
    }
    if (sql.includes('select distinct on (r.object_type, r.id)')) {
      const types = split(params[1]);
      const seen = new Set<string>();
      const rows: ReturnType<typeof row>[] = [];
      split(params[2]).forEach((id, i) => {
        const r = byId.get(types[i]!)?.get(id);
        if (r && !seen.has(`${types[i]}:${id}`)) {
          seen.add(`${types[i]}:${id}`);
          rows.push(row(types[i]!, r));
        }
      });
      return rows.sort((a, b) => (a.objectType < b.objectType ? -1 : a.objectType > b.objectType ? 1 : byNumber(a.id, b.id)));
    }
    if (sql.includes('e.email_to')) return []; // the emails addressed to the rep: the book's own are enough
    const types = /r\.owner_id = \$2::bigint/.test(sql) ? /any\(array\[([^\]]*)\]\)/.exec(sql)?.[1] : undefined;
    if (types !== undefined)
      return types
        .split(',')
        .map((t) => t.trim().replace(/'/g, ''))
        .sort()
        .flatMap((t) => (book.records[t as keyof WarmUpBook['records']] ?? []).map((r) => row(t, r)));
    throw new UnknownWarmUpStatement(`the data plan's warm-up does not know this statement: ${sql.replace(/\s+/g, ' ').slice(0, 120)}`);
  };
  const query = async <T extends object>(sql: string, params: readonly SqlParam[] = []) => answer(sql, params) as T[];
  return {
    query,
    async one<T extends object>(sql: string, params?: readonly SqlParam[]) {
      const rows = await query<T>(sql, params);
      if (rows.length !== 1) throw new UnknownWarmUpStatement(`expected one row, got ${rows.length}`);
      return rows[0]!;
    },
    async maybeOne<T extends object>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined> {
      const rows: T[] = await query<T>(sql, params);
      return rows[0];
    },
    async exec() {
      throw new UnknownWarmUpStatement('the data plan runs no exec');
    },
  };
}

export type DataPlanWarmUp = {
  rounds: number;
  ms: number;
  cpuMs: number;
  /** The last round's records in the engine's input, and the actions the engine found in it. */
  records: number;
  actions: number;
};

/**
 * Runs the data plan on the book `rounds` times (each round's rep in another common time zone),
 * then the engine on what it returned. Rejects with `UnknownWarmUpStatement` if the plan asks
 * what the stand-in does not know (warm-up-plan.test.ts keeps them in step).
 */
export async function warmUpDataPlan(opts: { rounds?: number; book?: WarmUpBook } = {}): Promise<DataPlanWarmUp> {
  const rounds = opts.rounds ?? 6;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const book = opts.book ?? warmUpBook();
  let records = 0;
  let actions = 0;
  for (let i = 0; i < rounds; i++) {
    const db = warmUpCopy(book, WARM_UP_TIME_ZONES[i % WARM_UP_TIME_ZONES.length]);
    const plan = await loadGuidedActionsInput(db, PORTAL, {
      userId: Number(WARM_UP_REP.userId),
      now: book.now,
      settings: defaultGuidedActionSettings,
    });
    if (plan.kind !== 'ok') throw new UnknownWarmUpStatement(`the data plan's warm-up found no rep (${plan.warnings.join(' ')})`);
    const { input } = plan;
    records = (Object.keys(book.records) as (keyof WarmUpBook['records'])[]).reduce((n, t) => n + input[t].length, 0);
    actions = evaluateGuidedActions(input, book.now, [], defaultGuidedActionSettings).actions.length;
  }
  const cpu = process.cpuUsage(cpu0);
  return { rounds, ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, records, actions };
}

/** The startup warm-up's outcome: the engine's, and the data plan's or why it failed. */
export type StartupWarmUp = { engine: WarmUpResult } & ({ plan: DataPlanWarmUp } | { plan: null; planError: unknown });

/**
 * What an instance runs before it listens (server.ts; the bench's backend children run the same):
 * the engine's warm-up, then the data plan's. A failure of the latter is returned, not thrown: it
 * leaves only that part cold.
 */
export async function warmUpBeforeListening(): Promise<StartupWarmUp> {
  const engine = warmUpGuidedActions();
  try {
    return { engine, plan: await warmUpDataPlan() };
  } catch (planError) {
    return { engine, plan: null, planError };
  }
}
