import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Alert,
  Button,
  EmptyState,
  Flex,
  Heading,
  Select,
  Table,
  ErrorState,
  Link,
  LoadingSpinner,
  StatisticsItem,
  Tab,
  Tabs,
  Text,
  Tile,
  hubspot,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { PageLink } from '@hubspot/ui-extensions/pages';
import { WorkspaceHome } from './WorkspaceHome';
import { WorkspacePages } from './WorkspacePages';
import { WORKSPACE_TABS } from './tabs';
import {
  EMPTY,
  ORIGIN,
  PROFILES,
  backendAnswering,
  buckets,
  callsOf,
  guidedActions,
  healthAlert,
  healthSummary,
  json,
} from '../shared/testing/fixtures';
import type { TaskBucketsResponse } from '../api/contract';

/** The backend of the workspace home, with the task buckets given. */
function home(tasks: TaskBucketsResponse, routes: Record<string, unknown> = {}) {
  return backendAnswering({ ...HOME_ROUTES, '/api/v1/tasks/buckets': tasks, ...routes });
}

const ME = { portalId: 4242, userId: 1, viewAsUserId: 1, ownerId: '77', isManager: false, timeZone: 'Europe/Paris' };

const HOME_ROUTES: Record<string, unknown> = {
  '/api/v1/me': ME,
  '/api/v1/guided-actions': guidedActions(),
  '/api/v1/health/summary': healthSummary(),
  '/api/v1/health/profiles': PROFILES,
  '/api/v1/health/alerts': { alerts: [healthAlert('1')] },
};

/** Selects a workspace tab as a click on it would. */
function selectTab(renderer: ReturnType<typeof createRenderer>, tabId: string) {
  renderer.find(Tabs).trigger('onSelectedChange', tabId as never);
}

function renderHome(variables: Record<string, string> = { BACKEND_ORIGIN: ORIGIN }) {
  const renderer = createRenderer('pages');
  renderer.mocks.context.variables = variables;
  renderer.mocks.context.portal = { id: 4242, timezone: 'Europe/Paris' };
  renderer.render(<WorkspaceHome />);
  return renderer;
}

afterEach(() => vi.restoreAllMocks());

describe('WorkspaceHome', () => {
  it('loads the viewing user’s buckets and shows counts and the first tasks of each', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(home(buckets()));
    const { findAll, findByTestId, maybeFind, waitFor } = renderHome();

    expect(maybeFind(LoadingSpinner)).not.toBeNull();
    await waitFor(() => expect(maybeFind(LoadingSpinner)).toBeNull());
    expect(findByTestId(Flex, 'tasks-summary')).toBeTruthy();

    expect(findAll(Tab).map((tab) => tab.props.title)).toEqual([
      'Customer Success',
      'Customers',
      'Services',
      'Revenue',
      'Actions',
      'Sales',
      'Schedule',
      'Feed',
      'Dashboards',
    ]);
    const summary = findByTestId(Flex, 'tasks-summary');
    expect(summary.findAll(StatisticsItem).map((item) => [item.props.label, item.props.number])).toEqual([
      ['Overdue', 12],
      ['Due today', 1],
      ['Due tomorrow', 0],
    ]);
    expect(summary.findAll(Text).map((text) => text.text)).toEqual(
      expect.arrayContaining(['Nothing due tomorrow.', 'And 10 more.', 'Times in Europe/Paris.']),
    );
    expect(callsOf(fetch).filter((c) => c.path === '/api/v1/tasks/buckets')).toEqual([
      { method: 'GET', path: '/api/v1/tasks/buckets', query: { limit: '5' }, body: undefined },
    ]);
  });

  it('links every task to its associated record in HubSpot', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(home(buckets()));
    const { findByTestId, waitFor } = renderHome();
    await waitFor(() => expect(findByTestId(Flex, 'tasks-summary').findAll(Link)).toHaveLength(3));

    const links = findByTestId(Flex, 'tasks-summary').findAll(Link);
    expect(links.map((link) => [link.text, link.props.href])).toEqual([
      ['Call Bo about renewal', 'https://app.hubspot.com/contacts/4242/record/0-2/4'],
      ['Send deck', 'https://app.hubspot.com/contacts/4242/record/0-1/9'],
      ['Prepare QBR', 'https://app.hubspot.com/contacts/4242/record/0-3/5'],
    ]);
  });

  it('lets a sales rep pick a bucket by its count', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(home(buckets()));
    const renderer = renderHome();
    const { findByTestId, waitFor } = renderer;
    selectTab(renderer, 'sales');
    await waitFor(() => expect(findByTestId(Button, 'bucket-overdue').props.variant).toBe('primary'));
    const sales = () => findByTestId(Flex, 'tasks-picker');
    // The bucket's tasks, after the link that starts HubSpot's task queue (SW-1).
    expect(sales().findAll(Link)).toHaveLength(3);
    expect(findByTestId(Link, 'start-queue').text).toBe('Start the task queue in HubSpot (12 overdue)');
    // the queue starts at the bucket's first (oldest due) task, opened in HubSpot's task list
    expect(findByTestId(Link, 'start-queue').props.href).toEqual({
      url: 'https://app.hubspot.com/contacts/4242/tasks/list/view/all/?taskId=11',
      external: true,
    });

    findByTestId(Button, 'bucket-today').trigger('onClick');
    await waitFor(() => expect(findByTestId(Button, 'bucket-today').props.variant).toBe('primary'));
    expect(
      sales()
        .findAll(Link)
        .map((link) => link.text),
    ).toEqual(['Start the task queue in HubSpot (1 due today)', 'Prepare QBR']);
    expect(findByTestId(Button, 'bucket-today').text).toBe('Due today (1)');
  });

  it('says there is nothing due when every bucket is empty', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(home(EMPTY));
    const { find, waitFor } = renderHome();
    await waitFor(() =>
      expect(find(Tab, { tabId: 'summary' }).find(EmptyState).find(Text).text).toBe(
        'You have no open tasks that are overdue, due today or due tomorrow.',
      ),
    );
  });

  it('shows a plain sentence when the backend fails, even without an error body', async () => {
    vi.spyOn(hubspot, 'fetch').mockResolvedValue(new Response('<html>Bad gateway</html>', { status: 503 }));
    const { find, waitFor } = renderHome();
    await waitFor(() =>
      expect(find(Tab, { tabId: 'summary' }).find(ErrorState).find(Text).text).toBe(
        'Tiller is briefly unavailable. Try again in a moment.',
      ),
    );
    expect(find(Tab, { tabId: 'summary' }).find(ErrorState).props.title).toBe('Your tasks could not be loaded');
  });

  it('reads our error inside the wrapper HubSpot’s proxy puts around it', async () => {
    const wrapped = {
      status: 'error',
      category: 'BAD_GATEWAY',
      message: 'Error returned from Request Uri',
      responseBody: JSON.stringify({ error: { code: 'NOT_INSTALLED', message: 'Tiller is not installed in this account.' } }),
    };
    vi.spyOn(hubspot, 'fetch').mockImplementation(async () => json(wrapped, 502));
    const { find, waitFor } = renderHome();
    await waitFor(() =>
      expect(find(Tab, { tabId: 'summary' }).find(ErrorState).find(Text).text).toBe('Tiller is not installed in this account.'),
    );
  });

  it('reports a network failure in a sentence', async () => {
    vi.spyOn(hubspot, 'fetch').mockRejectedValue(new Error('socket hang up'));
    const { find, waitFor } = renderHome();
    await waitFor(() =>
      expect(find(Tab, { tabId: 'summary' }).find(ErrorState).find(Text).text).toBe(
        'Tiller could not reach its server. Check your connection and try again.',
      ),
    );
  });

  it('does not call anything when the backend origin profile variable is missing', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch');
    const { find, waitFor } = renderHome({});
    await waitFor(() => expect(find(Tab, { tabId: 'summary' }).find(ErrorState).find(Text).text).toContain('not connected to its server'));
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('The tab shell', () => {
  const paths = (fetch: Parameters<typeof callsOf>[0]) =>
    callsOf(fetch)
      .map((c) => c.path)
      .sort();

  it('loads only the shown tab on open, and a tab’s data only once it is selected', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(home(buckets()));
    const renderer = renderHome();
    await renderer.waitFor(() => expect(renderer.maybeFind(LoadingSpinner)).toBeNull());
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(renderer.findAll(Tab).map((tab) => tab.props.tabId)).toEqual([
      'summary',
      'customers',
      'services',
      'revenue',
      'actions',
      'sales',
      'schedule',
      'feed',
      'dashboards',
    ]);
    expect(renderer.find(Tabs).props.selected).toBe('summary');
    expect(paths(fetch)).toEqual([
      '/api/v1/health/alerts',
      '/api/v1/health/profiles',
      '/api/v1/health/summary',
      '/api/v1/me',
      '/api/v1/summary/reports',
      '/api/v1/summary/schedule',
      '/api/v1/tasks/buckets',
      '/api/v1/workspace/customers/views',
    ]);
    expect(renderer.find(Tab, { tabId: 'sales' }).maybeFind(Heading)).toBeNull();

    fetch.mockClear();
    selectTab(renderer, 'sales');
    await renderer.waitFor(() => expect(renderer.findAll(Tile).map((tile) => tile.props.testId)).toContain('action-ga-1'));
    expect(renderer.find(Tabs).props.selected).toBe('sales');
    // The Sales tab's previews (SW-3): today's schedule, the week's numbers and the feed; the sequence cards (SW-2).
    expect(paths(fetch)).toEqual([
      '/api/v1/feed',
      '/api/v1/guided-actions',
      '/api/v1/install',
      '/api/v1/sales/sequences',
      '/api/v1/schedule',
      '/api/v1/schedule',
      '/api/v1/tasks/buckets',
    ]);
    // The tab left is unmounted: nothing of it stays on screen.
    expect(renderer.find(Tab, { tabId: 'summary' }).maybeFind(Heading)).toBeNull();
    expect(renderer.maybeFindByTestId(Flex, 'tasks-summary')).toBeNull();

    // Back again: the summary mounts afresh and loads again; the user's /me is not asked again.
    fetch.mockClear();
    selectTab(renderer, 'summary');
    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Flex, 'tasks-summary')).not.toBeNull());
    await renderer.waitFor(() => expect(renderer.maybeFind(LoadingSpinner)).toBeNull());
    expect(paths(fetch)).toEqual([
      '/api/v1/health/alerts',
      '/api/v1/health/profiles',
      '/api/v1/health/summary',
      '/api/v1/summary/reports',
      '/api/v1/summary/schedule',
      '/api/v1/tasks/buckets',
      '/api/v1/workspace/customers/views',
    ]);
  });

  it('ignores a selection that is not one of its tabs', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(home(buckets()));
    const renderer = renderHome();
    selectTab(renderer, 'nowhere');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(renderer.find(Tabs).props.selected).toBe('summary');
    expect(renderer.maybeFindByTestId(Flex, 'tasks-summary')).not.toBeNull();
  });
});

describe('Summary → Actions (CS-SUM-2)', () => {
  it('"show all" under a bucket opens the Actions tab on the same view', async () => {
    const actions = {
      view: 'overdue',
      timeZone: 'Europe/Paris',
      filters: { view: 'overdue' },
      sort: 'due',
      total: 0,
      tasks: [],
      owners: [],
      counts: { 'due-today': 1, overdue: 12, 'due-tomorrow': 0, completed: 0 },
      dataAsOf: '2026-11-22T10:00:00.000Z',
    };
    const fetch = vi
      .spyOn(hubspot, 'fetch')
      .mockImplementation(home(buckets(), { '/api/v1/actions/tasks': actions, '/api/v1/actions/views': { views: [] } }));
    const renderer = renderHome();
    await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'show-all-overdue')).toBeTruthy());
    expect(renderer.maybeFindByTestId(Button, 'show-all-tomorrow')).toBeNull(); // nothing to show
    renderer.findByTestId(Button, 'show-all-overdue').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.find(Tabs).props.selected).toBe('actions'));
    await renderer.waitFor(() =>
      expect(callsOf(fetch).find((c) => c.path === '/api/v1/actions/tasks')?.query).toMatchObject({ view: 'overdue' }),
    );
    await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'view-overdue').props.variant).toBe('primary'));
  });
});

describe('WorkspacePages', () => {
  it('serves the workspace home on the index route and a way back from unknown paths', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(home(EMPTY));
    const renderer = createRenderer('pages');
    renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
    renderer.render(<WorkspacePages />);
    await renderer.waitFor(() => expect(renderer.findAll(Tab)).toHaveLength(WORKSPACE_TABS.length));

    renderer.mocks.setPageLocation({ path: '/nowhere', params: {} });
    await renderer.waitFor(() => expect(renderer.find(EmptyState).props.title).toBe('This page does not exist'));
  });
});

describe('Declined optional scopes', () => {
  it('names on the Sales tab the permission a declined feature needs, and nothing when all were granted', async () => {
    const sentence = 'Leads in guided actions and the prospecting view need the "crm.objects.leads.read" permission.';
    const install = (missingScopes: { scope: string; sentence: string }[]) => ({
      portalId: 4242,
      status: 'active',
      role: 'member',
      grantedScopes: [],
      missingScopes,
    });
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      home(buckets(), { '/api/v1/install': install([{ scope: 'crm.objects.leads.read', sentence }]) }),
    );
    const renderer = renderHome();
    selectTab(renderer, 'sales');
    await renderer.waitFor(() => expect(renderer.findByTestId(Alert, 'missing-scopes').find(Text).text).toBe(sentence));

    vi.restoreAllMocks();
    vi.spyOn(hubspot, 'fetch').mockImplementation(home(buckets(), { '/api/v1/install': install([]) }));
    const granted = renderHome();
    selectTab(granted, 'sales');
    await granted.waitFor(() => expect(granted.findAll(Tile).map((tile) => tile.props.testId)).toContain('action-ga-1'));
    expect(granted.maybeFindByTestId(Alert, 'missing-scopes')).toBeNull();
  });
});

describe('View as', () => {
  const USERS = {
    users: [
      { userId: 1, ownerId: '77', name: 'Me Manager', email: 'me@example.com' },
      { userId: 2, ownerId: '78', name: 'Ann Rep', email: 'ann@example.com' },
    ],
  };

  it('lets a manager see the workspace as another user: every workspace call then carries asUserId', async () => {
    const fetch = vi
      .spyOn(hubspot, 'fetch')
      .mockImplementation(home(buckets(), { '/api/v1/me': { ...ME, isManager: true }, '/api/v1/users': USERS }));
    const renderer = renderHome();
    const { findByTestId, waitFor } = renderer;
    await waitFor(() =>
      expect(findByTestId(Select, 'view-as').props.options).toEqual([
        { label: 'Yourself', value: 'self' },
        { label: 'Ann Rep (ann@example.com)', value: '2' },
      ]),
    );
    expect(callsOf(fetch).filter((c) => c.query.asUserId !== undefined)).toEqual([]);

    fetch.mockClear();
    findByTestId(Select, 'view-as').trigger('onChange', '2' as never);
    await waitFor(() =>
      expect(
        callsOf(fetch)
          .map((c) => c.path)
          .sort(),
      ).toEqual([
        '/api/v1/health/alerts',
        '/api/v1/health/profiles',
        '/api/v1/health/summary',
        '/api/v1/summary/reports',
        '/api/v1/summary/schedule',
        '/api/v1/tasks/buckets',
        '/api/v1/workspace/customers/views',
      ]),
    );
    expect(callsOf(fetch).every((c) => c.query.asUserId === '2')).toBe(true);

    // The other tab, opened later, is the rep's too.
    fetch.mockClear();
    selectTab(renderer, 'sales');
    await waitFor(() =>
      expect(
        callsOf(fetch)
          .map((c) => c.path)
          .sort(),
      ).toEqual([
        '/api/v1/feed',
        '/api/v1/guided-actions',
        '/api/v1/install',
        '/api/v1/sales/sequences',
        '/api/v1/schedule',
        '/api/v1/schedule',
        '/api/v1/tasks/buckets',
      ]),
    );
    expect(callsOf(fetch).every((c) => c.query.asUserId === '2')).toBe(true);
    // A manager sees the rep's answers but does not answer for them.
    await waitFor(() => expect(findByTestId(Text, 'feedback-view-ga-2').text).toBe("The rep's answer: Not really"));
  });

  it('shows no picker to members and never calls the users list', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(home(buckets()));
    const { maybeFindByTestId, findAll, waitFor } = renderHome();
    await waitFor(() => expect(findAll(Tab)).toHaveLength(WORKSPACE_TABS.length));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(maybeFindByTestId(Select, 'view-as')).toBeNull();
    expect(callsOf(fetch).some((c) => c.path === '/api/v1/users')).toBe(false);
  });
});

describe('Health drill-down', () => {
  it('opens the customers of a category from the summary link, keeping the profile and view-as user', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      home(EMPTY, {
        '/api/v1/health/customers': (url: URL) =>
          url.searchParams.get('after')
            ? {
                customers: [
                  {
                    objectType: 'companies',
                    objectId: '6',
                    label: 'Cy Corp',
                    score: 12,
                    category: 'AT_RISK',
                    computedAt: '2026-11-21T06:00:00Z',
                  },
                ],
              }
            : {
                customers: [
                  {
                    objectType: 'companies',
                    objectId: '4',
                    label: 'Bo Client Inc.',
                    score: 31,
                    category: 'AT_RISK',
                    computedAt: '2026-11-21T06:00:00Z',
                  },
                ],
                paging: { next: { after: 'n1' } },
              },
      }),
    );
    const renderer = createRenderer('pages');
    renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
    renderer.mocks.context.portal = { id: 4242, timezone: 'Europe/Paris' };
    renderer.render(<WorkspacePages />);
    await renderer.waitFor(() =>
      expect(renderer.findByTestId(PageLink, 'drill-AT_RISK').props.params).toEqual({ category: 'AT_RISK', profileId: 'p-default' }),
    );

    const link = renderer.findByTestId(PageLink, 'drill-AT_RISK');
    renderer.mocks.setPageLocation({
      path: link.props.to as string,
      params: { ...(link.props.params as Record<string, string>), asUserId: '2' },
    });
    await renderer.waitFor(() =>
      expect(
        renderer
          .findByTestId(Table, 'customers-table')
          .findAll(Link)
          .map((l) => l.text),
      ).toEqual(['Bo Client Inc.']),
    );
    expect(renderer.find(Heading).text).toBe('Customers at risk');
    renderer.findByTestId(Button, 'customers-more').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(Table, 'customers-table').findAll(Link)).toHaveLength(2));
    expect(
      callsOf(fetch)
        .filter((c) => c.path === '/api/v1/health/customers')
        .map((c) => c.query),
    ).toEqual([
      { category: 'AT_RISK', profileId: 'p-default', asUserId: '2' },
      { category: 'AT_RISK', profileId: 'p-default', asUserId: '2', after: 'n1' },
    ]);
  });
});
