import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Alert,
  EmptyState,
  ErrorState,
  List,
  LoadingSpinner,
  ScoreCircle,
  StatisticsTrend,
  StatusTag,
  Text,
  hubspot,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { HealthCard, type HealthRecordView } from './HealthCard';
import { ORIGIN, backendAnswering, callsOf, json } from '../shared/testing/fixtures';

function record(overrides: Partial<HealthRecordView> = {}): HealthRecordView {
  return {
    objectType: 'companies',
    objectId: '4',
    profileId: 'p-default',
    profileVersion: 3,
    score: 38,
    category: 'AT_RISK',
    computedAt: '2026-11-21T06:00:00Z',
    groups: [{ id: 'engagement', label: 'Engagement', maxPoints: 30, score: 5 }],
    criteria: [
      { id: 'meetings', group: 'engagement', label: 'No meeting in 60 days', points: -15, noData: false, facts: {} },
      { id: 'emails', group: 'engagement', label: 'Emails in the last 30 days', points: 5, noData: false, facts: {} },
      { id: 'tickets', group: 'support', label: '3 open tickets', points: -10, noData: false, facts: {} },
      { id: 'deals', group: 'deals', label: 'Open deals', points: 2, noData: false, facts: {} },
      { id: 'nps', group: 'sentiment', label: 'NPS', points: 0, noData: true, facts: {} },
    ],
    change: {
      from: 'GOOD',
      to: 'AT_RISK',
      at: '2026-11-20T06:00:00Z',
      deltas: [{ criterionId: 'meetings', label: 'No meeting in 60 days', delta: -15 }],
    },
    previous: { score: 45, computedAt: '2026-11-20T06:00:00Z' },
    ...overrides,
  };
}

function renderCard(crm = { objectId: 4, objectTypeId: '0-2' }) {
  const renderer = createRenderer('crm.record.sidebar');
  renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
  renderer.mocks.context.portal = { id: 4242, timezone: 'Europe/Paris' };
  renderer.mocks.context.crm = crm;
  renderer.render(<HealthCard />);
  return renderer;
}

afterEach(() => vi.restoreAllMocks());

describe('HealthCard', () => {
  it('shows score, category, trend, top drivers with "no data" marked, and the last alert', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/health/records/companies/4': record() }));
    const r = renderCard();
    expect(r.maybeFind(LoadingSpinner)).not.toBeNull();
    await r.waitFor(() => expect(r.findByTestId(ScoreCircle, 'health-score').props.score).toBe(38));
    expect(callsOf(fetch)).toEqual([{ method: 'GET', path: '/api/v1/health/records/companies/4', query: {}, body: undefined }]);
    expect(r.findByTestId(StatusTag, 'health-category').text).toBe('At risk');
    const trend = r.findByTestId(StatisticsTrend, 'health-trend');
    expect([trend.props.value, trend.props.direction, trend.props.color]).toEqual(['−7 since Nov 20, 2026', 'decrease', 'red']);
    expect(
      r
        .findByTestId(List, 'health-drivers')
        .findAll(Text)
        .map((t) => t.text),
    ).toEqual(['No meeting in 60 days −15', '3 open tickets −10', 'Emails in the last 30 days +5', 'NPS: no data']);
    expect(r.findByTestId(Text, 'health-last-alert').text).toBe('Last alert Nov 20, 2026: Good → At risk (No meeting in 60 days −15)');
  });

  it("shows the groups' re-scaled points, which add up to the score, and a group without data as excluded", async () => {
    // CSM sentiment has no data: its 10 points are shared out, 85 = 35.6 + 22.2 + 27.2 + 0.
    const groups = [
      { id: 'engagement', label: 'Engagement', maxPoints: 44.4, score: 35.6 },
      { id: 'support', label: 'Support', maxPoints: 22.2, score: 22.2 },
      { id: 'deals', label: 'Deals', maxPoints: 33.4, score: 27.2 },
      { id: 'csm', label: 'CSM sentiment', maxPoints: 0, score: 0, excluded: true as const },
    ];
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({ '/api/v1/health/records/companies/4': record({ score: 85, category: 'GOOD', groups }) }),
    );
    const r = renderCard();
    await r.waitFor(() => expect(r.findByTestId(ScoreCircle, 'health-score').props.score).toBe(85));
    expect(
      r
        .findByTestId(List, 'health-groups')
        .findAll(Text)
        .map((t) => t.text),
    ).toEqual([
      'Engagement 35.6 / 44.4',
      'Support 22.2 / 22.2',
      'Deals 27.2 / 33.4',
      'CSM sentiment: no data, its points are shared among the other groups',
    ]);
  });

  it('works on contacts and without an earlier score', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/health/records/contacts/9': record({ objectType: 'contacts', previous: null, change: null, category: 'GOOD', score: 80 }),
      }),
    );
    const r = renderCard({ objectId: 9, objectTypeId: '0-1' });
    await r.waitFor(() => expect(r.findByTestId(Text, 'health-trend').text).toBe('No earlier score to compare with.'));
    expect(r.findByTestId(Text, 'health-last-alert').text).toBe('No category change yet.');
  });

  it('says a record is not scored yet rather than failing', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(async () => json({ error: { code: 'NOT_FOUND', message: 'No score.' } }, 404));
    const r = renderCard();
    await r.waitFor(() => expect(r.findByTestId(EmptyState, 'health-not-scored').props.title).toBe('Not scored yet'));
  });

  it('shows other errors in a sentence and partial answers as a warning', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(async () =>
      json({ error: { code: 'HUBSPOT_FAILED', message: 'HubSpot did not answer.' } }, 502),
    );
    const failed = renderCard();
    await failed.waitFor(() => expect(failed.find(ErrorState).find(Text).text).toBe('HubSpot did not answer.'));

    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({ '/api/v1/health/records/companies/4': record({ partial: true, warnings: ['Tickets missing.'] }) }),
    );
    const partial = renderCard();
    await partial.waitFor(() => expect(partial.find(Alert).text).toBe('Tickets missing.'));
  });

  it('explains itself on deals without calling the backend', () => {
    const fetch = vi.spyOn(hubspot, 'fetch');
    const r = renderCard({ objectId: 5, objectTypeId: '0-3' });
    expect(r.find(Text).text).toBe('This card shows health scores on companies and contacts.');
    expect(fetch).not.toHaveBeenCalled();
  });
});
