import { describe, expect, it } from 'vitest';
import { evaluateFilter, matchesFilterGroups, type PropertyFilter } from './operators';
import type { PropertyValue } from './record';

const f = (operator: PropertyFilter['operator'], extra: Partial<PropertyFilter> = {}): PropertyFilter => ({
  propertyName: 'p',
  operator,
  ...extra,
});

describe('filters use the search API operators', () => {
  it.each<[string, PropertyFilter, PropertyValue | undefined, boolean]>([
    ['EQ matches equal strings whatever their case', f('EQ', { value: 'Customer' }), 'customer', true],
    ['EQ compares numbers numerically', f('EQ', { value: '10' }), 10, true],
    ['EQ matches a boolean against "true"', f('EQ', { value: 'true' }), true, true],
    ['NEQ rejects an equal value', f('NEQ', { value: 'a' }), 'A', false],
    ['NEQ accepts a different value', f('NEQ', { value: 'a' }), 'b', true],
    ['LT compares numbers', f('LT', { value: 5 }), 4, true],
    ['LT is strict', f('LT', { value: 5 }), 5, false],
    ['LTE includes the value', f('LTE', { value: 5 }), 5, true],
    ['GT compares numbers held in strings', f('GT', { value: '9' }), '10', true],
    ['GTE includes the value', f('GTE', { value: 5 }), 5, true],
    ['GT compares a date (epoch ms) with an ISO date', f('GT', { value: '2026-01-01' }), Date.parse('2026-02-01'), true],
    ['BETWEEN includes both ends', f('BETWEEN', { value: 1, highValue: 3 }), 3, true],
    ['BETWEEN excludes values outside', f('BETWEEN', { value: 1, highValue: 3 }), 4, false],
    ['IN matches one of the values', f('IN', { values: ['a', 'b'] }), 'B', true],
    ['IN rejects other values', f('IN', { values: ['a', 'b'] }), 'c', false],
    ['NOT_IN accepts other values', f('NOT_IN', { values: ['a', 'b'] }), 'c', true],
    ['HAS_PROPERTY needs a value', f('HAS_PROPERTY'), 'x', true],
    ['HAS_PROPERTY treats an empty string as unset', f('HAS_PROPERTY'), '', false],
    ['NOT_HAS_PROPERTY matches an unset property', f('NOT_HAS_PROPERTY'), null, true],
    ['CONTAINS_TOKEN matches a word', f('CONTAINS_TOKEN', { value: 'enterprise' }), 'Enterprise plan', true],
    ['CONTAINS_TOKEN matches one option of a multi-checkbox', f('CONTAINS_TOKEN', { value: 'sso' }), 'api;sso;audit', true],
    ['CONTAINS_TOKEN accepts * wildcards', f('CONTAINS_TOKEN', { value: '*@hubspot.com' }), 'bo@hubspot.com', true],
    ['CONTAINS_TOKEN rejects a partial word', f('CONTAINS_TOKEN', { value: 'enter' }), 'Enterprise plan', false],
    ['NOT_CONTAINS_TOKEN accepts a value without the token', f('NOT_CONTAINS_TOKEN', { value: 'sso' }), 'api;audit', true],
    ['a comparison on an unset property does not match', f('NEQ', { value: 'a' }), undefined, false],
  ])('%s', (_name, filter, value, matched) => {
    expect(evaluateFilter(filter, value).matched).toBe(matched);
  });
});

describe('filter groups', () => {
  const segment = {
    filterGroups: [
      { filters: [f('EQ', { value: 'customer', propertyName: 'stage' }), f('GT', { value: 1000, propertyName: 'arr' })] },
      { filters: [f('EQ', { value: 'true', propertyName: 'vip' })] },
    ],
  };
  it.each<[string, Record<string, PropertyValue>, boolean]>([
    ['every filter of a group must match', { stage: 'customer', arr: 5000 }, true],
    ['one failing filter fails its group', { stage: 'customer', arr: 10 }, false],
    ['any group may match', { vip: true }, true],
  ])('%s', (_name, properties, matched) => {
    expect(matchesFilterGroups(segment, properties)).toBe(matched);
  });

  it('no segment means every record', () => {
    expect(matchesFilterGroups(null, {})).toBe(true);
  });
});
