import { criterionSchema, profileSchema, type Criterion, type ProfileInput } from './profile';
import type { Engagement, HealthInputRecord } from './record';
import { DAY_MS } from './criteria';

// Factories for the health engine's tests, built through the schemas so defaults apply.

export const NOW = Date.parse('2026-03-15T12:00:00Z');

export const daysAgo = (days: number) => NOW - days * DAY_MS;
export const daysAhead = (days: number) => NOW + days * DAY_MS;

export function criterion(input: Record<string, unknown>): Criterion {
  return criterionSchema.parse({ id: 'c', label: 'Criterion', ...input });
}

export function makeProfile(input: Partial<ProfileInput> = {}) {
  return profileSchema.parse({
    id: 'p1',
    name: 'Test profile',
    groups: [{ id: 'g', label: 'Group', maxPoints: 100, criteria: [criterion({ kind: 'openTickets', bands: [{ points: 100 }] })] }],
    ...input,
  });
}

export function makeRecord(input: Partial<HealthInputRecord> = {}): HealthInputRecord {
  return { id: '1', label: 'Acme', ownerId: '7', properties: {}, engagements: [], tickets: [], deals: [], ...input };
}

export const meeting = (days: number, outcome?: string): Engagement => ({
  type: 'MEETING',
  timestamp: daysAgo(days),
  ...(outcome ? { outcome } : {}),
});
