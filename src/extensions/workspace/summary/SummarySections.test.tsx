import { afterEach, describe, expect, it, vi } from 'vitest';
import { Alert, BarChart, Button, Checkbox, EmptyState, Input, LineChart, Link, Text, Tile, hubspot } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { ReportData, SummaryReportsResponse, TodayScheduleResponse } from '../../api/contract';
import { ViewAsProvider } from '../../api/useBackend';
import { ORIGIN, backendAnswering, callsOf, json } from '../../shared/testing/fixtures';
import { ReportsSection } from './ReportsSection';
import { TodaySchedule } from './TodaySchedule';

const AS_OF = '2026-12-04T11:59:00.000Z';

function render(node: React.ReactElement) {
  const renderer = createRenderer('pages');
  renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
  renderer.mocks.context.portal = { id: 4242, timezone: 'Europe/Paris' };
  renderer.render(node);
  return renderer;
}

afterEach(() => vi.restoreAllMocks());

const SCHEDULE: TodayScheduleResponse = {
  dataAsOf: AS_OF,
  date: '2026-12-04',
  timeZone: 'Europe/Paris',
  items: [
    {
      kind: 'task',
      id: '702',
      title: 'Plan the week',
      startsAt: '2026-12-03T23:00:00.000Z',
      endsAt: null,
      allDay: true,
      status: 'NOT_STARTED',
      done: false,
      associations: [],
    },
    {
      kind: 'meeting',
      id: '801',
      title: 'QBR with Acme',
      startsAt: '2026-12-04T09:00:00.000Z',
      endsAt: '2026-12-04T10:00:00.000Z',
      allDay: false,
      status: null,
      done: false,
      associations: [{ objectType: 'companies', objectId: '1', label: 'Acme' }],
    },
    {
      kind: 'task',
      id: '704',
      title: 'Done this morning',
      startsAt: '2026-12-04T07:00:00.000Z',
      endsAt: null,
      allDay: false,
      status: 'COMPLETED',
      done: true,
      associations: [],
    },
  ],
};

describe('Today’s schedule (CS-SUM-4)', () => {
  it('lists today’s items in the order the backend gives, with times in the user’s zone and links to the records', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/summary/schedule': SCHEDULE }));
    const r = render(<TodaySchedule />);
    await r.waitFor(() => expect(r.findAll(Tile)).toHaveLength(3));
    expect(r.findAll(Tile).map((t) => t.findAll(Text).map((x) => x.text))).toEqual([
      ['All day', 'Plan the week'],
      ['10:00–11:00', 'QBR with Acme'],
      ['08:00', 'Done this morning'],
    ]);
    expect(r.findByTestId(Tile, 'schedule-meeting-801').find(Link).props.href).toBe('https://app.hubspot.com/contacts/4242/record/0-2/1');
    expect(r.findByTestId(Tile, 'schedule-task-704').findAll(Text)[1]!.props.format).toEqual({ lineDecoration: 'strikethrough' });
  });

  it('says how many more items the day has than the answer carries', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({ '/api/v1/summary/schedule': { ...SCHEDULE, more: { tasks: 200, meetings: 47 } } }),
    );
    const r = render(<TodaySchedule />);
    await r.waitFor(() => expect(r.findByTestId(Text, 'schedule-more').text).toBe('+247 more in the Schedule tab'));
  });

  it('says when nothing is scheduled, and why when the answer is partial', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/summary/schedule': { ...SCHEDULE, items: [], partial: true, warnings: ['You are not a HubSpot owner in this portal.'] },
      }),
    );
    const r = render(<TodaySchedule />);
    await r.waitFor(() => expect(r.findByTestId(EmptyState, 'schedule-empty')).toBeTruthy());
    expect(r.findByTestId(Alert, 'schedule-partial').text).toContain('not a HubSpot owner');
  });
});

const report = (id: ReportData['id'], over: Partial<ReportData> = {}): ReportData => ({
  id,
  title: id,
  description: `About ${id}`,
  chart: 'bar',
  x: { field: 'month', label: 'Month', type: 'category' },
  y: { field: 'renewals', label: 'Renewals' },
  rows: [{ month: '2026-12', renewals: 1 }],
  ...over,
});

const GALLERY = (
  [
    'customers-by-health',
    'health-trend-30-days',
    'renewals-by-month',
    'tasks-completed-per-week',
    'activity-per-csm',
    'meetings-per-week',
  ] as const
).map((id) => ({ id, title: `Title ${id}`, description: `About ${id}`, chart: 'bar' as const }));

const REPORTS: SummaryReportsResponse = {
  dataAsOf: AS_OF,
  gallery: GALLERY,
  chosen: ['renewals-by-month', 'meetings-per-week', 'customers-by-health'],
  reports: [
    report('renewals-by-month'),
    report('meetings-per-week', {
      chart: 'line',
      x: { field: 'week', label: 'Week of', type: 'datetime' },
      y: { field: 'meetings', label: 'Meetings' },
      rows: [{ week: '2026-11-30', meetings: 2 }],
    }),
    report('customers-by-health', { empty: 'None of your customers has a health score yet.' }),
  ],
  hubspotLinks: [{ label: 'Pipeline', url: 'https://app.hubspot.com/reports-list/4242/1' }],
};

describe('Reports (CS-SUM-6)', () => {
  it('draws each chosen report as its bar or line chart, says why one is empty, and links the HubSpot reports', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/summary/reports': REPORTS }));
    const r = render(<ReportsSection />);
    await r.waitFor(() => expect(r.maybeFindByTestId(BarChart, 'chart-renewals-by-month')).not.toBeNull());
    expect(r.findByTestId(BarChart, 'chart-renewals-by-month').props.axes).toEqual({
      x: { field: 'month', fieldType: 'category', label: 'Month' },
      y: { field: 'renewals', fieldType: 'linear', label: 'Renewals' },
    });
    expect(r.findByTestId(LineChart, 'chart-meetings-per-week').props.data).toEqual([{ week: '2026-11-30', meetings: 2 }]);
    expect(r.findByTestId(EmptyState, 'report-customers-by-health-empty').find(Text).text).toContain('None of your customers');
    const link = r.find(Link);
    expect([link.props.href, link.text]).toEqual([{ url: 'https://app.hubspot.com/reports-list/4242/1', external: true }, 'Pipeline']);
  });

  it('lets the user choose at most five reports and add a HubSpot link, then saves and reloads', async () => {
    let saved: unknown;
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/summary/reports': REPORTS,
        'PUT /api/v1/summary/reports': (_u: URL, o?: { body?: unknown }) => ((saved = o?.body), REPORTS),
      }),
    );
    const r = render(<ReportsSection />);
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'choose-reports-open')).not.toBeNull());
    r.findByTestId(Button, 'choose-reports-open').trigger('onClick');
    const box = (id: string) => r.find(Checkbox, { name: `report-${id}` });
    expect(box('renewals-by-month').props.checked).toBe(true);
    box('activity-per-csm').trigger('onChange', true as never);
    box('tasks-completed-per-week').trigger('onChange', true as never);
    // Five chosen: the others can no longer be ticked.
    expect(box('health-trend-30-days').props.readOnly).toBe(true);
    box('customers-by-health').trigger('onChange', false as never);
    expect(box('health-trend-30-days').props.readOnly).toBe(false);

    r.find(Input, { name: 'reports-link-label' }).trigger('onChange', 'Churn' as never);
    r.find(Input, { name: 'reports-link-url' }).trigger('onChange', 'https://elsewhere.example/x' as never);
    expect(r.findByTestId(Button, 'reports-add-link').props.disabled).toBe(true);
    r.find(Input, { name: 'reports-link-url' }).trigger('onChange', 'https://app.hubspot.com/reports-list/4242/9' as never);
    r.findByTestId(Button, 'reports-add-link').trigger('onClick');
    r.findByTestId(Button, 'save-reports').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'choose-reports-open')).not.toBeNull());
    expect(saved).toEqual({
      chosen: ['renewals-by-month', 'meetings-per-week', 'activity-per-csm', 'tasks-completed-per-week'],
      hubspotLinks: [...REPORTS.hubspotLinks, { label: 'Churn', url: 'https://app.hubspot.com/reports-list/4242/9' }],
    });
    expect(callsOf(fetch).filter((c) => c.path === '/api/v1/summary/reports' && c.method === 'GET')).toHaveLength(2);
  });

  it('shows what the backend refused, field by field, and keeps the choice on screen', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/summary/reports': REPORTS,
        'PUT /api/v1/summary/reports': () =>
          json(
            {
              error: {
                code: 'BAD_REQUEST',
                message: 'Some fields are not valid.',
                details: [{ field: 'hubspotLinks.0.url', issue: 'must be a link into HubSpot' }],
              },
            },
            400,
          ),
      }),
    );
    const r = render(<ReportsSection />);
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'choose-reports-open')).not.toBeNull());
    r.findByTestId(Button, 'choose-reports-open').trigger('onClick');
    r.findByTestId(Button, 'save-reports').trigger('onClick');
    await r.waitFor(() =>
      expect(r.findByTestId(Alert, 'reports-save-error').text).toContain('hubspotLinks.0.url: must be a link into HubSpot'),
    );
    expect(r.maybeFindByTestId(Button, 'save-reports')).not.toBeNull();
  });

  it('shows a manager viewing as someone else that user’s reports, without the chooser', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/summary/reports': REPORTS }));
    const r = render(
      <ViewAsProvider value={9002}>
        <ReportsSection />
      </ViewAsProvider>,
    );
    await r.waitFor(() => expect(r.maybeFindByTestId(BarChart, 'chart-renewals-by-month')).not.toBeNull());
    expect(r.maybeFindByTestId(Button, 'choose-reports-open')).toBeNull();
    expect(callsOf(fetch)[0]!.query.asUserId).toBe('9002');
  });
});
