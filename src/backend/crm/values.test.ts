import { describe, expect, it } from 'vitest';
import { readBoolean, readDate, readDatetime, readMultiSelect, readNumber, readString, readValue } from './values';

// HubSpot's documented formats:
// - Property values arrive as strings or null; numbers, booleans and dates too
//   (SDK lib/codegen/crm/objects/models/SimplePublicObject.d.ts; ../shared/reference/hubspot-crm-data.md §1.1).
// - Datetimes: "Time values are represented in ISO 8601 format in responses, but the APIs will accept
//   either … ISO 8601 formatted strings … or UNIX formatted timestamps in milliseconds"; date values use
//   the complete date format YYYY-MM-DD (https://developers.hubspot.com/docs/api/faq, "How should I
//   format timestamps for HubSpot's APIs?"). Example: 1427997766000 = 02 Apr 2015 18:02:46 UTC.
// - Date properties "must be set to midnight UTC … May 1 2015 would be 1430438400000"
//   (https://developers.hubspot.com/docs/faq/how-should-timestamps-be-formatted-for-hubspots-apis).
// - Search results carry ISO datetimes such as "2024-09-11T13:27:39.356Z" (search-the-crm page examples).
// - Booleans are "true"/"false"; some engagement flags are "0"/"1" (hubspot-crm-data.md §1.1, §1.2 [OBS]).
// - Multiple checkboxes: "the values should be separated with a semicolon (;) 'value1;value2;value5'"
//   (https://developers.hubspot.com/docs/faq/how-do-i-set-multiple-values-for-checkbox-properties).
// - An empty string is how HubSpot sends a property that was cleared: it reads as absent.

describe('readDatetime', () => {
  it.each([
    ['an epoch-ms string is that instant', '1427997766000', 1427997766000],
    ['an ISO-8601 UTC string with milliseconds is that instant', '2024-09-11T13:27:39.356Z', Date.UTC(2024, 8, 11, 13, 27, 39, 356)],
    ['an ISO-8601 string without milliseconds is that instant', '2015-04-02T18:02:46Z', 1427997766000],
    ['an ISO-8601 string with an offset is read in that offset', '2015-04-02T14:02:46-04:00', 1427997766000],
    ['a date-only string is midnight UTC', '2015-05-01', 1430438400000],
    ['a short run of digits is epoch ms, not a year', '2024', 2024],
    ['zero is the epoch', '0', 0],
    ['an empty string is absent', '', null],
    ['null is absent', null, null],
    ['undefined is absent', undefined, null],
    ['text that is no date is absent', 'next Tuesday', null],
  ])('%s', (_name, raw, expected) => {
    expect(readDatetime(raw)).toBe(expected);
  });
});

describe('readDate', () => {
  it.each([
    ['midnight UTC as epoch ms is that day', '1430438400000', 1430438400000],
    ['YYYY-MM-DD is midnight UTC of that day', '2015-05-01', 1430438400000],
    ['the same day in both forms reads the same', '2024-02-29', Date.UTC(2024, 1, 29)],
    ['an empty string is absent', '', null],
    ['null is absent', null, null],
    ['an impossible date is absent', '2015-13-45', null],
  ])('%s', (_name, raw, expected) => {
    expect(readDate(raw)).toBe(expected);
  });
});

describe('readNumber', () => {
  it.each([
    ['an integer string is that number', '42', 42],
    ['a decimal string is that number', '1250.50', 1250.5],
    ['a negative number is read', '-3', -3],
    ['a deal-stage probability of "1.0" is one', '1.0', 1],
    ['an empty string is absent', '', null],
    ['null is absent', null, null],
    ['text is absent', 'n/a', null],
  ])('%s', (_name, raw, expected) => {
    expect(readNumber(raw)).toBe(expected);
  });
});

describe('readBoolean', () => {
  it.each([
    ['"true" is true', 'true', true],
    ['"false" is false', 'false', false],
    ['the engagement flag "1" is true', '1', true],
    ['the engagement flag "0" is false', '0', false],
    ['any other text is false', 'yes', false],
    ['an empty string is absent', '', null],
    ['null is absent', null, null],
  ])('%s', (_name, raw, expected) => {
    expect(readBoolean(raw)).toBe(expected);
  });
});

describe('readMultiSelect', () => {
  it.each([
    ['semicolon-separated options are a list', 'value1;value2;value5', ['value1', 'value2', 'value5']],
    ['one option is a list of one', 'sso', ['sso']],
    ['blanks between separators are dropped', 'api;;sso;', ['api', 'sso']],
    ['spaces around options are trimmed', 'api; sso', ['api', 'sso']],
    ['an empty string is no options', '', []],
    ['null is no options', null, []],
  ])('%s', (_name, raw, expected) => {
    expect(readMultiSelect(raw)).toEqual(expected);
  });
});

describe('readString', () => {
  it.each([
    ['text is itself', 'Acme', 'Acme'],
    ['an empty string is absent', '', null],
    ['null is absent', null, null],
  ])('%s', (_name, raw, expected) => {
    expect(readString(raw)).toBe(expected);
  });
});

describe('readValue', () => {
  it.each([
    ['a number property is a number', '12', 'number', 12],
    ['a bool property is a boolean', 'true', 'bool', true],
    ['a date property is epoch ms', '2015-05-01', 'date', 1430438400000],
    ['a datetime property is epoch ms', '1427997766000', 'datetime', 1427997766000],
    ['an enumeration stays its raw string', 'api;sso', 'enumeration', 'api;sso'],
    ['a property without a known type stays a string', 'x', undefined, 'x'],
    ['an empty value of any type is absent', '', 'number', null],
    ['null of any type is absent', null, 'datetime', null],
    ['a property the record does not have is undefined', undefined, 'string', undefined],
  ])('%s', (_name, raw, type, expected) => {
    expect(readValue(raw, type)).toBe(expected);
  });
});
