// Migration 027 gives the copy's existing contacts the due_at (hubspot_owner_assigneddate) that
// sync/records.ts gives the contacts it writes: the same instant for every form the property takes.
import { expect, it } from 'vitest';
import { loadMigrations, migrate } from './migrate';
import { describeEachDatabase } from './testing';
import { readDate } from '../sync/records';

describeEachDatabase(
  'migration 027 (contacts assigned at)',
  (getDb) => {
    it('fills the due_at of the contacts already copied as the copy reads the value', async () => {
      const db = getDb();
      const all = await loadMigrations();
      await migrate(db, { migrations: all.filter((m) => m.version < 27) });
      const values: (string | null)[] = [
        '1764936000123', // epoch milliseconds
        '2026-11-20T10:15:30.250Z',
        '2026-11-20T10:15:30Z',
        '2026-11-20T12:15:30+02:00',
        '2026-11-20', // a date alone: midnight UTC
        '', // blank: no date
        'soon', // unreadable: no date
        null,
      ];
      for (const [i, v] of values.entries())
        await db.query(
          `insert into crm_records (portal_id, object_type, id, properties, synced_at) values (1, 'contacts', $1, $2::jsonb, now())`,
          [i + 1, JSON.stringify(v === null ? {} : { hubspot_owner_assigneddate: v })],
        );
      // Not a contact: untouched.
      await db.query(
        `insert into crm_records (portal_id, object_type, id, properties, synced_at) values (1, 'deals', 1, $1::jsonb, now())`,
        [JSON.stringify({ hubspot_owner_assigneddate: '1764936000123' })],
      );
      await migrate(db, { migrations: all });
      const rows = await db.query<{ id: number | bigint; due_at: Date | null }>(
        `select id, due_at from crm_records where portal_id = 1 and object_type = 'contacts' order by id`,
      );
      expect(rows.map((r) => r.due_at?.getTime() ?? null)).toEqual(values.map((v) => readDate(v)?.getTime() ?? null));
      expect(rows.filter((r) => r.due_at).length).toBe(5);
      expect(await db.query(`select due_at from crm_records where object_type = 'deals'`)).toEqual([{ due_at: null }]);
    });
  },
  { migrate: false },
);
