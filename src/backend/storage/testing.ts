// Test support: every storage-backed test runs against PGlite (in memory) and PostgreSQL (a
// throw-away schema on this machine's server). Import only from tests.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createDatabase, type Database, type DatabaseKind } from './database';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type TestDatabaseFactory = {
  kind: DatabaseKind;
  /** Why this kind cannot run here, or undefined when it can. */
  unavailable: string | undefined;
  /** A migrated, empty database; `close()` removes everything it created. */
  create(opts?: { migrate?: boolean }): Promise<Database>;
};

/** A fresh, unique schema name for one test database. */
export function uniqueSchemaName(): string {
  return `t_${process.pid}_${randomBytes(4).toString('hex')}`;
}

async function probePostgres(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (err) {
    return `PostgreSQL unreachable at ${redact(url)}: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    await client.end().catch(() => {});
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

let probe: Promise<string | undefined> | undefined;

/** Factories for both database kinds; the PostgreSQL one reports whether the server answers. */
export async function testDatabases(): Promise<TestDatabaseFactory[]> {
  probe ??= probePostgres(TEST_DATABASE_URL);
  const pgUnavailable = await probe;
  return [
    {
      kind: 'pglite',
      unavailable: undefined,
      create: (opts) => createDatabase({ migrate: opts?.migrate }),
    },
    {
      kind: 'postgres',
      unavailable: pgUnavailable,
      create: (opts) => createPostgresTestDatabase(uniqueSchemaName(), opts),
    },
  ];
}

/**
 * A PostgreSQL database living in `schema`, which `close()` drops (CASCADE). Several handles on
 * the same schema are possible (e.g. two "instances"); pass `dropOnClose: false` to all but one.
 */
export async function createPostgresTestDatabase(
  schema: string,
  opts: { migrate?: boolean; dropOnClose?: boolean } = {},
): Promise<Database> {
  let db: Database;
  try {
    db = await createDatabase({ databaseUrl: TEST_DATABASE_URL, schema, migrate: opts.migrate, maxConnections: 4 });
  } catch (err) {
    // A failed migration may already have created the schema: don't leave it behind.
    if (opts.dropOnClose !== false) await dropSchema(schema).catch(() => {});
    throw err;
  }
  if (opts.dropOnClose === false) return db;
  return {
    ...db,
    async close() {
      try {
        await db.exec(`drop schema if exists ${schema} cascade`);
      } finally {
        await db.close();
      }
    },
  };
}

/** Drops a test schema through a short-lived connection. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

/** Empties every table but schema_migrations, so tests sharing one database start clean. */
export async function truncateAll(db: Database): Promise<void> {
  const rows = await db.query<{ name: string }>(
    `select tablename as name from pg_tables
      where schemaname = current_schema() and tablename <> 'schema_migrations'`,
  );
  if (rows.length > 0) await db.exec(`truncate ${rows.map((r) => `"${r.name}"`).join(', ')}`);
}

// Top-level await: vitest collects describe blocks synchronously, so the probe must be done first.
const factories = await testDatabases();

/**
 * Declares `fn`'s tests once per database kind, sharing one migrated database per kind
 * (`getDb()` inside hooks and tests; `migrate: false` for an empty one). When PostgreSQL is unreachable its variant is skipped
 * with the reason in its name — or fails, when CI is set.
 */
export function describeEachDatabase(
  name: string,
  fn: (getDb: () => Database, kind: DatabaseKind) => void,
  opts: { migrate?: boolean } = {},
): void {
  for (const factory of factories) {
    const title = `${name} [${factory.kind}]`;
    if (factory.unavailable) {
      if (process.env.CI) {
        describe(title, () => {
          it('needs PostgreSQL (CI is set)', () => {
            throw new Error(`${factory.unavailable}. Start it or set TEST_DATABASE_URL.`);
          });
        });
      } else {
        console.warn(`[storage tests] SKIPPING ${title}: ${factory.unavailable}`);
        describe.skip(`${title} — SKIPPED: ${factory.unavailable}`, () => {
          it('needs PostgreSQL', () => {});
        });
      }
      continue;
    }
    describe(title, () => {
      let db: Database | undefined;
      beforeAll(async () => {
        db = await factory.create(opts);
      });
      afterAll(async () => {
        await db?.close();
      });
      fn(() => {
        if (!db) throw new Error('database not ready: call getDb() inside hooks or tests');
        return db;
      }, factory.kind);
    });
  }
}
