import { describe, expect, it } from 'vitest';
import { buildContext } from './context';
import type { AssociationMap, ObjectType } from './input';
import { defaultGuidedActionSettings } from './settings';
import { NOW, emptyInput, seededRandom as random } from './test-factories';

/**
 * The plain reading of `assoc`: every map of the input, in order, adds `a → b` to the `from → to`
 * list of `a` and `b → a` to the `to → from` list of `b`, each list without duplicates.
 */
function referenceAssoc(associations: AssociationMap) {
  const lists = new Map<string, string[]>();
  const add = (from: string, to: string, id: string, other: string) => {
    const k = `${from}|${to}|${id}`;
    let list = lists.get(k);
    if (!list) lists.set(k, (list = []));
    if (!list.includes(other)) list.push(other);
  };
  for (const [from, tos] of Object.entries(associations))
    for (const [to, map] of Object.entries(tos ?? {})) {
      if (!map) continue;
      for (const a of Object.keys(map)) {
        if (!lists.has(`${from}|${to}|${a}`)) lists.set(`${from}|${to}|${a}`, []);
        for (const b of map[a]!) {
          add(from, to, a, b);
          add(to, from, b, a);
        }
      }
    }
  return (from: string, id: string, to: string) => lists.get(`${from}|${to}|${id}`) ?? [];
}

describe('associations', () => {
  it('merge both directions in input order, without duplicates, as the plain reading does', () => {
    const next = random(1);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
    const types: ObjectType[] = ['contacts', 'deals', 'leads', 'calls'];
    // Numeric ids (array-index keys, listed first by Object.keys), others, and duplicates.
    const ids = ['1', '2', '10', '22', '0', '4294967296', '90071992547409931', 'x', 'constructor'];
    for (let round = 0; round < 400; round++) {
      const associations: AssociationMap = {};
      for (let n = Math.floor(next() * 6); n > 0; n--) {
        const from = pick(types);
        const to = pick(types);
        const map: Record<string, string[]> = {};
        for (let k = Math.floor(next() * 6); k > 0; k--) map[pick(ids)] = Array.from({ length: Math.floor(next() * 4) }, () => pick(ids));
        (associations[from] ??= {})[to] = map;
      }
      const ctx = buildContext({ ...emptyInput(), associations }, NOW, defaultGuidedActionSettings);
      const reference = referenceAssoc(associations);
      for (const from of types)
        for (const to of types)
          for (const id of ids) expect([from, id, to, ctx.assoc(from, id, to)]).toEqual([from, id, to, reference(from, id, to)]);
    }
  });
});
