import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Accordion,
  Alert,
  Button,
  Dropdown,
  EmptyState,
  ErrorState,
  Link,
  LoadingSpinner,
  Text,
  Tile,
  hubspot,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { GuidedActionsSection } from './GuidedActionsSection';
import { ORIGIN, backendAnswering, callsOf, guidedActions, json } from '../../shared/testing/fixtures';

function renderSection() {
  const renderer = createRenderer('pages');
  renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
  renderer.mocks.context.portal = { id: 4242, timezone: 'Europe/Paris' };
  renderer.render(<GuidedActionsSection />);
  return renderer;
}

const tiles = (renderer: ReturnType<typeof createRenderer>) => renderer.findAll(Tile).map((tile) => tile.props.testId);

afterEach(() => vi.restoreAllMocks());

describe('Guided actions on the workspace home', () => {
  it('loads all categories once and shows each action with its why, record and links, most urgent first', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/guided-actions': guidedActions() }));
    const renderer = renderSection();
    expect(renderer.maybeFind(LoadingSpinner)).not.toBeNull();
    await renderer.waitFor(() => expect(renderer.findAll(Tile)).toHaveLength(3));

    expect(callsOf(fetch)).toEqual([{ method: 'GET', path: '/api/v1/guided-actions', query: { category: 'all' }, body: undefined }]);
    expect(tiles(renderer)).toEqual(['action-ga-1', 'action-ga-2', 'action-ga-3']);
    const first = renderer.findByTestId(Tile, 'action-ga-1');
    expect(first.findAll(Text).map((t) => t.text)).toEqual(
      expect.arrayContaining(['Email replies', 'Bo Client replied 2026-11-20 09:14; you have not answered.']),
    );
    expect(first.find(Link).props.href).toBe('https://app.hubspot.com/contacts/4242/record/0-1/9');
    expect(renderer.findByTestId(Button, 'primary-link-ga-1').props.href).toBe('https://app.hubspot.com/contacts/4242/record/0-1/9');
    expect(renderer.findByTestId(Button, 'secondary-link-ga-1').text).toBe('Enrol in a sequence');
    expect(renderer.maybeFindByTestId(Button, 'secondary-link-ga-2')).toBeNull();
  });

  it('filters by category and shows the count of each', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/guided-actions': guidedActions() }));
    const renderer = renderSection();
    await renderer.waitFor(() => expect(renderer.findAll(Tile)).toHaveLength(3));
    expect(['all', 'deal', 'prospecting'].map((c) => renderer.findByTestId(Button, `category-${c}`).text)).toEqual([
      'All (3)',
      'Deal-related (1)',
      'Prospecting-related (2)',
    ]);

    renderer.findByTestId(Button, 'category-deal').trigger('onClick');
    await renderer.waitFor(() => expect(tiles(renderer)).toEqual(['action-ga-2']));
    renderer.findByTestId(Button, 'category-prospecting').trigger('onClick');
    await renderer.waitFor(() => expect(tiles(renderer)).toEqual(['action-ga-1', 'action-ga-3']));
    expect(renderer.findByTestId(Button, 'category-prospecting').props.variant).toBe('primary');
  });

  it('shows the backend counts and says the list is cut when it sent only the most urgent actions', async () => {
    const body = { ...guidedActions(), total: 412, counts: { all: 412, deal: 150, prospecting: 262 } };
    vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/guided-actions': body }));
    const renderer = renderSection();
    await renderer.waitFor(() => expect(renderer.findAll(Tile)).toHaveLength(3));
    expect(['all', 'deal', 'prospecting'].map((c) => renderer.findByTestId(Button, `category-${c}`).text)).toEqual([
      'All (412)',
      'Deal-related (150)',
      'Prospecting-related (262)',
    ]);
    expect(renderer.findByTestId(Text, 'guided-actions-truncated').text).toBe('Showing the 3 most urgent of 412 actions.');
  });

  it('lists the members of a grouped action in an expandable section', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/guided-actions': guidedActions() }));
    const renderer = renderSection();
    await renderer.waitFor(() => expect(renderer.findAll(Tile)).toHaveLength(3));
    const group = renderer.findByTestId(Accordion, 'members-ga-2');
    expect(group.props.title).toBe('3 calls');
    expect(group.props.defaultOpen).toBe(false);
    expect(group.findAll(Text).map((t) => t.text)).toEqual(['Call with Ann', 'Call with Bo', 'Call with Cy']);
    expect(renderer.maybeFindByTestId(Accordion, 'members-ga-1')).toBeNull();
  });

  it('sends feedback, shows the answer at once, and keeps it when saved', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/guided-actions': guidedActions(),
        'POST /api/v1/guided-actions/ga-1/feedback': () =>
          new Promise<Response>((resolve) => setTimeout(() => resolve(new Response(null, { status: 204 })), 30)),
      }),
    );
    const renderer = renderSection();
    await renderer.waitFor(() => expect(renderer.findAll(Tile)).toHaveLength(3));
    expect(renderer.findByTestId(Dropdown, 'feedback-ga-1').props.buttonText).toBe('Was this useful?');
    expect(renderer.findByTestId(Dropdown, 'feedback-ga-2').props.buttonText).toBe('Your answer: Not really');

    renderer.findByTestId(Dropdown.ButtonItem, 'feedback-ga-1-YES_CONTINUE').trigger('onClick');
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Dropdown, 'feedback-ga-1').props.buttonText).toBe('Your answer: Yes, continue'),
    );
    expect(renderer.findByTestId(Dropdown, 'feedback-ga-1').props.disabled).toBe(true); // optimistic, still saving
    await renderer.waitFor(() => expect(renderer.findByTestId(Dropdown, 'feedback-ga-1').props.disabled).toBe(false));
    expect(renderer.findByTestId(Dropdown, 'feedback-ga-1').props.buttonText).toBe('Your answer: Yes, continue');

    const post = callsOf(fetch).find((c) => c.method === 'POST');
    expect(post).toEqual({ method: 'POST', path: '/api/v1/guided-actions/ga-1/feedback', query: {}, body: { answer: 'YES_CONTINUE' } });
  });

  it('takes the answer back and says so when saving fails', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/guided-actions': guidedActions(),
        'POST /api/v1/guided-actions/ga-2/feedback': json(
          { error: { code: 'UNAVAILABLE', message: 'Tiller is briefly unavailable.' } },
          503,
        ),
      }),
    );
    const renderer = renderSection();
    await renderer.waitFor(() => expect(renderer.findAll(Tile)).toHaveLength(3));
    renderer.findByTestId(Dropdown.ButtonItem, 'feedback-ga-2-YES_CONTINUE').trigger('onClick');
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(Text, 'feedback-error-ga-2').text).toBe('Your answer was not saved. Tiller is briefly unavailable.'),
    );
    expect(renderer.findByTestId(Dropdown, 'feedback-ga-2').props.buttonText).toBe('Your answer: Not really');
  });

  it('explains how actions are computed and lists the approximations', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/guided-actions': guidedActions() }));
    const renderer = renderSection();
    const help = renderer.findByTestId(Accordion, 'guided-actions-help');
    const text = help
      .findAll(Text)
      .map((t) => t.text)
      .join('\n');
    expect(text).toContain('computes guided actions from your CRM data');
    expect(text).toContain('"HubSpot calling" means the call\'s source is VOIP');
    expect(text).toContain('"Engaged" means');
    expect(text).toContain('follow-up tasks are inferred');
  });

  it('says there is nothing to do when the list is empty', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/guided-actions': { actions: [] } }));
    const renderer = renderSection();
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(EmptyState, 'guided-actions-empty').find(Text).text).toContain('Nothing needs your attention'),
    );
    expect(renderer.findByTestId(Button, 'category-all').text).toBe('All (0)');
  });

  it('warns when the list is partial', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({ '/api/v1/guided-actions': { ...guidedActions(), partial: true, warnings: ['Calls could not be read.'] } }),
    );
    const renderer = renderSection();
    await renderer.waitFor(() => expect(renderer.findByTestId(Alert, 'guided-actions-partial').text).toBe('Calls could not be read.'));
    expect(renderer.findAll(Tile)).toHaveLength(3);
  });

  it('shows the error sentence and retries', async () => {
    const fetch = vi
      .spyOn(hubspot, 'fetch')
      .mockResolvedValueOnce(json({ error: { code: 'HUBSPOT_FAILED', message: 'HubSpot did not answer in time.' } }, 502))
      .mockResolvedValueOnce(json(guidedActions()));
    const renderer = renderSection();
    await renderer.waitFor(() => expect(renderer.find(ErrorState).find(Text).text).toBe('HubSpot did not answer in time.'));
    renderer.findByTestId(Button, 'retry-guided-actions').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findAll(Tile)).toHaveLength(3));
    expect(fetch).toHaveBeenCalledTimes(2);
  });
});
