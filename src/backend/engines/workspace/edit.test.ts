import { describe, expect, it } from 'vitest';
import { toHubSpotValue, type EditValue } from './edit';
import type { PropertyDef } from './properties';

const def = (d: Partial<PropertyDef> & Pick<PropertyDef, 'type'>): PropertyDef => ({
  name: 'p',
  label: 'Prop',
  fieldType: 'text',
  ...d,
});
const owners = new Set(['501', '502']);
const industry = def({
  type: 'enumeration',
  fieldType: 'select',
  options: [
    { label: 'Software', value: 'SOFTWARE' },
    { label: 'Retail', value: 'RETAIL' },
    { label: 'Old', value: 'OLD', hidden: true },
  ],
});
const tags = def({ ...industry, fieldType: 'checkbox' });
const csm = def({ name: 'cs_manager', type: 'enumeration', fieldType: 'select', referencedObjectType: 'OWNER', externalOptions: true });

describe('toHubSpotValue', () => {
  it.each<[string, PropertyDef, EditValue, string]>([
    ['a number as HubSpot stores it', def({ type: 'number' }), 1200.5, '1200.5'],
    ['a number typed as text', def({ type: 'number' }), ' 42 ', '42'],
    ['a boolean', def({ type: 'bool', fieldType: 'booleancheckbox' }), true, 'true'],
    ['a day of a date property', def({ type: 'date', fieldType: 'date' }), '2027-02-28', '2027-02-28'],
    [
      'a date-time as an ISO instant in UTC',
      def({ type: 'datetime', fieldType: 'date' }),
      '2027-01-05T10:00:00+01:00',
      '2027-01-05T09:00:00.000Z',
    ],
    ['an option by its value', industry, 'RETAIL', 'RETAIL'],
    ['several options of a multiple checkbox', tags, 'RETAIL;SOFTWARE', 'RETAIL;SOFTWARE'],
    ['an active owner of a user property', csm, '502', '502'],
    ['text', def({ type: 'string' }), 'Hello', 'Hello'],
    ['null as a cleared value', def({ type: 'number' }), null, ''],
  ])('accepts %s', (_name, d, value, expected) => {
    expect(toHubSpotValue(d, value, owners)).toEqual({ ok: true, value: expected });
  });

  it.each<[string, PropertyDef, EditValue, RegExp]>([
    ['text in a number property', def({ type: 'number' }), 'twelve', /takes a number/],
    ['a day that does not exist', def({ type: 'date', fieldType: 'date' }), '2027-02-30', /takes a day/],
    ['a date-time that is not one', def({ type: 'datetime' }), 'next tuesday', /takes a date and time/],
    ['a value outside the options', industry, 'MINING', /"MINING" is not an option of "Prop"/],
    ['a hidden option', industry, 'OLD', /is not an option/],
    ['one bad option of a multiple checkbox', tags, 'RETAIL;MINING', /"MINING" is not an option/],
    ['a boolean that is not yes or no', def({ type: 'bool' }), 'maybe', /Yes or No/],
    ['someone who is not an owner', csm, '999', /not an active HubSpot user/],
    ['a calculated property', def({ type: 'number', readOnly: true }), 3, /calculated by HubSpot/],
    ['text over HubSpot’s limit', def({ type: 'string' }), 'x'.repeat(65_537), /at most 65536/],
  ])('refuses %s', (_name, d, value, issue) => {
    const r = toHubSpotValue(d, value, owners);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issue).toMatch(issue);
  });
});
