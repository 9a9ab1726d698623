import { afterEach, describe, expect, it, vi } from 'vitest';
import { Button, Dropdown, EmptyState, ErrorState, LoadingSpinner, Text, Tile, hubspot } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { GuidedActionsCard } from './GuidedActionsCard';
import { ORIGIN, backendAnswering, callsOf, guidedAction, json } from '../shared/testing/fixtures';

function renderCard(crm: { objectId: number; objectTypeId: string }) {
  const renderer = createRenderer('crm.record.sidebar');
  renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
  renderer.mocks.context.crm = crm;
  renderer.render(<GuidedActionsCard />);
  return renderer;
}

afterEach(() => vi.restoreAllMocks());

describe('GuidedActionsCard', () => {
  it('asks for the actions about the record it sits on, leads included', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/guided-actions': { actions: [guidedAction({ record: { objectType: 'leads', objectId: '31', label: 'Lead Ann' } })] },
      }),
    );
    const renderer = renderCard({ objectId: 31, objectTypeId: '0-136' });
    expect(renderer.maybeFind(LoadingSpinner)).not.toBeNull();
    await renderer.waitFor(() => expect(renderer.findAll(Tile)).toHaveLength(1));
    expect(callsOf(fetch)[0]).toMatchObject({
      path: '/api/v1/guided-actions',
      query: { category: 'all', objectType: 'leads', objectId: '31' },
    });
    expect(renderer.maybeFindByTestId(Button, 'category-all')).toBeNull();
    expect(renderer.findByTestId(Button, 'primary-link-ga-1').text).toBe('Reply');
  });

  it('round-trips feedback from the card', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/guided-actions': { actions: [guidedAction()] },
        'POST /api/v1/guided-actions/ga-1/feedback': new Response(null, { status: 204 }),
      }),
    );
    const renderer = renderCard({ objectId: 9, objectTypeId: '0-1' });
    await renderer.waitFor(() => expect(renderer.findAll(Tile)).toHaveLength(1));
    renderer.findByTestId(Dropdown.ButtonItem, 'feedback-ga-1-NOT_REALLY').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(Dropdown, 'feedback-ga-1').props.buttonText).toBe('Your answer: Not really'));
    await renderer.waitFor(() => expect(callsOf(fetch).some((c) => c.method === 'POST')).toBe(true));
    expect(callsOf(fetch).find((c) => c.method === 'POST')?.body).toEqual({ answer: 'NOT_REALLY' });
  });

  it('says there is nothing to do on this record', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/guided-actions': { actions: [] } }));
    const renderer = renderCard({ objectId: 4, objectTypeId: '0-2' });
    await renderer.waitFor(() => expect(renderer.find(EmptyState).find(Text).text).toBe('Nothing to do on this record for you right now.'));
  });

  it('shows an error sentence', async () => {
    vi.spyOn(hubspot, 'fetch').mockResolvedValue(json({ error: { code: 'FORBIDDEN', message: 'You cannot see this.' } }, 403));
    const renderer = renderCard({ objectId: 4, objectTypeId: '0-3' });
    await renderer.waitFor(() => expect(renderer.find(ErrorState).find(Text).text).toBe('You cannot see this.'));
  });

  it('explains itself on an unsupported object without calling the backend', () => {
    const fetch = vi.spyOn(hubspot, 'fetch');
    const renderer = renderCard({ objectId: 1, objectTypeId: '0-5' });
    expect(renderer.find(Text).text).toBe('This card shows guided actions on contacts, companies, deals and leads.');
    expect(fetch).not.toHaveBeenCalled();
  });
});
