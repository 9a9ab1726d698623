import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Alert,
  BarChart,
  Button,
  StatusTag,
  EmptyState,
  ErrorState,
  LineChart,
  LoadingSpinner,
  ScoreCircle,
  Select,
  StatisticsItem,
  Text,
  Tile,
  hubspot,
} from '@hubspot/ui-extensions';
import { PageLink } from '@hubspot/ui-extensions/pages';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { HealthSummarySection } from './HealthSummarySection';
import { AlertsList } from './AlertsList';
import { PROFILES, ORIGIN, backendAnswering, callsOf, healthAlert, healthSummary, json } from '../../shared/testing/fixtures';

function render(node: React.ReactElement) {
  const renderer = createRenderer('pages');
  renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
  renderer.mocks.context.portal = { id: 4242, timezone: 'Europe/Paris' };
  renderer.render(node);
  return renderer;
}

afterEach(() => vi.restoreAllMocks());

describe('Health summary', () => {
  it('shows the average, each category with count, percentage and a link to its list, and both charts', async () => {
    const fetch = vi
      .spyOn(hubspot, 'fetch')
      .mockImplementation(
        backendAnswering({ '/api/v1/health/summary': healthSummary(), '/api/v1/health/profiles': { profiles: [PROFILES.profiles[0]] } }),
      );
    const r = render(<HealthSummarySection />);
    expect(r.maybeFind(LoadingSpinner)).not.toBeNull();
    await r.waitFor(() => expect(r.findByTestId(ScoreCircle, 'health-average').props.score).toBe(61));

    expect(r.findAll(StatisticsItem).map((item) => [item.props.label, item.props.number])).toEqual([
      ['Average score', '61.4'],
      ['At risk', 18],
      ['Neutral', 40],
      ['Good', 62],
    ]);
    expect(r.find(StatisticsItem, { label: 'At risk' }).find(Text).text).toBe('15.0% of customers');
    const drill = r.findByTestId(PageLink, 'drill-AT_RISK');
    expect([drill.props.to, drill.props.params]).toEqual(['/customers', { category: 'AT_RISK', profileId: 'p-default' }]);
    const bars = r.findByTestId(BarChart, 'health-distribution').props.data as { range: string; customers: number }[];
    expect(bars).toHaveLength(10);
    expect(bars[0]).toEqual({ range: '0–10', customers: 1 });
    expect(r.findByTestId(LineChart, 'health-history').props.data).toEqual([
      { date: '2026-11-01', average: 59.8 },
      { date: '2026-11-02', average: 61.4 },
    ]);
    expect(r.maybeFindByTestId(Select, 'profile-picker')).toBeNull(); // one profile: no picker
    expect(r.maybeFindByTestId(Select, 'scope-picker')).toBeNull(); // not a manager
    expect(callsOf(fetch).find((c) => c.path === '/api/v1/health/summary')?.query).toEqual({ scope: 'mine' });
  });

  it('offers a profile picker when several profiles exist and follows it', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/health/summary': (url: URL) => healthSummary({ profileId: url.searchParams.get('profileId') ?? 'p-default' }),
        '/api/v1/health/profiles': PROFILES,
      }),
    );
    const r = render(<HealthSummarySection />);
    await r.waitFor(() => expect(r.findByTestId(Select, 'profile-picker').props.value).toBe('p-default'));
    expect(r.findByTestId(Select, 'profile-picker').props.options).toEqual([
      { label: 'Default (default)', value: 'p-default' },
      { label: 'Enterprise', value: 'p-enterprise' },
    ]);
    // 0.17.0 types trigger's argument as the handler itself; the runtime passes it to the handler.
    r.findByTestId(Select, 'profile-picker').trigger('onChange', 'p-enterprise' as never);
    await r.waitFor(() =>
      expect(r.findByTestId(PageLink, 'drill-GOOD').props.params).toEqual({ category: 'GOOD', profileId: 'p-enterprise' }),
    );
    expect(
      callsOf(fetch)
        .filter((c) => c.path === '/api/v1/health/summary')
        .map((c) => c.query),
    ).toEqual([{ scope: 'mine' }, { scope: 'mine', profileId: 'p-enterprise' }]);
  });

  it('lets a manager see the whole portal', async () => {
    const fetch = vi
      .spyOn(hubspot, 'fetch')
      .mockImplementation(backendAnswering({ '/api/v1/health/summary': healthSummary(), '/api/v1/health/profiles': PROFILES }));
    const r = render(<HealthSummarySection isManager />);
    await r.waitFor(() => expect(r.findByTestId(Select, 'scope-picker').props.value).toBe('mine'));
    r.findByTestId(Select, 'scope-picker').trigger('onChange', 'portal' as never);
    await r.waitFor(() =>
      expect(r.findByTestId(PageLink, 'drill-NEUTRAL').props.params).toEqual({
        category: 'NEUTRAL',
        profileId: 'p-default',
        scope: 'portal',
      }),
    );
    expect(
      callsOf(fetch)
        .filter((c) => c.path === '/api/v1/health/summary')
        .at(-1)?.query,
    ).toEqual({ scope: 'portal' });
  });

  it('says so when no customer is scored yet, and still shows the summary when the profile list fails', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/health/summary': healthSummary({ customers: 0, average: null, history: [] }),
        '/api/v1/health/profiles': json({ error: { code: 'FORBIDDEN', message: 'Managers only.' } }, 403),
      }),
    );
    const r = render(<HealthSummarySection />);
    await r.waitFor(() =>
      expect(r.findByTestId(EmptyState, 'health-empty').find(Text).text).toContain('None of your customers has a health score'),
    );
    expect(r.maybeFind(ErrorState)).toBeNull();
  });

  it('warns when the summary is partial and explains a short history', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/health/summary': healthSummary({ partial: true, warnings: ['Tickets could not be read.'], history: [] }),
        '/api/v1/health/profiles': PROFILES,
      }),
    );
    const r = render(<HealthSummarySection />);
    await r.waitFor(() => expect(r.findByTestId(Alert, 'health-partial').text).toBe('Tickets could not be read.'));
    expect(r.findByTestId(Text, 'health-history-empty').text).toContain('two different days');
  });

  it('shows the error sentence and retries', async () => {
    let calls = 0;
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/health/profiles': PROFILES,
        '/api/v1/health/summary': () =>
          ++calls === 1 ? json({ error: { code: 'UNAVAILABLE', message: 'Scores are being recomputed.' } }, 503) : healthSummary(),
      }),
    );
    const r = render(<HealthSummarySection />);
    await r.waitFor(() => expect(r.find(ErrorState).find(Text).text).toBe('Scores are being recomputed.'));
    r.findByTestId(Button, 'retry-health').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(ScoreCircle, 'health-average')).not.toBeNull());
  });
});

describe('Alerts', () => {
  it('shows the newest alerts with why they were raised and loads more pages', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/health/alerts': (url: URL) =>
          url.searchParams.get('after') === 'c2'
            ? { alerts: [healthAlert('3')] }
            : {
                alerts: [healthAlert('1'), healthAlert('2', { from: 'NEUTRAL', to: 'GOOD', deltas: [] })],
                paging: { next: { after: 'c2' } },
              },
      }),
    );
    const r = render(<AlertsList />);
    await r.waitFor(() => expect(r.findAll(Tile)).toHaveLength(2));
    const first = r.findByTestId(Tile, 'alert-1');
    expect(first.findAll(Text).map((t) => t.text)).toEqual(
      expect.arrayContaining(['No meeting in 60 days −15, 3 open tickets −10', 'Raised Nov 20, 2026, expires Dec 4, 2026.']),
    );
    expect(r.findByTestId(Tile, 'alert-2').find(StatusTag).text).toBe('Neutral → Good');

    r.findByTestId(Button, 'alerts-more').trigger('onClick');
    await r.waitFor(() => expect(r.findAll(Tile)).toHaveLength(3));
    expect(r.maybeFindByTestId(Button, 'alerts-more')).toBeNull();
    expect(callsOf(fetch).map((c) => c.query)).toEqual([{ limit: '25' }, { limit: '25', after: 'c2' }]);
  });

  it('keeps the loaded alerts when a later page fails', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/health/alerts': (url: URL) =>
          url.searchParams.get('after')
            ? json({ error: { code: 'RATE_LIMITED', message: 'Busy.' } }, 429)
            : { alerts: [healthAlert('1')], paging: { next: { after: 'c2' } } },
      }),
    );
    const r = render(<AlertsList />);
    await r.waitFor(() => expect(r.findAll(Tile)).toHaveLength(1));
    r.findByTestId(Button, 'alerts-more').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'alerts-more-error').text).toBe('More alerts could not be loaded. Busy.'));
    expect(r.findAll(Tile)).toHaveLength(1);
  });

  it('says there are no alerts, and shows errors and partial answers', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({ '/api/v1/health/alerts': { alerts: [], partial: true, warnings: ['Owners could not be read.'] } }),
    );
    const r = render(<AlertsList />);
    await r.waitFor(() => expect(r.findByTestId(EmptyState, 'alerts-empty')).toBeTruthy());
    expect(r.findByTestId(Alert, 'alerts-partial').text).toBe('Owners could not be read.');

    vi.spyOn(hubspot, 'fetch').mockImplementation(async () => json({ error: { code: 'INTERNAL', message: 'Oops.' } }, 500));
    const failed = render(<AlertsList />);
    await failed.waitFor(() => expect(failed.find(ErrorState).find(Text).text).toBe('Oops.'));
  });
});
