import { afterEach, describe, expect, it, vi } from 'vitest';
import { Alert, Button, ErrorState, Text, hubspot } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { SequenceCard, SequenceCardsResponse } from '../../api/contract';
import { ORIGIN, backendAnswering, callsOf, json } from '../../shared/testing/fixtures';
import { SequencesSection } from './SequencesSection';

const card = (id: string, name: string, tasks: number, state: SequenceCard['state'] = 'known'): SequenceCard => ({
  sequenceId: state === 'known' ? id : null,
  name,
  state,
  openTasks: tasks,
  overdueTasks: 1,
  byStep: [
    { step: 2, count: tasks - 1 },
    { step: 3, count: 1 },
  ],
  tasks: Array.from({ length: Math.min(tasks, 2) }, (_, i) => ({
    id: `${id}${i}`,
    subject: `${name}: follow-up ${i}`,
    dueAt: '2026-03-10T09:00:00.000Z',
    overdue: i === 0,
    step: i === 0 ? 3 : 2,
    contact: { objectType: 'contacts', objectId: '7', label: 'Ann Lee' },
  })),
});

const CARDS = [card('11', 'Inbound follow-up', 4), card('12', 'Renewal outreach', 2), card('x', 'Sequence (loading)', 3, 'loading')];

function answer(url: URL, extra: Partial<SequenceCardsResponse> = {}): SequenceCardsResponse {
  const page = Number(url.searchParams.get('page') ?? 0);
  const limit = Number(url.searchParams.get('limit') ?? 3);
  const sequence = url.searchParams.get('sequence');
  const all = sequence ? CARDS.filter((c) => (c.sequenceId ?? c.state) === sequence) : CARDS;
  return {
    cards: sequence
      ? all.map((c) => ({ ...c, tasks: [...c.tasks, { ...c.tasks[0]!, id: 'extra', subject: 'Third one' }] }))
      : all.slice(page * limit, page * limit + limit),
    total: all.length,
    page,
    limit,
    openTasks: 9,
    pendingEnrollments: 2,
    partial: true,
    warnings: ['2 enrollments are still being matched to their sequence.'],
    dataAsOf: '2026-03-10T10:00:00.000Z',
    ...extra,
  };
}

function render(open = vi.fn()) {
  const renderer = createRenderer('pages');
  renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
  renderer.render(<SequencesSection open={open} />);
  return renderer;
}

afterEach(() => vi.restoreAllMocks());

describe('Sales tab sequence cards (SW-2)', () => {
  it('shows a page of cards with counts, steps and "Step N" per task, and pages left and right', async () => {
    const spy = vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/sales/sequences': (url: URL) => answer(url) }));
    const r = render();
    await r.waitFor(() => expect(r.findByTestId(Text, 'sequence-count-11').text).toBe('4 open tasks'));
    expect(r.findByTestId(Text, 'sequences-summary').text).toBe('9 open sequence tasks in 3 cards');
    expect(r.findByTestId(Text, 'sequence-steps-11').text).toBe('Step 2: 3 · Step 3: 1');
    expect(r.findByTestId(Text, 'sequence-task-110').text).toContain('Inbound follow-up: follow-up 0 · Ann Lee · overdue, due');
    expect(r.findByTestId(Text, 'sequences-page').text).toBe('1 of 2');
    expect(r.findByTestId(Alert, 'sequences-partial').text).toContain('still being matched');
    expect(r.findByTestId(Button, 'sequences-previous').props.disabled).toBe(true);

    r.findByTestId(Button, 'sequences-next').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'sequence-count-loading').text).toBe('3 open tasks'));
    expect(r.findByTestId(Text, 'sequences-page').text).toBe('2 of 2');
    expect(r.findByTestId(Button, 'sequences-next').props.disabled).toBe(true);
    expect(callsOf(spy).map((c) => c.query)).toEqual([
      { page: '0', limit: '2' },
      { page: '1', limit: '2' },
    ]);
    r.findByTestId(Button, 'sequences-previous').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'sequence-count-12').text).toBe('2 open tasks'));
  });

  it('"All tasks in sequence" loads every task of that card', async () => {
    const spy = vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/sales/sequences': (url: URL) => answer(url) }));
    const r = render();
    await r.waitFor(() => expect(r.findByTestId(Button, 'sequence-all-11').text).toBe('All tasks in sequence (4)'));
    r.findByTestId(Button, 'sequence-all-11').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'sequence-task-extra').text).toContain('Third one'));
    expect(callsOf(spy).at(-1)!.query).toEqual({ sequence: '11' });
  });

  it("opens the Actions tab on a sequence's tasks (overdue first), only for a named sequence", async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/sales/sequences': (url: URL) => answer(url) }));
    const open = vi.fn();
    const r = render(open);
    await r.waitFor(() => expect(r.findByTestId(Button, 'sequence-actions-11')).toBeTruthy());
    r.findByTestId(Button, 'sequence-actions-11').trigger('onClick');
    expect(open).toHaveBeenLastCalledWith('actions', { view: 'overdue', sequenceId: '11', sequenceName: 'Inbound follow-up' });
    r.findByTestId(Button, 'sequences-next').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'sequence-count-loading').text).toBe('3 open tasks'));
    expect(r.maybeFindByTestId(Button, 'sequence-actions-loading')).toBeNull();
  });

  it('checks again from the loading card (the background matches the rest)', async () => {
    const spy = vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/sales/sequences': (url: URL) => answer(url) }));
    const r = render();
    await r.waitFor(() => expect(r.findByTestId(Button, 'sequences-next')).toBeTruthy());
    r.findByTestId(Button, 'sequences-next').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Button, 'sequences-check-again')).toBeTruthy());
    const before = callsOf(spy).length;
    r.findByTestId(Button, 'sequences-check-again').trigger('onClick');
    await r.waitFor(() => expect(callsOf(spy).length).toBe(before + 1));
    expect(callsOf(spy).at(-1)!.query).toEqual({ page: '1', limit: '2' });
  });

  it('says so when there is no open sequence task, and when the load fails', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/sales/sequences': {
          ...answer(new URL('https://x/')),
          cards: [],
          total: 0,
          openTasks: 0,
          partial: undefined,
          warnings: undefined,
        },
      }),
    );
    const r = render();
    await r.waitFor(() => expect(r.findByTestId(Text, 'sequences-empty').text).toBe('No open sequence tasks are assigned to you.'));
    vi.restoreAllMocks();
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/sales/sequences': json({ error: { code: 'INTERNAL', message: 'Something went wrong in Tiller.' } }, 500),
      }),
    );
    const r2 = render();
    await r2.waitFor(() => expect(r2.find(ErrorState).props.title).toBe('Your sequence tasks could not be loaded'));
  });

  it('names the missing permission on the card instead of failing', async () => {
    const sentence = 'Sequence tasks grouped by sequence need the "automation.sequences.read" permission.';
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/sales/sequences': (url: URL) =>
          answer(url, {
            cards: [card('u', 'Sequence not named by HubSpot', 3, 'unknown')],
            total: 1,
            pendingEnrollments: 0,
            warnings: [sentence],
            missingScope: { scope: 'automation.sequences.read', sentence },
          }),
      }),
    );
    const r = render();
    await r.waitFor(() => expect(r.findByTestId(Alert, 'sequences-partial').text).toContain('automation.sequences.read'));
    expect(r.findByTestId(Text, 'sequence-count-unknown').text).toBe('3 open tasks');
  });
});
