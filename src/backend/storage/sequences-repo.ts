import type { Queryable } from './database';

// Enrollment → sequence, and sequence names (migration 017). portal_id leads every key.

/** What is known of an enrollment: its sequence, or null when the API can no longer name it. */
export type StoredEnrollment = { enrollmentId: string; sequenceId: string | null; contactId: string };

export interface SequencesRepo {
  /** The stored enrollments among `ids`; ids never asked about are absent. */
  enrollments(portalId: number, ids: string[]): Promise<Map<string, StoredEnrollment>>;
  /** Keeps what the API said (an enrollment already stored keeps its first answer: it never changes sequence). */
  putEnrollments(portalId: number, rows: StoredEnrollment[], at: Date): Promise<void>;
  names(portalId: number, sequenceIds: string[]): Promise<Map<string, { name: string; updatedAt: Date }>>;
  putNames(portalId: number, rows: { sequenceId: string; name: string }[], at: Date): Promise<void>;
}

const DIGITS = /^\d{1,18}$/;
const ids = (xs: string[]) => [...new Set(xs.filter((x) => DIGITS.test(x)))];

export function createSequencesRepo(db: Queryable): SequencesRepo {
  return {
    async enrollments(portalId, enrollmentIds) {
      const wanted = ids(enrollmentIds);
      if (wanted.length === 0) return new Map();
      const rows = await db.query<{
        enrollment_id: string | number | bigint;
        sequence_id: string | number | bigint | null;
        contact_id: string | number | bigint;
      }>(
        `select enrollment_id, sequence_id, contact_id from sequence_enrollments
          where portal_id = $1 and enrollment_id = any($2::bigint[])`,
        [portalId, wanted],
      );
      return new Map(
        rows.map((r) => [
          String(r.enrollment_id),
          {
            enrollmentId: String(r.enrollment_id),
            sequenceId: r.sequence_id === null ? null : String(r.sequence_id),
            contactId: String(r.contact_id),
          },
        ]),
      );
    },

    async putEnrollments(portalId, rows, at) {
      const ok = rows.filter(
        (r) => DIGITS.test(r.enrollmentId) && DIGITS.test(r.contactId) && (r.sequenceId === null || DIGITS.test(r.sequenceId)),
      );
      if (ok.length === 0) return;
      // A known sequence wins over an earlier "not resolvable" answer; a known one is never changed.
      await db.query(
        `insert into sequence_enrollments (portal_id, enrollment_id, sequence_id, contact_id, checked_at)
         select $1, e, nullif(s, '')::bigint, c, $5 from unnest($2::bigint[], $3::text[], $4::bigint[]) as t(e, s, c)
         on conflict (portal_id, enrollment_id) do update
           set sequence_id = excluded.sequence_id, checked_at = excluded.checked_at
           where sequence_enrollments.sequence_id is null and excluded.sequence_id is not null`,
        [portalId, ok.map((r) => r.enrollmentId), ok.map((r) => r.sequenceId ?? ''), ok.map((r) => r.contactId), at.toISOString()],
      );
    },

    async names(portalId, sequenceIds) {
      const wanted = ids(sequenceIds);
      if (wanted.length === 0) return new Map();
      const rows = await db.query<{ sequence_id: string | number | bigint; name: string; updated_at: Date | string }>(
        'select sequence_id, name, updated_at from sequence_names where portal_id = $1 and sequence_id = any($2::bigint[])',
        [portalId, wanted],
      );
      return new Map(rows.map((r) => [String(r.sequence_id), { name: r.name, updatedAt: new Date(r.updated_at) }]));
    },

    async putNames(portalId, rows, at) {
      const byId = new Map(rows.filter((r) => DIGITS.test(r.sequenceId) && r.name).map((r) => [r.sequenceId, r.name]));
      if (byId.size === 0) return;
      await db.query(
        `insert into sequence_names (portal_id, sequence_id, name, updated_at)
         select $1, s, n, $4 from unnest($2::bigint[], $3::text[]) as t(s, n)
         on conflict (portal_id, sequence_id) do update set name = excluded.name, updated_at = excluded.updated_at`,
        [portalId, [...byId.keys()], [...byId.values()], at.toISOString()],
      );
    },
  };
}
