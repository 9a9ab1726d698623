import { describe, expect, it } from 'vitest';
import {
  cardsPage,
  enrollmentsToResolve,
  LOADING_NAME,
  sequenceCards,
  UNKNOWN_NAME,
  type EnrollmentSequence,
  type SequenceTaskInput,
} from './sequence-cards';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const H = 3_600_000;

function task(id: string, enrollmentId: string, step: number | null, dueInHours: number | null): SequenceTaskInput {
  return {
    id,
    subject: `Task ${id}`,
    dueAt: dueInHours === null ? null : NOW + dueInHours * H,
    step,
    enrollmentId,
    contact: { objectType: 'contacts', objectId: `c${enrollmentId}`, label: `Contact ${enrollmentId}` },
  };
}

const MAP: Record<string, EnrollmentSequence> = {
  e1: { sequenceId: '11', name: 'Inbound follow-up' },
  e2: { sequenceId: '11', name: 'Inbound follow-up' },
  e3: { sequenceId: '12', name: 'Renewal outreach' },
  e4: null,
};
const of = (id: string) => MAP[id];

describe('sequenceCards', () => {
  const tasks = [
    task('1', 'e1', 3, 5),
    task('2', 'e2', 3, -2),
    task('3', 'e2', 2, 30),
    task('4', 'e3', 4, 1),
    task('5', 'e4', 2, -10),
    task('6', 'e9', 2, -20), // never asked about
    task('7', 'e1', null, null),
  ];
  const cards = sequenceCards(tasks, of, { now: NOW, tasksPerCard: 3 });

  it('makes one card per sequence, known sequences first (soonest due first), then loading, then unknown', () => {
    expect(cards.map((c) => [c.sequenceId, c.name, c.state])).toEqual([
      ['11', 'Inbound follow-up', 'known'],
      ['12', 'Renewal outreach', 'known'],
      [null, LOADING_NAME, 'loading'],
      [null, UNKNOWN_NAME, 'unknown'],
    ]);
  });

  it('counts open and overdue tasks and tasks per step, by step ascending (tasks without a step left out of byStep)', () => {
    expect(cards[0]).toMatchObject({
      openTasks: 4,
      overdueTasks: 1,
      byStep: [
        { step: 2, count: 1 },
        { step: 3, count: 2 },
      ],
    });
    expect(cards[1]).toMatchObject({ openTasks: 1, overdueTasks: 0, byStep: [{ step: 4, count: 1 }] });
  });

  it('shows the first tasks soonest due first, with their step, contact and overdue flag; undated ones last', () => {
    expect(cards[0]!.tasks.map((t) => [t.id, t.step, t.overdue])).toEqual([
      ['2', 3, true],
      ['1', 3, false],
      ['3', 2, false],
    ]);
    expect(cards[0]!.tasks[0]).toMatchObject({ dueAt: new Date(NOW - 2 * H).toISOString(), contact: { objectId: 'ce2' } });
    const all = sequenceCards(tasks, of, { now: NOW, tasksPerCard: 10 });
    expect(all[0]!.tasks.at(-1)).toMatchObject({ id: '7', dueAt: null, overdue: false, step: null });
  });

  it('gives no card when there is no open sequence task', () => {
    expect(sequenceCards([], of, { now: NOW, tasksPerCard: 3 })).toEqual([]);
  });

  it('orders sequences whose first tasks are due together by name', () => {
    const same = sequenceCards([task('1', 'e3', 1, 1), task('2', 'e1', 1, 1)], of, { now: NOW, tasksPerCard: 1 });
    expect(same.map((c) => c.name)).toEqual(['Inbound follow-up', 'Renewal outreach']);
  });
});

describe('cardsPage', () => {
  it.each([
    [0, 2, ['a', 'b']],
    [1, 2, ['c', 'd']],
    [2, 2, ['e']],
    [3, 2, []],
    [0, 10, ['a', 'b', 'c', 'd', 'e']],
  ])('page %i of %i cards', (page, limit, want) => {
    expect(cardsPage(['a', 'b', 'c', 'd', 'e'], page, limit)).toEqual(want);
  });
});

describe('enrollmentsToResolve', () => {
  const t = (enrollmentId: string, contactId: string | null, dueAt: number | null) => ({ enrollmentId, contactId, dueAt });

  it('asks once per contact, with every never-asked enrollment of that contact, soonest due first, within the budget', () => {
    const todo = enrollmentsToResolve(
      [t('e1', 'c1', 50), t('e2', 'c2', 10), t('e3', 'c1', 20), t('e4', 'c3', 30), t('e1', 'c1', 5), t('e5', 'c4', null)],
      (id) => id === 'e4',
      2,
    );
    expect(todo).toEqual([
      { contactId: 'c1', enrollmentIds: ['e1', 'e3'] },
      { contactId: 'c2', enrollmentIds: ['e2'] },
    ]);
  });

  it('skips tasks without a contact and enrollments already asked about', () => {
    expect(enrollmentsToResolve([t('e1', null, 1), t('e2', 'c2', 2)], (id) => id === 'e2', 10)).toEqual([]);
  });
});
