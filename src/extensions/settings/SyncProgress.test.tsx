import { afterEach, describe, expect, it, vi } from 'vitest';
import { Button, EmptyState, ErrorState, ProgressBar, Table, TableCell, Tag, Text, hubspot } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { SyncStatusResponse } from '../api/contract';
import { ORIGIN, backendAnswering, callsOf, json } from '../shared/testing/fixtures';
import { SettingsPage } from './SettingsPage';
import { SyncProgress, formatDuration, formatLag } from './SyncProgress';

const ME = { portalId: 4242, userId: 1, viewAsUserId: 1, ownerId: '77', isManager: true, timeZone: 'Europe/Paris' };

const LOADING: SyncStatusResponse = {
  state: 'loading',
  dataAsOf: '2026-12-05T03:00:00.000Z',
  percent: 42,
  etaSeconds: 540,
  objects: {
    contacts: {
      records: 20_000,
      state: 'loading',
      lastChangeSeenAt: null,
      lagSeconds: null,
      total: 50_000,
      percent: 40,
      etaSeconds: 540,
      reloading: false,
    },
    tasks: {
      records: 1_200,
      state: 'ready',
      lastChangeSeenAt: '2026-12-05T03:01:00.000Z',
      lagSeconds: 4,
      total: 1_200,
      percent: 100,
      etaSeconds: null,
      reloading: false,
    },
  },
};
const READY: SyncStatusResponse = {
  ...LOADING,
  state: 'ready',
  percent: 100,
  etaSeconds: null,
  objects: {
    ...LOADING.objects,
    contacts: { ...LOADING.objects.contacts!, records: 50_000, state: 'ready', percent: 100, etaSeconds: null, lagSeconds: 12 },
  },
};

function render(pollMs = 20) {
  const renderer = createRenderer('settings');
  renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
  renderer.render(<SyncProgress pollMs={pollMs} />);
  return renderer;
}
const cells = (r: ReturnType<typeof createRenderer>) =>
  r
    .findByTestId(Table, 'sync-objects')
    .findAll(TableCell)
    .map((c) => c.text ?? c.findAll(Tag)[0]?.text ?? null);

afterEach(() => vi.restoreAllMocks());

describe('Settings: the portal copy', () => {
  it('shows the first load as a bar, and each object type with records, state, share, time left, last change and lag', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/sync/status': LOADING }));
    const r = render(60_000);
    await r.waitFor(() => expect(r.findByTestId(ProgressBar, 'sync-progress').props.value).toBe(42));
    expect(r.findByTestId(ProgressBar, 'sync-progress').props.maxValue).toBe(100);
    expect(r.findByTestId(Text, 'sync-summary').text).toBe(
      "Tiller is copying your portal's CRM data: 42% done. about 9 min left at the current pace. Screens already answer with what is copied and say so.",
    );
    const row = cells(r);
    expect(row.slice(0, 7)).toEqual(['Contacts', '20,000 of 50,000', 'Loading', '40%', 'about 9 min', 'None yet', '—']);
    expect(row.slice(7, 10)).toEqual(['Tasks', '1,200', 'Up to date']);
    expect(row.slice(10, 12)).toEqual(['100%', '—']);
    expect(row[13]).toBe('4 s');
  });

  it('shows a type loaded again for new properties with the records it still serves, not a count from zero', async () => {
    const reloading: SyncStatusResponse = {
      ...READY,
      state: 'loading',
      percent: 99,
      objects: {
        ...READY.objects,
        companies: {
          records: 20_000,
          state: 'loading',
          lastChangeSeenAt: null,
          lagSeconds: 3,
          total: 20_000,
          percent: 6,
          etaSeconds: 120,
          reloading: true,
        },
      },
    };
    vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/sync/status': reloading }));
    const r = render(60_000);
    await r.waitFor(() => expect(cells(r)).toContain('Companies'));
    const row = cells(r);
    const at = row.indexOf('Companies');
    expect(row.slice(at, at + 5)).toEqual(['Companies', '20,000', 'Reloading', '6%', 'about 2 min']);
  });

  it('reads the status again while the first load runs, and stops once it is done', async () => {
    let answers = 0;
    const fetch = vi
      .spyOn(hubspot, 'fetch')
      .mockImplementation(backendAnswering({ '/api/v1/sync/status': () => (++answers < 3 ? LOADING : READY) }));
    const r = render(20);
    await r.waitFor(() => expect(r.findByTestId(ProgressBar, 'sync-progress').props.value).toBe(100));
    expect(r.findByTestId(Text, 'sync-summary').text).toMatch(/^Every object type is copied/);
    const calls = callsOf(fetch).length;
    expect(calls).toBe(3);
    await new Promise((res) => setTimeout(res, 100));
    expect(callsOf(fetch).length).toBe(calls); // ready: no more polling
  });

  it('says when nothing is copied yet', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({ '/api/v1/sync/status': { ...LOADING, percent: 0, etaSeconds: null, objects: {} } }),
    );
    const r = render();
    await r.waitFor(() => expect(r.findByTestId(EmptyState, 'sync-empty').props.title).toBe('Nothing copied yet'));
  });

  it('says why the status could not be read, and tries again', async () => {
    let fail = true;
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/sync/status': () =>
          fail ? json({ error: { code: 'FORBIDDEN', message: 'Only managers can see how the portal is copied.' } }, 403) : READY,
      }),
    );
    const r = render();
    await r.waitFor(() => expect(r.findByTestId(Button, 'sync-retry')).toBeTruthy());
    expect(r.find(ErrorState).props.title).toBe("The copy's progress could not be loaded");
    fail = false;
    r.findByTestId(Button, 'sync-retry').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(ProgressBar, 'sync-progress').props.value).toBe(100));
  });

  it('is on the settings page for managers, below the other settings', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/me': ME,
        '/api/v1/health/profiles': { profiles: [] },
        '/api/v1/sync/status': READY,
      }),
    );
    const renderer = createRenderer('settings');
    renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
    renderer.render(<SettingsPage />);
    await renderer.waitFor(() => expect(renderer.findByTestId(ProgressBar, 'sync-progress').props.value).toBe(100));
    expect(renderer.findByTestId(EmptyState, 'profiles-empty')).toBeTruthy();
  });

  it.each([
    [30, 'under a minute'],
    [540, 'about 9 min'],
    [7_800, 'about 2 h 10 min'],
    [7_200, 'about 2 h'],
  ])('says %i seconds left as "%s"', (s, text) => expect(formatDuration(s)).toBe(text));

  it.each([
    [null, '—'],
    [4, '4 s'],
    [300, '5 min'],
    [3_900, '1 h 5 min'],
  ])('says a lag of %s seconds as "%s"', (s, text) => expect(formatLag(s)).toBe(text));
});
