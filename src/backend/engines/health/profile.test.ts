import { describe, expect, it } from 'vitest';
import { profileSchema } from './profile';

const group = (id: string, maxPoints: number, criterionId = `${id}-c`) => ({
  id,
  label: id,
  maxPoints,
  criteria: [{ id: criterionId, label: 'Open tickets', kind: 'openTickets', bands: [{ points: maxPoints }] }],
});

const base = { id: 'p', name: 'Profile', groups: [group('a', 60), group('b', 40)] };

describe('a valid profile gets its defaults', () => {
  it('scores companies with thresholds 40/70, two-run hysteresis with a 5-point margin, version 1', () => {
    const profile = profileSchema.parse(base);
    expect(profile).toMatchObject({
      objectType: 'companies',
      segment: null,
      thresholds: { atRiskBelow: 40, goodFrom: 70 },
      hysteresis: { consecutiveRuns: 2, marginPoints: 5 },
      version: 1,
    });
    expect(profile.groups[0]?.criteria[0]?.missingData).toBe('exclude');
  });

  it.each(['companies', 'contacts', '2-3456789', 'p_subscriptions', 'p12345_subscriptions'])('accepts the object type %s', (objectType) => {
    expect(profileSchema.safeParse({ ...base, objectType }).success).toBe(true);
  });
});

describe('an invalid profile is rejected with the reason', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['group maxima that add up to 90', { groups: [group('a', 60), group('b', 30)] }, 'add up to 100'],
    ['group maxima that add up to 110', { groups: [group('a', 60), group('b', 50)] }, 'add up to 100'],
    ['thresholds in the wrong order', { thresholds: { atRiskBelow: 70, goodFrom: 40 } }, 'lower than goodFrom'],
    ['equal thresholds', { thresholds: { atRiskBelow: 50, goodFrom: 50 } }, 'lower than goodFrom'],
    ['a threshold above 100', { thresholds: { atRiskBelow: 40, goodFrom: 120 } }, ''],
    ['two groups with the same id', { groups: [group('a', 60), group('a', 40, 'other')] }, 'Duplicate group id'],
    ['two criteria with the same id', { groups: [group('a', 60, 'x'), group('b', 40, 'x')] }, 'Duplicate criterion id'],
    ['no groups', { groups: [] }, ''],
    ['a group without criteria', { groups: [{ id: 'a', label: 'a', maxPoints: 100, criteria: [] }] }, ''],
    [
      'an unknown criterion kind',
      { groups: [{ id: 'a', label: 'a', maxPoints: 100, criteria: [{ id: 'x', label: 'x', kind: 'magic' }] }] },
      '',
    ],
    [
      'a band with min above max',
      {
        groups: [{ ...group('a', 100), criteria: [{ id: 'x', label: 'x', kind: 'openTickets', bands: [{ min: 5, max: 2, points: 1 }] }] }],
      },
      'min < max',
    ],
    ['an unknown object type', { objectType: 'widgets' }, 'custom object'],
    ['zero consecutive runs', { hysteresis: { consecutiveRuns: 0, marginPoints: 5 } }, ''],
    ['a negative margin', { hysteresis: { consecutiveRuns: 2, marginPoints: -1 } }, ''],
    ['version 0', { version: 0 }, ''],
    ['an IN filter without values', { segment: { filterGroups: [{ filters: [{ propertyName: 'x', operator: 'IN' }] }] } }, 'values'],
    [
      'a BETWEEN filter without highValue',
      { segment: { filterGroups: [{ filters: [{ propertyName: 'x', operator: 'BETWEEN', value: 1 }] }] } },
      'highValue',
    ],
    ['an EQ filter without value', { segment: { filterGroups: [{ filters: [{ propertyName: 'x', operator: 'EQ' }] }] } }, 'needs a value'],
    ['an unknown operator', { segment: { filterGroups: [{ filters: [{ propertyName: 'x', operator: 'LIKE', value: 1 }] }] } }, ''],
    [
      'six filter groups (the search API allows 5)',
      { segment: { filterGroups: Array.from({ length: 6 }, () => ({ filters: [{ propertyName: 'x', operator: 'HAS_PROPERTY' }] })) } },
      '',
    ],
    [
      '19 filters in total (the search API allows 18)',
      {
        segment: {
          filterGroups: [6, 6, 6, 1].map((n) => ({
            filters: Array.from({ length: n }, () => ({ propertyName: 'x', operator: 'HAS_PROPERTY' })),
          })),
        },
      },
      '18 filters',
    ],
  ])('%s', (_name, override, message) => {
    const result = profileSchema.safeParse({ ...base, ...override });
    expect(result.success).toBe(false);
    if (message) expect(result.error?.issues.map((i) => i.message).join(' | ')).toContain(message);
  });
});
