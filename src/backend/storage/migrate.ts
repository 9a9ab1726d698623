import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database, StorageLogger } from './database';

export type Migration = { version: number; name: string; sql: string; checksum: string };

export class MigrationError extends Error {
  override name = 'MigrationError';
}

const FILE_NAME = /^(\d{3})_[a-z0-9_]+\.sql$/;

/** The folder holding NNN_name.sql files shipped with this module. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

/** Reads NNN_name.sql files from `dir`, ordered by number; rejects strays and duplicate numbers. */
export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match) throw new MigrationError(`Migration file "${file}" must be named NNN_lower_snake.sql`);
    const version = Number(match[1]);
    const clash = migrations.find((m) => m.version === version);
    if (clash) throw new MigrationError(`Migrations "${clash.name}" and "${file}" share number ${match[1]}`);
    const sql = await readFile(`${dir}/${file}`, 'utf8');
    migrations.push({ version, name: file, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return migrations;
}

type Applied = { version: number; name: string; checksum: string };

/**
 * Applies pending migrations in order, each in its own transaction, under a lock that makes
 * concurrent start-ups wait for each other. Returns the names it applied.
 */
export async function migrate(db: Database, opts: { logger?: StorageLogger; migrations?: Migration[] } = {}): Promise<string[]> {
  const migrations = [...(opts.migrations ?? (await loadMigrations()))].sort((a, b) => a.version - b.version);
  const logger = opts.logger;
  return db.withLock('migrate', async (session) => {
    if (db.schema) await session.exec(`create schema if not exists ${db.schema}`);
    await session.exec(`
      create table if not exists schema_migrations (
        version    integer primary key,
        name       text not null,
        checksum   text not null,
        applied_at timestamptz not null default now()
      )`);
    const applied = new Map(
      (await session.query<Applied>('select version, name, checksum from schema_migrations')).map((r) => [r.version, r]),
    );

    for (const [version, row] of applied) {
      const known = migrations.find((m) => m.version === version);
      if (!known) logger?.warn({ migration: row.name }, 'database has a migration this code does not know (newer release?)');
      else if (known.checksum !== row.checksum)
        logger?.warn({ migration: known.name }, 'migration file changed after it was applied; the change is not re-applied');
    }

    const done: string[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      try {
        await session.transaction(async (tx) => {
          await tx.exec(m.sql);
          await tx.query('insert into schema_migrations (version, name, checksum) values ($1, $2, $3)', [m.version, m.name, m.checksum]);
        });
      } catch (err) {
        const detail = err instanceof Error ? err.message : String(err);
        throw new MigrationError(
          `Migration ${m.name} failed and was rolled back; start-up stopped (${db.kind}${db.schema ? `, schema ${db.schema}` : ''}): ${detail}`,
          { cause: err },
        );
      }
      logger?.info({ migration: m.name, kind: db.kind }, 'migration applied');
      done.push(m.name);
    }
    return done;
  });
}

/** Names of the migrations this build has that the database has not applied (readiness). */
export async function pendingMigrations(db: Database, migrations?: Migration[]): Promise<string[]> {
  const known = migrations ?? (await loadMigrations());
  const applied = await db
    .query<{ version: number }>('select version from schema_migrations')
    .then((r) => new Set(r.map((row) => Number(row.version))))
    .catch(() => new Set<number>());
  return known.filter((m) => !applied.has(m.version)).map((m) => m.name);
}
