import { afterEach, describe, expect, it, vi } from 'vitest';
import { Alert, BarChart, Button, Checkbox, EmptyState, Input, Select, Text, hubspot } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { Dashboard, DashboardResponse, DashboardsResponse, DashboardTeamsResponse } from '../../api/contract';
import { ViewAsProvider } from '../../api/useBackend';
import { ORIGIN, backendAnswering, callsOf } from '../../shared/testing/fixtures';
import { DashboardsTab } from './DashboardsTab';
import { audienceOf } from './AddDashboard';

const GALLERY = [
  { id: 'renewals-by-month' as const, title: 'Renewals by month', description: 'Renewals', chart: 'bar' as const },
  { id: 'activity-per-csm' as const, title: 'Activity per CSM', description: 'Activity', chart: 'bar' as const },
];
const DASH: Dashboard = {
  id: 'd-0123456789abcdef',
  name: 'CS weekly',
  reportIds: ['renewals-by-month'],
  hubspotLinks: [{ label: 'Service dashboard', url: 'https://app.hubspot.com/reports-dashboard/4242/view/7' }],
  access: { kind: 'teams', teamIds: ['t-cs'] },
  createdBy: { userId: 1, name: 'Ada Rep' },
  createdAt: '2026-12-04T10:00:00.000Z',
  deletable: true,
};
const TEAMS: DashboardTeamsResponse = {
  teams: [
    {
      id: 't-cs',
      name: 'Customer Success',
      members: [
        { userId: 1, name: 'Ada Rep' },
        { userId: 3, name: 'Di Rep' },
      ],
    },
    { id: 't-sales', name: 'Sales', members: [{ userId: 2, name: 'Bo Rep' }] },
  ],
};
const OPENED: DashboardResponse = {
  dataAsOf: '2026-12-04T11:59:00.000Z',
  dashboard: DASH,
  reports: [
    {
      ...GALLERY[0]!,
      x: { field: 'month', label: 'Month', type: 'category' },
      y: { field: 'renewals', label: 'Renewals' },
      rows: [{ month: '2026-12', renewals: 3 }],
    },
  ],
};

function render(node: React.ReactElement) {
  const renderer = createRenderer('pages');
  renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
  renderer.mocks.context.portal = { id: 4242, timezone: 'Europe/Paris' };
  renderer.render(node);
  return renderer;
}

afterEach(() => vi.restoreAllMocks());

describe('Dashboards tab (CS-DASH-1, SW-5)', () => {
  it('lists the dashboards shared with the user and opens one with its reports and HubSpot links', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/dashboards': { dashboards: [DASH], gallery: GALLERY } satisfies DashboardsResponse,
        [`/api/v1/dashboards/${DASH.id}`]: OPENED,
      }),
    );
    const r = render(<DashboardsTab isManager={false} />);
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, `open-dashboard-${DASH.id}`)).not.toBeNull());
    expect(r.findAll(Text).map((t) => t.text)).toContain('1 reports, 1 HubSpot links · Shared with 1 team(s) · added by Ada Rep');
    r.findByTestId(Button, `open-dashboard-${DASH.id}`).trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(BarChart, 'chart-renewals-by-month')).not.toBeNull());
    expect(r.findByTestId(BarChart, 'chart-renewals-by-month').props.data).toEqual([{ month: '2026-12', renewals: 3 }]);
  });

  it('adds a dashboard for chosen teams only after the adder confirms who gets view access', async () => {
    let posted: unknown;
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/dashboards': { dashboards: [], gallery: GALLERY },
        '/api/v1/teams': TEAMS,
        'POST /api/v1/dashboards': (_u: URL, o?: { body?: unknown }) => ((posted = o?.body), { dashboard: DASH }),
      }),
    );
    const r = render(<DashboardsTab isManager={false} />);
    await r.waitFor(() => expect(r.findByTestId(EmptyState, 'dashboards-empty')).toBeTruthy());
    r.findByTestId(Button, 'add-dashboard-open').trigger('onClick');
    r.find(Input, { name: 'dashboard-name' }).trigger('onChange', 'CS weekly' as never);
    r.find(Checkbox, { name: 'dashboard-report-renewals-by-month' }).trigger('onChange', true as never);
    r.find(Select, { name: 'dashboard-access' }).trigger('onChange', 'teams' as never);
    await r.waitFor(() => expect(r.maybeFind(Checkbox, { name: 'dashboard-team-t-cs' })).not.toBeNull());
    expect(callsOf(fetch).map((c) => c.path)).toContain('/api/v1/teams');
    r.find(Checkbox, { name: 'dashboard-team-t-cs' }).trigger('onChange', true as never);
    expect(r.findByTestId(Button, 'save-dashboard').props.disabled).toBe(true);
    const confirm = r.find(Checkbox, { name: 'dashboard-confirm' });
    expect(confirm.text).toBe('I confirm that the 2 members of Customer Success (Ada Rep, Di Rep) will get view access to this dashboard.');
    confirm.trigger('onChange', true as never);
    // Changing the audience asks again.
    r.find(Checkbox, { name: 'dashboard-team-t-sales' }).trigger('onChange', true as never);
    expect(r.find(Checkbox, { name: 'dashboard-confirm' }).props.checked).toBe(false);
    r.find(Checkbox, { name: 'dashboard-team-t-sales' }).trigger('onChange', false as never);
    r.find(Checkbox, { name: 'dashboard-confirm' }).trigger('onChange', true as never);
    r.findByTestId(Button, 'save-dashboard').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'dashboards-notice').text).toContain('"CS weekly" was added.'));
    expect(posted).toEqual({
      name: 'CS weekly',
      reportIds: ['renewals-by-month'],
      hubspotLinks: [],
      access: { kind: 'teams', teamIds: ['t-cs'] },
      confirmViewAccess: true,
    });
  });

  it('deletes a dashboard only after the user confirms', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/dashboards': { dashboards: [DASH], gallery: GALLERY },
        [`/api/v1/dashboards/${DASH.id}`]: OPENED,
        [`DELETE /api/v1/dashboards/${DASH.id}`]: () => new Response(null, { status: 204 }),
      }),
    );
    const r = render(<DashboardsTab isManager={false} />);
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, `open-dashboard-${DASH.id}`)).not.toBeNull());
    r.findByTestId(Button, `open-dashboard-${DASH.id}`).trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'delete-dashboard')).not.toBeNull());
    r.findByTestId(Button, 'delete-dashboard').trigger('onClick');
    expect(callsOf(fetch).some((c) => c.method === 'DELETE')).toBe(false);
    r.findByTestId(Button, 'confirm-delete-dashboard').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'dashboards-notice').text).toBe('The dashboard was deleted.'));
    expect(callsOf(fetch).find((c) => c.method === 'DELETE')!.body).toEqual({ confirm: true });
  });

  it('shows a manager viewing as someone else what that user sees, without adding', async () => {
    const fetch = vi
      .spyOn(hubspot, 'fetch')
      .mockImplementation(backendAnswering({ '/api/v1/dashboards': { dashboards: [], gallery: GALLERY } }));
    const r = render(
      <ViewAsProvider value={2}>
        <DashboardsTab isManager />
      </ViewAsProvider>,
    );
    await r.waitFor(() =>
      expect(r.findByTestId(EmptyState, 'dashboards-empty').find(Text).text).toBe('No dashboard is shared with this user.'),
    );
    expect(r.maybeFindByTestId(Button, 'add-dashboard-open')).toBeNull();
    expect(
      callsOf(fetch)
        .filter((c) => c.path === '/api/v1/dashboards')
        .map((c) => c.query.asUserId),
    ).toContain('2');
    expect(callsOf(fetch).at(-1)!.query.asUserId).toBe('2');
  });

  it('says who gets access in words', () => {
    expect(audienceOf('everyone', [], [])).toBe('everyone in this HubSpot account who uses Tiller');
    expect(audienceOf('teams', TEAMS.teams, ['t-cs', 't-sales'])).toBe(
      'the 3 members of Customer Success, Sales (Ada Rep, Di Rep, Bo Rep)',
    );
  });
});
