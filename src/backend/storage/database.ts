import { mkdir } from 'node:fs/promises';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import pg from 'pg';
import { migrate } from './migrate';

/** Values a query can bind: pass Dates for timestamps, objects as JSON.stringify'd text for jsonb. */
export type SqlParam = string | number | bigint | boolean | Date | null | readonly string[] | readonly number[];

/** What repositories need: a database or an open transaction. */
export interface Queryable {
  /** Runs one statement with $1… parameters and returns its rows. */
  query<T extends object = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Exactly one row, or throws. */
  one<T extends object = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T>;
  /** Zero or one row; throws on more. */
  maybeOne<T extends object = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined>;
  /** Runs several statements separated by semicolons, without parameters (DDL, migrations). */
  exec(sql: string): Promise<void>;
}

/** A single connection held for a while (inside `withLock`), able to open transactions. */
export interface Session extends Queryable {
  /**
   * Runs `fn` in a transaction: commits when it resolves, rolls back when it throws. Use only
   * `tx` inside: the outer handle would run outside the transaction (PostgreSQL) or wait for it
   * to end, i.e. forever (PGlite).
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database extends Session {
  readonly kind: DatabaseKind;
  /** The Postgres schema everything lives in, or undefined for the default search_path. */
  readonly schema: string | undefined;
  /**
   * Runs `fn` while holding the named lock, waiting for it if another holder (in this process or,
   * on PostgreSQL, in another instance) has it. `fn` gets the session the lock lives on.
   */
  withLock<T>(key: string, fn: (session: Session) => Promise<T>): Promise<T>;
  /** Like `withLock`, but returns `{ acquired: false }` at once when someone else holds the lock. */
  tryLock<T>(key: string, fn: (session: Session) => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }>;
  close(): Promise<void>;
}

/** The subset of pino's logger this layer uses. */
export interface StorageLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export type CreateDatabaseOptions = {
  /** PostgreSQL connection string; when absent, PGlite is used. */
  databaseUrl?: string;
  /** PGlite data folder; in memory when absent. Ignored with `databaseUrl`. */
  dataDir?: string;
  /** Postgres schema to keep every table in (created if missing). */
  schema?: string;
  logger?: StorageLogger;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  /** Pool size for PostgreSQL (default 10). */
  maxConnections?: number;
};

/** Where `npm start` keeps PGlite's files when DATABASE_URL is not set. */
export const DEFAULT_PGLITE_DATA_DIR = '.data/pglite';

const silentLogger: StorageLogger = { info() {}, warn() {}, error() {} };

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

// Both drivers must return the same JS values for the same SQL. Unified here:
//   int8 → number (bigint when beyond 2^53), date → 'YYYY-MM-DD' string.
// Both already agree on: timestamptz → Date, jsonb → parsed value, numeric → string, arrays → arrays.
const OID = { int8: 20, int8Array: 1016, textArray: 1009, date: 1082, dateArray: 1182 } as const;

function parseInt8(value: string): number | bigint {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : BigInt(value);
}

/** Opens PGlite or PostgreSQL, applies migrations and returns the handle. */
export async function createDatabase(opts: CreateDatabaseOptions = {}): Promise<Database> {
  const logger = opts.logger ?? silentLogger;
  if (opts.schema !== undefined && !SCHEMA_NAME.test(opts.schema)) {
    throw new Error(`Invalid schema name "${opts.schema}": use lower-case letters, digits and _`);
  }
  const db = opts.databaseUrl
    ? openPostgres(opts.databaseUrl, opts.schema, opts.maxConnections ?? 10, logger)
    : await openPglite(opts.dataDir, opts.schema);
  if (opts.migrate ?? true) {
    try {
      await migrate(db, { logger });
    } catch (err) {
      await db.close().catch(() => {});
      throw err;
    }
  }
  return db;
}

type RawRunner = {
  query(sql: string, params?: readonly SqlParam[]): Promise<object[]>;
  exec(sql: string): Promise<void>;
};

function queryable(run: RawRunner): Queryable {
  return {
    query: <T extends object>(sql: string, params?: readonly SqlParam[]) => run.query(sql, params) as Promise<T[]>,
    async one<T extends object>(sql: string, params?: readonly SqlParam[]): Promise<T> {
      const rows = (await run.query(sql, params)) as T[];
      if (rows.length !== 1) throw new Error(`Expected exactly one row, got ${rows.length}: ${firstLine(sql)}`);
      return rows[0] as T;
    },
    async maybeOne<T extends object>(sql: string, params?: readonly SqlParam[]): Promise<T | undefined> {
      const rows = (await run.query(sql, params)) as T[];
      if (rows.length > 1) throw new Error(`Expected at most one row, got ${rows.length}: ${firstLine(sql)}`);
      return rows[0];
    },
    exec: (sql: string) => run.exec(sql),
  };
}

function firstLine(sql: string): string {
  return sql.trim().split('\n')[0]?.slice(0, 120) ?? '';
}

// ---------------------------------------------------------------------------- PGlite

async function openPglite(dataDir: string | undefined, schema: string | undefined): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, {
    // Smaller buffers than PGlite's defaults: ~140 MB less resident memory, ample for our tables.
    postgresqlconf: ['shared_buffers = 8MB', 'wal_buffers = 1MB', 'work_mem = 4MB', 'maintenance_work_mem = 16MB'],
    parsers: {
      [pgliteTypes.INT8]: parseInt8,
      [OID.date]: (v: string) => v,
    },
  });
  if (schema) {
    // One connection: create the schema up front so search_path resolves from the first query.
    await pglite.exec(`create schema if not exists ${schema}; set search_path to ${schema};`);
  }

  const runner = (q: Pick<PGlite, 'query' | 'exec'>): RawRunner => ({
    async query(sql, params) {
      const res = await q.query<object>(sql, params ? [...params] : undefined);
      return res.rows;
    },
    async exec(sql) {
      await q.exec(sql);
    },
  });

  const base = queryable(runner(pglite));
  const session: Session = {
    ...base,
    transaction: (fn) => pglite.transaction((tx) => fn(queryable(runner(tx)))),
  };
  // PGlite is one process and one connection: an in-process mutex is the whole lock.
  const locks = new Map<string, Promise<unknown>>();

  return {
    ...session,
    kind: 'pglite',
    schema,
    async withLock(key, fn) {
      for (;;) {
        const held = locks.get(key);
        if (!held) break;
        await held.catch(() => {});
      }
      const run = fn(session);
      locks.set(key, run);
      try {
        return await run;
      } finally {
        locks.delete(key);
      }
    },
    async tryLock(key, fn) {
      if (locks.has(key)) return { acquired: false };
      const run = fn(session);
      locks.set(key, run);
      try {
        return { acquired: true, value: await run };
      } finally {
        locks.delete(key);
      }
    },
    close: () => pglite.close(),
  };
}

// ---------------------------------------------------------------------------- PostgreSQL

function openPostgres(url: string, schema: string | undefined, max: number, logger: StorageLogger): Database {
  const typeOverrides = new pg.TypeOverrides();
  typeOverrides.setTypeParser(OID.int8, parseInt8);
  // text[]'s parser splits any array literal into strings; pg's typings only list scalar oids.
  const getParser = pg.types.getTypeParser as (oid: number) => (v: string) => (string | null)[];
  const textArray = getParser(OID.textArray);
  typeOverrides.setTypeParser(OID.int8Array, (v: string) => textArray(v).map((x) => (x === null ? null : parseInt8(x))));
  typeOverrides.setTypeParser(OID.date, (v: string) => v);
  typeOverrides.setTypeParser(OID.dateArray, textArray);

  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: typeOverrides,
    // Startup parameters, so every pooled connection has them before its first query. JIT off:
    // our statements are short and index-driven; PostgreSQL compiled the bigger ones (tens of
    // thousands of index probes, cost over jit_above_cost) for 20–40 ms, more than it saved
    // (docs/decisions/0015-guided-actions-cold-from-the-copy.md).
    options: [...(schema ? [`-c search_path=${schema}`] : []), '-c jit=off'].join(' '),
  });
  pool.on('error', (err) => logger.error({ err }, 'idle PostgreSQL connection failed'));

  const runner = (q: pg.Pool | pg.PoolClient): RawRunner => ({
    async query(sql, params) {
      const res = await q.query(sql, params ? [...params] : undefined);
      return res.rows as object[];
    },
    async exec(sql) {
      await q.query(sql);
    },
  });

  // `poison` marks a connection whose state is unknown (failed ROLLBACK or unlock): it is destroyed.
  const clientSession = (client: pg.PoolClient, poison: () => void): Session => ({
    ...queryable(runner(client)),
    async transaction(fn) {
      await client.query('begin');
      try {
        const value = await fn(queryable(runner(client)));
        await client.query('commit');
        return value;
      } catch (err) {
        await client.query('rollback').catch(poison);
        throw err;
      }
    },
  });

  async function withClient<T>(fn: (client: pg.PoolClient, poison: () => void) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let poisoned = false;
    try {
      return await fn(client, () => {
        poisoned = true;
      });
    } finally {
      client.release(poisoned);
    }
  }

  async function holding<T>(client: pg.PoolClient, poison: () => void, name: string, fn: (s: Session) => Promise<T>): Promise<T> {
    try {
      return await fn(clientSession(client, poison));
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [name]).catch(poison);
    }
  }

  return {
    ...queryable(runner(pool)),
    kind: 'postgres',
    schema,
    transaction: (fn) => withClient((client, poison) => clientSession(client, poison).transaction(fn)),
    withLock: (key, fn) =>
      withClient(async (client, poison) => {
        const name = lockName(schema, key);
        await client.query('select pg_advisory_lock(hashtext($1))', [name]);
        return holding(client, poison, name, fn);
      }),
    tryLock: (key, fn) =>
      withClient(async (client, poison) => {
        const name = lockName(schema, key);
        const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtext($1)) as ok', [name]);
        if (!rows[0]?.ok) return { acquired: false } as const;
        return { acquired: true, value: await holding(client, poison, name, fn) } as const;
      }),
    close: () => pool.end(),
  };
}

/** Advisory locks are per database, not per schema: qualify the key so test schemas don't collide. */
function lockName(schema: string | undefined, key: string): string {
  return `tiller:${schema ?? ''}:${key}`;
}
