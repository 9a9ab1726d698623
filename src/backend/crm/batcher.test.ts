import { describe, expect, it } from 'vitest';
import { SlotBatcher } from './batcher';
import { RequestMeter, runWithCallContext } from './meter';

/** A start function whose slot opens when the test says so. */
function gatedStart() {
  const calls: string[][] = [];
  const gates: (() => void)[] = [];
  const start = (take: () => string[]) =>
    new Promise<Map<string, string>>((resolve) => {
      gates.push(() => {
        const ids = take();
        calls.push(ids);
        resolve(new Map(ids.filter((id) => id !== 'missing').map((id) => [id, `v${id}`])));
      });
    });
  return { calls, gates, start };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('SlotBatcher', () => {
  it('lets everyone who asked while the call waited for its slot ride in it', async () => {
    const { calls, gates, start } = gatedStart();
    const b = new SlotBatcher<string>({ max: 100, parallel: 4, start });
    const first = b.loadMany(['1', '2']);
    const second = b.loadMany(['2', '3']);
    await tick();
    expect(gates).toHaveLength(1); // one call waiting, not two
    gates[0]!();
    expect(await first).toEqual(['v1', 'v2']);
    expect(await second).toEqual(['v2', 'v3']);
    expect(calls).toEqual([['1', '2', '3']]);
  });

  it("gives the next call the most urgent asks first: a change notification passes a poll's queued re-reads", async () => {
    const { calls, gates, start } = gatedStart();
    const b = new SlotBatcher<string>({ max: 2, parallel: 1, start });
    const ctx = (priority: 'interactive' | 'changes' | 'background') => ({ meter: new RequestMeter(), deadline: Infinity, priority });
    const poll = runWithCallContext(ctx('background'), () => b.loadMany(['p1', 'p2', 'p3', 'p4', 'p5', 'p6']));
    await tick();
    const webhook = runWithCallContext(ctx('changes'), () => b.load('w1'));
    const user = runWithCallContext(ctx('interactive'), () => b.load('u1'));
    for (let i = 0; i < 5; i++) {
      await tick();
      gates[i]?.();
    }
    await Promise.all([poll, webhook, user]);
    expect(calls).toEqual([
      ['u1', 'w1'],
      ['p1', 'p2'],
      ['p3', 'p4'],
      ['p5', 'p6'],
    ]);
  });

  it('answers undefined for ids the call did not return', async () => {
    const { gates, start } = gatedStart();
    const b = new SlotBatcher<string>({ max: 100, parallel: 4, start });
    const p = b.load('missing');
    await tick();
    gates[0]!();
    expect(await p).toBeUndefined();
  });

  it('splits past the batch size into parallel calls', async () => {
    const { calls, gates, start } = gatedStart();
    const b = new SlotBatcher<string>({ max: 2, parallel: 4, start });
    const p = b.loadMany(['1', '2', '3', '4', '5']);
    await tick();
    expect(gates).toHaveLength(3);
    gates.forEach((g) => g());
    expect(await p).toEqual(['v1', 'v2', 'v3', 'v4', 'v5']);
    expect(calls).toEqual([['1', '2'], ['3', '4'], ['5']]);
  });

  it('fails the asks a call would have carried when it fails before its slot', async () => {
    let attempts = 0;
    const b = new SlotBatcher<string>({
      max: 10,
      parallel: 1,
      start: async () => {
        attempts++;
        throw new Error('no token');
      },
    });
    await expect(b.loadMany(['1', '2'])).rejects.toThrow('no token');
    expect(attempts).toBe(1);
  });
});
