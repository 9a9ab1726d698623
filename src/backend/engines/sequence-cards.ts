import type { ObjectRef } from '../contract/api';
import type { SequenceCard, SequenceTask } from '../contract/sequences';

// SW-2: the rep's open sequence tasks grouped into one card per sequence, with the step of each
// task and counts per step; cards paged. Pure: the caller reads the copy and the enrollment
// mapping, and passes `now`.

export type SequenceTaskInput = {
  id: string;
  subject: string;
  dueAt: number | null;
  step: number | null;
  enrollmentId: string;
  contact: ObjectRef | null;
};

/** An enrollment's sequence: named, not asked about yet (undefined), or no longer nameable (null). */
export type EnrollmentSequence = { sequenceId: string; name: string } | null | undefined;

export const LOADING_NAME = 'Sequence (loading)';
export const UNKNOWN_NAME = 'Sequence not named by HubSpot';

type Group = { sequenceId: string | null; name: string; state: SequenceCard['state']; tasks: SequenceTaskInput[] };

const byDue = (a: SequenceTaskInput, b: SequenceTaskInput) =>
  (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity) || Number(a.id) - Number(b.id) || a.id.localeCompare(b.id);

/**
 * Groups the tasks by their enrollment's sequence. Known sequences first, the one with the soonest
 * due task first (then by name); the `loading` and `unknown` groups last.
 */
export function sequenceCards(
  tasks: SequenceTaskInput[],
  sequenceOf: (enrollmentId: string) => EnrollmentSequence,
  opts: { now: number; tasksPerCard: number },
): SequenceCard[] {
  const groups = new Map<string, Group>();
  for (const t of tasks) {
    const s = sequenceOf(t.enrollmentId);
    const key = s ? `seq:${s.sequenceId}` : s === null ? 'unknown' : 'loading';
    let g = groups.get(key);
    if (!g) {
      g = s
        ? { sequenceId: s.sequenceId, name: s.name, state: 'known', tasks: [] }
        : { sequenceId: null, name: s === null ? UNKNOWN_NAME : LOADING_NAME, state: s === null ? 'unknown' : 'loading', tasks: [] };
      groups.set(key, g);
    }
    g.tasks.push(t);
  }
  const rank = (g: Group) => (g.state === 'known' ? 0 : g.state === 'loading' ? 1 : 2);
  const sorted = [...groups.values()].map((g) => ({ ...g, tasks: [...g.tasks].sort(byDue) }));
  sorted.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.tasks[0]!.dueAt ?? Infinity) - (b.tasks[0]!.dueAt ?? Infinity) ||
      a.name.localeCompare(b.name) ||
      (a.sequenceId ?? '').localeCompare(b.sequenceId ?? ''),
  );
  return sorted.map((g) => {
    const steps = new Map<number, number>();
    for (const t of g.tasks) if (t.step !== null) steps.set(t.step, (steps.get(t.step) ?? 0) + 1);
    return {
      sequenceId: g.sequenceId,
      name: g.name,
      state: g.state,
      openTasks: g.tasks.length,
      overdueTasks: g.tasks.filter((t) => t.dueAt !== null && t.dueAt < opts.now).length,
      byStep: [...steps].sort((a, b) => a[0] - b[0]).map(([step, count]) => ({ step, count })),
      tasks: g.tasks.slice(0, opts.tasksPerCard).map((t): SequenceTask => ({
        id: t.id,
        subject: t.subject,
        dueAt: t.dueAt === null ? null : new Date(t.dueAt).toISOString(),
        overdue: t.dueAt !== null && t.dueAt < opts.now,
        step: t.step,
        contact: t.contact,
      })),
    };
  });
}

/** One page of cards (0-based `page`); a page past the end is empty. */
export function cardsPage<T>(cards: T[], page: number, limit: number): T[] {
  return cards.slice(page * limit, page * limit + limit);
}

/**
 * Which contacts to ask HubSpot about now, with their enrollments never asked about: the API
 * answers a contact's latest enrollment only, so one call settles every enrollment of the contact
 * (the latest is named, the others can no longer be). Soonest-due task first, at most `budget`.
 */
export function enrollmentsToResolve(
  tasks: { enrollmentId: string; contactId: string | null; dueAt: number | null }[],
  asked: (enrollmentId: string) => boolean,
  budget: number,
): { contactId: string; enrollmentIds: string[] }[] {
  const byContact = new Map<string, Set<string>>();
  for (const t of [...tasks].sort((a, b) => (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity))) {
    if (!t.contactId || asked(t.enrollmentId)) continue;
    let ids = byContact.get(t.contactId);
    if (!ids) {
      if (byContact.size >= budget) continue;
      byContact.set(t.contactId, (ids = new Set()));
    }
    ids.add(t.enrollmentId);
  }
  return [...byContact].map(([contactId, ids]) => ({ contactId, enrollmentIds: [...ids] }));
}
