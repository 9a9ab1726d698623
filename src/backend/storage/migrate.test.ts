import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, MigrationError, type Migration } from './migrate';
import { createPostgresTestDatabase, describeEachDatabase, dropSchema, testDatabases, uniqueSchemaName } from './testing';

function migration(version: number, slug: string, sql: string): Migration {
  const name = `${String(version).padStart(3, '0')}_${slug}.sql`;
  return { version, name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
}

describe('loadMigrations', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads the shipped migrations in numeric order, starting with 001_core and 002_guided_actions', async () => {
    const names = (await loadMigrations()).map((m) => m.name);
    expect(names.slice(0, 2)).toEqual(['001_core.sql', '002_guided_actions.sql']);
    expect(names).toEqual([...names].sort());
  });

  it('rejects files not named NNN_lower_snake.sql', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tiller-mig-'));
    await writeFile(join(dir, '1_core.sql'), 'select 1');
    await expect(loadMigrations(dir)).rejects.toThrow(/must be named NNN_lower_snake.sql/);
  });

  it('rejects two files with the same number', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tiller-mig-'));
    await writeFile(join(dir, '003_a.sql'), 'select 1');
    await writeFile(join(dir, '003_b.sql'), 'select 1');
    await expect(loadMigrations(dir)).rejects.toThrow(/share number 003/);
  });
});

describeEachDatabase(
  'migrate',
  (getDb) => {
    it('applies the shipped migrations once, in order, and records them', async () => {
      const db = getDb();
      const shipped = await loadMigrations();
      expect(await migrate(db)).toEqual(shipped.map((m) => m.name));
      expect(await migrate(db)).toEqual([]);
      const rows = await db.query<{ version: number; name: string }>(
        'select version, name from schema_migrations order by applied_at, version',
      );
      expect(rows.map((r) => r.name)).toEqual(shipped.map((m) => m.name));
      expect(await db.query('select count(*)::int as n from guided_action_state')).toEqual([{ n: 0 }]);
    });

    it('applies pending migrations by number, whatever order they are given in', async () => {
      const db = getDb();
      const applied = await migrate(db, {
        migrations: [
          migration(902, 'fill', `insert into order_probe values ('second')`),
          migration(901, 'create', `create table order_probe (v text)`),
        ],
      });
      expect(applied).toEqual(['901_create.sql', '902_fill.sql']);
      expect(await db.query('select v from order_probe')).toEqual([{ v: 'second' }]);
    });

    it('rolls back a failing migration, records nothing and stops with a clear message', async () => {
      const db = getDb();
      const broken = migration(910, 'broken', `create table half_done (n int); select no_such_column from half_done;`);
      const after = migration(911, 'after', `create table never_reached (n int)`);
      const error = await migrate(db, { migrations: [broken, after] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toMatch(/Migration 910_broken.sql failed and was rolled back; start-up stopped .*no_such_column/);
      expect(await db.query(`select 1 from schema_migrations where version in (910, 911)`)).toEqual([]);
      expect(await db.query(`select tablename from pg_tables where tablename in ('half_done', 'never_reached')`)).toEqual([]);
      // Fixing the file lets the next start-up proceed.
      const fixed = migration(910, 'broken', `create table half_done (n int)`);
      expect(await migrate(db, { migrations: [fixed, after] })).toEqual(['910_broken.sql', '911_after.sql']);
    });
  },
  { migrate: false },
);

const pgFactory = (await testDatabases()).find((f) => f.kind === 'postgres');

describe.skipIf(Boolean(pgFactory?.unavailable) && !process.env.CI)('migrate on PostgreSQL from two instances at once', () => {
  it('lets one instance migrate while the other waits, then finds nothing to do', async () => {
    const schema = uniqueSchemaName();
    const a = await createPostgresTestDatabase(schema, { migrate: false });
    const b = await createPostgresTestDatabase(schema, { migrate: false, dropOnClose: false });
    try {
      // A slow first migration widens the window in which an unlocked second runner would collide.
      const migrations = [...(await loadMigrations()), migration(950, 'slow', `select pg_sleep(0.5); create table slow_done (n int);`)];
      const [fromA, fromB] = await Promise.all([migrate(a, { migrations }), migrate(b, { migrations })]);
      const applied = [...fromA, ...fromB].sort();
      expect(applied).toEqual(migrations.map((m) => m.name).sort());
      expect([fromA.length, fromB.length].sort()).toEqual([0, migrations.length]);
      const rows = await a.query<{ n: number }>('select count(*)::int as n from schema_migrations');
      expect(rows).toEqual([{ n: migrations.length }]);
    } finally {
      await b.close();
      await a.close();
    }
  });

  it('starts two createDatabase calls on a fresh schema concurrently without errors', async () => {
    const schema = uniqueSchemaName();
    const started = await Promise.allSettled([
      createPostgresTestDatabase(schema, { dropOnClose: false }),
      createPostgresTestDatabase(schema, { dropOnClose: false }),
    ]);
    const dbs = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    try {
      expect(started.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
      const shipped = await loadMigrations();
      expect(await dbs[0]?.query('select version from schema_migrations order by version')).toEqual(
        shipped.map((m) => ({ version: m.version })),
      );
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
      await dropSchema(schema);
    }
  });
});
