import { describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase } from './database';
import { describeEachDatabase, TEST_DATABASE_URL, testDatabases, uniqueSchemaName } from './testing';

describeEachDatabase('Database', (getDb, kind) => {
  it('reports its kind', () => {
    expect(getDb().kind).toBe(kind);
  });

  it('returns the same JS values from both drivers', async () => {
    const row = await getDb().one(
      `select 42::int8 as i8, 7::int4 as i4, 1.50::numeric as num, '2026-11-20T09:14:00Z'::timestamptz as ts,
              '2026-11-20'::date as d, '{"a":[1]}'::jsonb as j, array['x','y']::text[] as arr, array[1,2]::int8[] as ids,
              9007199254740993::int8 as huge`,
    );
    expect(row).toEqual({
      i8: 42,
      i4: 7,
      num: '1.50',
      ts: new Date('2026-11-20T09:14:00Z'),
      d: '2026-11-20',
      j: { a: [1] },
      arr: ['x', 'y'],
      ids: [1, 2],
      huge: 9007199254740993n,
    });
  });

  it('binds Date parameters as instants', async () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const row = await getDb().one<{ same: boolean }>(`select $1::timestamptz = '2026-01-02T03:04:05.678Z'::timestamptz as same`, [at]);
    expect(row.same).toBe(true);
  });

  it('one() and maybeOne() insist on their row counts', async () => {
    const db = getDb();
    await expect(db.one('select 1 where false')).rejects.toThrow(/exactly one row, got 0/);
    await expect(db.maybeOne('select 1 where false')).resolves.toBeUndefined();
    await expect(db.maybeOne('select generate_series(1, 2)')).rejects.toThrow(/at most one row, got 2/);
  });

  it('commits a transaction that resolves', async () => {
    const db = getDb();
    await db.exec('create table tx_commit (n int)');
    const value = await db.transaction(async (tx) => {
      await tx.query('insert into tx_commit values (1), (2)');
      return 'done';
    });
    expect(value).toBe('done');
    expect(await db.query('select n from tx_commit order by n')).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('rolls back every statement of a transaction that throws', async () => {
    const db = getDb();
    await db.exec('create table tx_rollback (n int primary key)');
    await db.query('insert into tx_rollback values (1)');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into tx_rollback values (2)');
        await tx.query('insert into tx_rollback values (1)'); // duplicate key
      }),
    ).rejects.toThrow(/duplicate key/);
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into tx_rollback values (3)');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await db.query('select n from tx_rollback')).toEqual([{ n: 1 }]);
    // The database is still usable afterwards.
    await db.transaction((tx) => tx.query('insert into tx_rollback values (4)'));
    expect(await db.query('select n from tx_rollback order by n')).toEqual([{ n: 1 }, { n: 4 }]);
  });

  it('withLock runs holders of the same key one after the other', async () => {
    const db = getDb();
    const events: string[] = [];
    const hold = (id: string) =>
      db.withLock('test-serial', async () => {
        events.push(`${id} in`);
        await new Promise((r) => setTimeout(r, 30));
        events.push(`${id} out`);
      });
    await Promise.all([hold('a'), hold('b'), hold('c')]);
    for (let i = 0; i < events.length; i += 2) {
      expect(events[i]?.replace(' in', '')).toBe(events[i + 1]?.replace(' out', ''));
    }
  });

  it('tryLock declines while the lock is held and succeeds after', async () => {
    const db = getDb();
    let release!: () => void;
    const held = db.withLock('test-try', () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 50));
    expect(await db.tryLock('test-try', async () => 'x')).toEqual({ acquired: false });
    release();
    await held;
    expect(await db.tryLock('test-try', async () => 'x')).toEqual({ acquired: true, value: 'x' });
  });
});

describe('createDatabase', () => {
  it('rejects schema names that would need quoting', async () => {
    await expect(createDatabase({ schema: 'Robert"); drop' })).rejects.toThrow(/Invalid schema name/);
  });

  it('keeps PGlite data in its data folder across restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tiller-pglite-'));
    try {
      const first = await createDatabase({ dataDir: join(dir, 'pglite') });
      await first.query(`insert into portal_settings (portal_id, key, value, updated_at) values (1, 'k', '"v"', now())`);
      await first.close();
      const second = await createDatabase({ dataDir: join(dir, 'pglite') });
      expect(await second.query('select value from portal_settings')).toEqual([{ value: 'v' }]);
      expect(await second.query('select count(*)::int as n from schema_migrations')).toEqual([
        { n: (await second.query('select 1 from schema_migrations')).length },
      ]);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

const pgFactory = (await testDatabases()).find((f) => f.kind === 'postgres');

describe.skipIf(Boolean(pgFactory?.unavailable) && !process.env.CI)('PostgreSQL schema isolation', () => {
  it('sets search_path on every pooled connection', async () => {
    const schema = uniqueSchemaName();
    const db = await createDatabase({ databaseUrl: TEST_DATABASE_URL, schema, maxConnections: 4 });
    try {
      // Hold four connections at once so each answers for itself.
      const rows = await Promise.all(
        Array.from({ length: 4 }, () => db.one<{ s: string }>('select current_schema() as s, pg_sleep(0.05)')),
      );
      expect(rows.map((r) => r.s)).toEqual([schema, schema, schema, schema]);
      const tables = await db.query<{ schemaname: string }>(
        `select distinct schemaname from pg_tables where tablename in ('installations', 'guided_action_state')`,
      );
      expect(tables.map((t) => t.schemaname)).toContain(schema);
    } finally {
      await db.exec(`drop schema ${schema} cascade`);
      await db.close();
    }
  });

  it('turns JIT compilation off on every pooled connection, with or without a schema', async () => {
    const schema = uniqueSchemaName();
    const withSchema = await createDatabase({ databaseUrl: TEST_DATABASE_URL, schema, maxConnections: 2, migrate: false });
    const without = await createDatabase({ databaseUrl: TEST_DATABASE_URL, maxConnections: 2, migrate: false });
    try {
      for (const db of [withSchema, without]) {
        // Hold both connections at once so each answers for itself.
        const rows = await Promise.all(
          Array.from({ length: 2 }, () => db.one<{ jit: string }>(`select current_setting('jit') as jit, pg_sleep(0.05)`)),
        );
        expect(rows.map((r) => r.jit)).toEqual(['off', 'off']);
      }
      expect((await withSchema.one<{ s: string }>('select current_setting($1) as s', ['search_path'])).s).toBe(schema);
    } finally {
      await withSchema.close();
      await without.close();
    }
  });
});
