import { beforeEach, expect, it } from 'vitest';
import { createSequencesRepo } from './sequences-repo';
import { describeEachDatabase, truncateAll } from './testing';

const AT = new Date('2026-03-10T12:00:00Z');
const LATER = new Date('2026-03-11T12:00:00Z');

describeEachDatabase('sequences repo (migration 017)', (getDb) => {
  beforeEach(async () => {
    await truncateAll(getDb());
  });

  it('keeps a named enrollment for good, lets a later answer name an unnamed one, and keeps portals apart', async () => {
    const repo = createSequencesRepo(getDb());
    await repo.putEnrollments(
      1,
      [
        { enrollmentId: '7001', sequenceId: '11', contactId: '5' },
        { enrollmentId: '7002', sequenceId: null, contactId: '5' },
      ],
      AT,
    );
    await repo.putEnrollments(
      1,
      [
        { enrollmentId: '7001', sequenceId: '99', contactId: '5' }, // never changes sequence
        { enrollmentId: '7002', sequenceId: '12', contactId: '5' },
      ],
      LATER,
    );
    await repo.putEnrollments(2, [{ enrollmentId: '7001', sequenceId: '31', contactId: '8' }], AT);
    const got = await repo.enrollments(1, ['7001', '7002', '7003', 'x']);
    expect([...got.values()]).toEqual(
      expect.arrayContaining([
        { enrollmentId: '7001', sequenceId: '11', contactId: '5' },
        { enrollmentId: '7002', sequenceId: '12', contactId: '5' },
      ]),
    );
    expect(got.size).toBe(2);
    expect((await repo.enrollments(2, ['7001'])).get('7001')?.sequenceId).toBe('31');
  });

  it('keeps the newest name of a sequence with when it was read', async () => {
    const repo = createSequencesRepo(getDb());
    await repo.putNames(1, [{ sequenceId: '11', name: 'Inbound' }], AT);
    await repo.putNames(
      1,
      [
        { sequenceId: '11', name: 'Inbound follow-up' },
        { sequenceId: '12', name: '' },
      ],
      LATER,
    );
    const names = await repo.names(1, ['11', '12']);
    expect([...names]).toEqual([['11', { name: 'Inbound follow-up', updatedAt: LATER }]]);
    expect((await repo.names(2, ['11'])).size).toBe(0);
  });
});
