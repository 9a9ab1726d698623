import { describe, expect, it } from 'vitest';
import { RULE_IDS, defaultGuidedActionSettings, evaluateGuidedActions } from '../../engines/guided-actions';
import { WARM_UP_TIME_ZONES, warmUpBook, warmUpGuidedActions, warmUpInput } from './warm-up';

describe('the guided-actions warm-up', () => {
  const book = warmUpBook();

  it.each(WARM_UP_TIME_ZONES)('its book makes every rule produce at least one action for a rep in %s', (timeZone) => {
    const { actions } = evaluateGuidedActions(warmUpInput(book, timeZone), book.now, [], defaultGuidedActionSettings);
    const fired = new Set(actions.map((a) => a.rule));
    expect(RULE_IDS.filter((id) => !fired.has(id))).toEqual([]);
    // most records are picked by no rule, as in a real book
    expect(actions.length).toBeLessThan(book.records.contacts.length / 2);
  });

  it('is deterministic: the same book, the same actions, on every start', () => {
    const again = warmUpBook();
    expect(JSON.stringify(again.records)).toBe(JSON.stringify(book.records));
    expect(JSON.stringify(again.associations)).toBe(JSON.stringify(book.associations));
    const first = evaluateGuidedActions(warmUpInput(book), book.now);
    const second = evaluateGuidedActions(warmUpInput(again), again.now);
    expect(second.actions).toEqual(first.actions);
  });

  it('holds rows as the portal copy returns them: strings or null, ISO times, the reads of the mappers', () => {
    const c = book.records.contacts[0]!;
    expect(c.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    for (const v of Object.values(c.properties)) expect(v === null || typeof v === 'string').toBe(true);
    // jsonb's key order: shorter keys first
    const keys = Object.keys(c.properties);
    expect(keys.map((k) => k.length)).toEqual([...keys.map((k) => k.length)].sort((a, b) => a - b));
    expect(Object.keys(book.associations.emails?.contacts ?? {})).toHaveLength(book.records.emails.length); // every email asked
  });

  it('runs the whole path a few times and says how long it took and what it produced', () => {
    const w = warmUpGuidedActions({ rounds: 2 });
    expect(w.rounds).toBe(2);
    expect(Object.keys(w.actionsByRule).sort()).toEqual([...RULE_IDS].sort());
    expect(w.bytes).toBeGreaterThan(100_000);
    expect(w.ms).toBeGreaterThan(0);
  });
});
