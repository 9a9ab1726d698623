import { afterEach, describe, expect, it, vi } from 'vitest';
import { Alert, Button, EmptyState, ErrorState, Link, LoadingSpinner, Text, hubspot } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { TasksCard } from './TasksCard';
import { EMPTY, ORIGIN, backendAnswering, buckets, callsOf, json } from '../shared/testing/fixtures';

function renderCard(crm: { objectId: number; objectTypeId: string } = { objectId: 4, objectTypeId: '0-2' }) {
  const renderer = createRenderer('crm.record.sidebar');
  renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
  renderer.mocks.context.crm = crm;
  renderer.render(<TasksCard />);
  return renderer;
}

afterEach(() => vi.restoreAllMocks());

describe('TasksCard', () => {
  it('asks the backend for the tasks of the record it sits on, then shows its buckets', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockResolvedValue(json(buckets()));
    const { maybeFind, findAll, waitFor } = renderCard({ objectId: 4, objectTypeId: '0-2' });

    expect(maybeFind(LoadingSpinner)).not.toBeNull();
    await waitFor(() => expect(findAll(Link)).toHaveLength(3));

    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, options] = fetch.mock.calls[0]!;
    const called = new URL(String(url));
    expect(called.origin + called.pathname).toBe(`${ORIGIN}/api/v1/tasks/buckets`);
    expect(Object.fromEntries(called.searchParams)).toEqual({ objectType: 'companies', objectId: '4', limit: '5' });
    expect(options).toMatchObject({ method: 'GET' });
    expect(maybeFind(LoadingSpinner)).toBeNull();
  });

  it('maps deals and contacts records to their object type names', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockResolvedValue(json(EMPTY));
    const { waitFor, maybeFind } = renderCard({ objectId: 99, objectTypeId: '0-3' });
    await waitFor(() => expect(maybeFind(EmptyState)).not.toBeNull());
    expect(new URL(String(fetch.mock.calls[0]![0])).searchParams.get('objectType')).toBe('deals');
  });

  it('says so in a sentence when the record has no tasks in any bucket', async () => {
    vi.spyOn(hubspot, 'fetch').mockResolvedValue(json(EMPTY));
    const { waitFor, find } = renderCard();
    await waitFor(() => expect(find(EmptyState).find(Text).text).toContain('This record has no open tasks'));
  });

  it('shows the backend error sentence and retries on request', async () => {
    const fetch = vi
      .spyOn(hubspot, 'fetch')
      .mockResolvedValueOnce(json({ error: { code: 'HUBSPOT_FAILED', message: 'HubSpot did not answer in time.' } }, 502))
      .mockResolvedValueOnce(json(buckets()));
    const { waitFor, find, findByTestId, findAll } = renderCard();

    await waitFor(() => expect(find(ErrorState).find(Text).text).toBe('HubSpot did not answer in time.'));
    expect(fetch).toHaveBeenCalledTimes(1);

    findByTestId(Button, 'retry').trigger('onClick');
    await waitFor(() => expect(findAll(Link)).toHaveLength(3));
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('warns when the answer is partial', async () => {
    vi.spyOn(hubspot, 'fetch').mockResolvedValue(json(buckets({ partial: true, warnings: ['Company names could not be read.'] })));
    const { waitFor, find } = renderCard();
    await waitFor(() => expect(find(Alert).props.variant).toBe('warning'));
    expect(find(Alert).text).toBe('Company names could not be read.');
  });

  it('explains itself on an object it does not support, without calling the backend', () => {
    const fetch = vi.spyOn(hubspot, 'fetch');
    const { find } = renderCard({ objectId: 1, objectTypeId: '0-5' }); // tickets;
    expect(find(Text).text).toBe('This card shows tasks on contacts, companies and deals.');
    expect(fetch).not.toHaveBeenCalled();
  });
  it('completes a task in place (CARD-3): the backend writes it, the card drops it and says so', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/tasks/buckets': buckets(),
        'POST /api/v1/actions/tasks/21/complete': {
          task: { id: '21', subject: 'Prepare QBR', status: 'COMPLETED' },
          dataAsOf: '2026-11-22T10:00:00.000Z',
        },
      }),
    );
    const renderer = renderCard();
    await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'complete-21')).toBeTruthy());
    renderer.findByTestId(Button, 'complete-21').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'card-task-message').text).toBe('Completed "Prepare QBR".'));
    expect(renderer.maybeFindByTestId(Button, 'complete-21')).toBeNull();
    expect(renderer.findAll(Text).some((t) => t.text === 'Nothing due today.')).toBe(true);
    expect(
      callsOf(fetch)
        .filter((c) => c.method === 'POST')
        .map((c) => c.path),
    ).toEqual(['/api/v1/actions/tasks/21/complete']);
  });

  it('keeps the task and says why when completing fails', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/tasks/buckets': buckets(),
        'POST /api/v1/actions/tasks/21/complete': json(
          { error: { code: 'NOT_FOUND', message: 'This task no longer exists in HubSpot.' } },
          404,
        ),
      }),
    );
    const renderer = renderCard();
    await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'complete-21')).toBeTruthy());
    renderer.findByTestId(Button, 'complete-21').trigger('onClick');
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Text, 'card-task-message').text).toBe('This task no longer exists in HubSpot.'),
    );
    expect(renderer.findByTestId(Button, 'complete-21')).toBeTruthy();
  });
});
