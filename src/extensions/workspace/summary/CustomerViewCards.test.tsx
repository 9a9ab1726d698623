import { afterEach, describe, expect, it, vi } from 'vitest';
import { Button, EmptyState, ErrorState, StatisticsItem, Text, hubspot } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { WorkspaceView, WorkspaceViewsResponse } from '../../api/contract';
import { ORIGIN, backendAnswering, callsOf, json } from '../../shared/testing/fixtures';
import { CustomersTab } from '../customers/CustomersTab';
import { CustomerViewCards } from './CustomerViewCards';

const AS_OF = '2026-12-04T11:59:00.000Z';

function view(id: string, name: string, count: number, over: Partial<WorkspaceView> = {}): WorkspaceView {
  return { id, name, kind: 'custom', sharing: 'everyone', ownerUserId: 9, query: { filters: {} }, count, editable: false, ...over };
}

const VIEWS: WorkspaceViewsResponse = {
  dataAsOf: AS_OF,
  views: [
    view('owned-by-me', 'Owned by me', 30, { kind: 'builtin', default: { description: 'Your book', position: 1 } }),
    view('assigned-last-30-days', 'Assigned in the last 30 days', 10, { kind: 'builtin' }),
    view('v-renewals', 'Renewing soon', 4, { default: { description: 'Renewals in the next 90 days', position: 0 } }),
    view('v-private', 'Mine only', 2, { sharing: 'private' }),
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

describe('Customer view cards (CS-SUM-3)', () => {
  it('shows one card per default view in the managers’ order, with its count and description', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/workspace/customers/views': VIEWS }));
    const opened: string[] = [];
    const r = render(<CustomerViewCards onOpenView={(id) => opened.push(id)} />);
    await r.waitFor(() => expect(r.findAll(StatisticsItem)).toHaveLength(2));
    expect(r.findAll(StatisticsItem).map((s) => [s.props.label, s.props.number, s.find(Text).text])).toEqual([
      ['Renewing soon', 4, 'Renewals in the next 90 days'],
      ['Owned by me', 30, 'Your book'],
    ]);
    r.findByTestId(Button, 'open-view-v-renewals').trigger('onClick');
    expect(opened).toEqual(['v-renewals']);
  });

  it('says so when no view is a default, and offers to try again when the views fail', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/workspace/customers/views': { ...VIEWS, views: VIEWS.views.map((v) => ({ ...v, default: undefined })) },
      }),
    );
    const r = render(<CustomerViewCards />);
    await r.waitFor(() => expect(r.findByTestId(EmptyState, 'view-cards-empty')).toBeTruthy());

    vi.restoreAllMocks();
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/workspace/customers/views': () => json({ error: { code: 'UNAVAILABLE', message: 'Busy.' } }, 503),
      }),
    );
    const failed = render(<CustomerViewCards />);
    await failed.waitFor(() => expect(failed.find(ErrorState).find(Text).text).toBe('Busy.'));
    expect(failed.findByTestId(Button, 'retry-view-cards')).toBeTruthy();
  });

  it('opens the Customers tab on the view a card links to', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/workspace/customers/views': VIEWS,
        '/api/v1/workspace/customers': {
          dataAsOf: AS_OF,
          workspace: 'customers',
          objectType: 'companies',
          view: { id: 'v-renewals', name: 'Renewing soon' },
          columns: [{ key: 'name', label: 'Name', type: 'string' }],
          rows: [],
          total: 0,
        },
      }),
    );
    const r = render(<CustomersTab isManager={false} params={{ view: 'v-renewals' }} />);
    await r.waitFor(() => expect(callsOf(fetch).some((c) => c.path === '/api/v1/workspace/customers')).toBe(true));
    expect(callsOf(fetch).find((c) => c.path === '/api/v1/workspace/customers')!.query.view).toBe('v-renewals');
  });
});
