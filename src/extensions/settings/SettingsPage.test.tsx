import { afterEach, describe, expect, it, vi } from 'vitest';
import { Alert, Button, EmptyState, Heading, NumberInput, Select, Table, TableCell, Text, hubspot } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { HealthProfile, HealthProfilePreview } from '../api/contract';
import { SettingsPage } from './SettingsPage';
import { ORIGIN, PROFILES, backendAnswering, callsOf, json } from '../shared/testing/fixtures';

const ME = { portalId: 4242, userId: 1, viewAsUserId: 1, ownerId: '77', isManager: true, timeZone: 'Europe/Paris' };

function profile(overrides: Partial<HealthProfile> = {}): HealthProfile {
  return {
    id: 'p-default',
    name: 'Default',
    objectType: 'companies',
    segment: null,
    thresholds: { atRiskBelow: 40, goodFrom: 70 },
    hysteresis: { consecutiveRuns: 2, marginPoints: 5 },
    version: 3,
    groups: [
      {
        id: 'engagement',
        label: 'Engagement',
        maxPoints: 60,
        criteria: [
          {
            id: 'meetings',
            label: 'Recent meetings',
            kind: 'engagementRecency',
            types: ['MEETING'],
            ignoreOutcomes: [],
            windowDays: 90,
            missingData: 'exclude',
            bands: [
              { max: 30, points: 60 },
              { min: 30, points: 20 },
            ],
            noneInWindowPoints: 0,
          },
        ],
      },
      {
        id: 'support',
        label: 'Support',
        maxPoints: 40,
        criteria: [
          {
            id: 'tickets',
            label: 'Open tickets',
            kind: 'openTickets',
            missingData: 'zero',
            bands: [
              { max: 1, points: 40 },
              { min: 1, points: 10 },
            ],
          },
        ],
      },
    ],
    ...overrides,
  };
}

const PREVIEW: HealthProfilePreview = {
  before: {
    customers: 3,
    average: 50,
    categories: { AT_RISK: { count: 1, percent: 33.3 }, NEUTRAL: { count: 1, percent: 33.3 }, GOOD: { count: 1, percent: 33.4 } },
    thresholds: { atRiskBelow: 40, goodFrom: 70 },
    distribution: [],
  },
  after: {
    customers: 3,
    average: 45,
    categories: { AT_RISK: { count: 2, percent: 66.7 }, NEUTRAL: { count: 0, percent: 0 }, GOOD: { count: 1, percent: 33.3 } },
    thresholds: { atRiskBelow: 40, goodFrom: 70 },
    distribution: [],
  },
  changed: [{ recordId: '4', label: 'Bo Client Inc.', from: 'NEUTRAL', to: 'AT_RISK', scoreBefore: 45, scoreAfter: 35 }],
};

function renderSettings() {
  const renderer = createRenderer('settings');
  renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
  renderer.render(<SettingsPage />);
  return renderer;
}

async function openEditor(routes: Record<string, unknown> = {}) {
  const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
    backendAnswering({
      '/api/v1/me': ME,
      '/api/v1/health/profiles': PROFILES,
      '/api/v1/health/profiles/p-default': { profile: profile() },
      'POST /api/v1/health/profiles/p-default/preview': PREVIEW,
      ...routes,
    }),
  );
  const r = renderSettings();
  await r.waitFor(() => expect(r.findByTestId(Button, 'edit-p-default')).toBeTruthy());
  r.findByTestId(Button, 'edit-p-default').trigger('onClick');
  await r.waitFor(() => expect(r.findByTestId(NumberInput, 'group-0-max').props.value).toBe(60));
  return { r, fetch };
}

// 0.17.0 types trigger's argument as the handler itself; the runtime passes it to the handler.
const set = (r: ReturnType<typeof createRenderer>, testId: string, value: unknown) =>
  r.findByTestId(NumberInput, testId).trigger('onChange', value as never);

afterEach(() => vi.restoreAllMocks());

describe('Settings: health scores', () => {
  it('tells a non-manager to ask their admin, without loading profiles', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/me': { ...ME, isManager: false } }));
    const r = renderSettings();
    await r.waitFor(() => expect(r.findByTestId(EmptyState, 'not-manager').props.title).toBe('Ask your admin'));
    expect(callsOf(fetch).map((c) => c.path)).toEqual(['/api/v1/me']);
  });

  it('lists the profiles for a manager', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/me': ME, '/api/v1/health/profiles': PROFILES }));
    const r = renderSettings();
    await r.waitFor(() =>
      expect(
        r
          .findByTestId(Table, 'profiles-table')
          .findAll(Button)
          .map((b) => b.props.testId),
      ).toEqual(['edit-p-default', 'edit-p-enterprise']),
    );
  });

  it('shows every editable field: thresholds, group max points, criterion points and missing-data mode', async () => {
    const { r } = await openEditor();
    expect(r.findByTestId(NumberInput, 'threshold-at-risk').props.value).toBe(40);
    expect(r.findByTestId(NumberInput, 'threshold-good').props.value).toBe(70);
    expect(r.findByTestId(NumberInput, 'criterion-meetings-bands.0').props.label).toBe('Points for below 30 days since');
    expect(r.findByTestId(NumberInput, 'criterion-meetings-noneInWindowPoints').props.label).toBe('Points with none in 90 days');
    expect(r.findByTestId(Select, 'criterion-tickets-missing').props.value).toBe('zero');
    expect(r.findByTestId(Text, 'points-total').text).toBe("Groups' max points: 100 of 100.");
  });

  it('blocks preview and save while the groups do not add up to 100', async () => {
    const { r } = await openEditor();
    set(r, 'group-0-max', 50);
    await r.waitFor(() =>
      expect(r.findByTestId(Alert, 'groups-problem').text).toBe("The groups' max points add up to 90; they must add up to 100."),
    );
    expect(r.findByTestId(Button, 'preview-button').props.disabled).toBe(true);
    expect(r.findByTestId(Button, 'save-button').props.disabled).toBe(true);

    set(r, 'group-1-max', 50);
    await r.waitFor(() => expect(r.maybeFindByTestId(Alert, 'groups-problem')).toBeNull());
    expect(r.findByTestId(Button, 'preview-button').props.disabled).toBe(false);
  });

  it('blocks thresholds in the wrong order', async () => {
    const { r } = await openEditor();
    set(r, 'threshold-at-risk', 80);
    await r.waitFor(() =>
      expect(r.findByTestId(NumberInput, 'threshold-at-risk').props.validationMessage).toBe(
        '"At risk below" must be lower than "Good from".',
      ),
    );
    expect(r.findByTestId(Button, 'preview-button').props.disabled).toBe(true);
  });

  it('shows the dry-run preview before saving, and needs a new preview after another edit', async () => {
    const { r, fetch } = await openEditor({ 'PUT /api/v1/health/profiles/p-default': { profile: profile({ version: 4 }) } });
    set(r, 'criterion-tickets-bands.1', 0);
    await r.waitFor(() => expect(r.findByTestId(Text, 'preview-first')).toBeTruthy());
    expect(r.findByTestId(Button, 'save-button').props.disabled).toBe(true);

    r.findByTestId(Button, 'preview-button').trigger('onClick');
    await r.waitFor(() =>
      expect(
        r
          .findByTestId(Table, 'preview-changes')
          .findAll(TableCell)
          .map((c) => c.text),
      ).toEqual(expect.arrayContaining(['Bo Client Inc.', '45 → 35'])),
    );
    expect(
      r
        .findByTestId(Table, 'preview-counts')
        .findAll(TableCell)
        .map((c) => c.text),
    ).toEqual(['At risk', '1', '2', 'Neutral', '1', '0', 'Good', '1', '1']);
    const previewCall = callsOf(fetch).find((c) => c.method === 'POST');
    expect(previewCall?.path).toBe('/api/v1/health/profiles/p-default/preview');
    const sent = (previewCall?.body as { profile: HealthProfile }).profile;
    expect(sent.groups[1]?.criteria[0]).toMatchObject({
      bands: [
        { max: 1, points: 40 },
        { min: 1, points: 0 },
      ],
    });
    expect(r.findByTestId(Button, 'save-button').props.disabled).toBe(false);

    set(r, 'criterion-tickets-bands.1', 5); // the preview no longer matches the draft
    await r.waitFor(() => expect(r.findByTestId(Button, 'save-button').props.disabled).toBe(true));
    r.findByTestId(Button, 'preview-button').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Button, 'save-button').props.disabled).toBe(false));

    r.findByTestId(Button, 'save-button').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'saved-notice').text).toBe('Default saved as version 4.'));
    const put = callsOf(fetch).find((c) => c.method === 'PUT');
    expect(put?.path).toBe('/api/v1/health/profiles/p-default');
    expect(put?.body).toMatchObject({ expectedVersion: 3, profile: { id: 'p-default' } });
  });

  it('says in a plain sentence that someone else saved first (409) and reloads the newest version', async () => {
    let version = 3;
    const { r, fetch } = await openEditor({
      '/api/v1/health/profiles/p-default': () => ({ profile: profile({ version }) }),
      'PUT /api/v1/health/profiles/p-default': () => {
        version = 5;
        return json({ error: { code: 'CONFLICT', message: 'Version 3 is stale.' } }, 409);
      },
    });
    r.findByTestId(Button, 'preview-button').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Button, 'save-button').props.disabled).toBe(false));
    r.findByTestId(Button, 'save-button').trigger('onClick');
    await r.waitFor(() =>
      expect(r.findByTestId(Alert, 'save-conflict').text).toContain('Someone else saved a newer version of this profile'),
    );

    r.findByTestId(Button, 'reload-button').trigger('onClick');
    await r.waitFor(() => expect(r.findAll(Heading).map((h) => h.text)).toContain('Edit Default (version 5)'));
    expect(r.maybeFindByTestId(Alert, 'save-conflict')).toBeNull();
    expect(callsOf(fetch).filter((c) => c.path === '/api/v1/health/profiles/p-default' && c.method === 'GET')).toHaveLength(2);
  });

  it('creates a new profile from an existing one with POST', async () => {
    const { r, fetch } = await openEditor({
      'POST /api/v1/health/profiles/new/preview': PREVIEW,
      'POST /api/v1/health/profiles': { profile: profile({ id: 'p-9', name: 'Copy of Default', version: 1 }) },
    });
    r.findByTestId(Button, 'duplicate-button').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Button, 'save-button').text).toBe('Create profile'));
    r.findByTestId(Button, 'preview-button').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Button, 'save-button').props.disabled).toBe(false));
    r.findByTestId(Button, 'save-button').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'saved-notice').text).toBe('Copy of Default created.'));
    const post = callsOf(fetch)
      .filter((c) => c.method === 'POST')
      .map((c) => c.path);
    expect(post).toEqual(['/api/v1/health/profiles/new/preview', '/api/v1/health/profiles']);
  });

  it('shows a failed preview in a sentence and keeps save blocked', async () => {
    const { r } = await openEditor({
      'POST /api/v1/health/profiles/p-default/preview': json(
        { error: { code: 'BAD_REQUEST', message: 'Criterion nps needs a property.' } },
        400,
      ),
    });
    r.findByTestId(Button, 'preview-button').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Alert, 'editor-failure').text).toBe('Criterion nps needs a property.'));
    expect(r.findByTestId(Button, 'save-button').props.disabled).toBe(true);
  });
});
