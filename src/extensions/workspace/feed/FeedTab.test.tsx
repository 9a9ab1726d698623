import { afterEach, describe, expect, it, vi } from 'vitest';
import { Button, ErrorState, Input, Link, LoadingSpinner, Select, Text, hubspot } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { FeedItem, FeedResponse } from '../../api/contract';
import { ViewAsProvider } from '../../api/useBackend';
import { ORIGIN, backendAnswering, callsOf, json } from '../../shared/testing/fixtures';
import { FeedTab } from './FeedTab';

function item(id: string, overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    id,
    type: 'reply',
    occurredAt: '2026-03-10T09:00:00.000Z',
    title: `Ann Lee replied (${id})`,
    detail: 'Re: renewal',
    contact: { objectType: 'contacts', objectId: '1', label: 'Ann Lee' },
    company: { objectType: 'companies', objectId: '31', label: 'Acme Inc' },
    inSequence: false,
    ...overrides,
  };
}

function page(overrides: Partial<FeedResponse> = {}): FeedResponse {
  return {
    items: [item('email:100'), item('call:300', { type: 'call', title: 'Call with Zoe Park', inSequence: true })],
    total: 3,
    contacts: 2,
    dataAsOf: '2026-03-10T11:59:30.000Z',
    paging: { next: { after: 'cursor-1' } },
    ...overrides,
  };
}

function renderTab(asUserId: number | null = null) {
  const renderer = createRenderer('pages');
  renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
  renderer.render(
    <ViewAsProvider value={asUserId}>
      <FeedTab />
    </ViewAsProvider>,
  );
  return renderer;
}

afterEach(() => vi.restoreAllMocks());

describe('Feed tab', () => {
  it('lists the feed newest first, loads older items with the cursor, and links the follow-ups into HubSpot', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/feed': (url: URL) =>
          url.searchParams.get('after') === 'cursor-1'
            ? page({ items: [item('form:2:1', { type: 'form', title: 'Zoe Park submitted a form' })], paging: undefined })
            : page(),
      }),
    );
    const r = renderTab();
    expect(r.maybeFind(LoadingSpinner)).not.toBeNull();
    await r.waitFor(() => expect(r.findByTestId(Text, 'feed-email:100').text).toBe('Ann Lee replied (email:100)'));
    expect(r.findByTestId(Text, 'feed-count').text).toBe('3 items from the 2 contacts of your companies, newest first.');
    expect(r.findByTestId(Link, 'follow-up-email:100').props.href).toEqual({
      url: expect.stringMatching(/\/record\/0-1\/1$/),
      external: true,
    });
    r.findByTestId(Button, 'feed-older').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'feed-form:2:1').text).toBe('Zoe Park submitted a form'));
    expect(r.maybeFindByTestId(Button, 'feed-older')).toBeNull();
    expect(callsOf(fetch).find((c) => c.query.after === 'cursor-1')?.query).toMatchObject({ sequence: 'any', limit: '25' });
  });

  it('searches and filters by activity type and sequence enrolment', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/feed': page() }));
    const r = renderTab();
    await r.waitFor(() => expect(r.findByTestId(Text, 'feed-email:100')).toBeTruthy());
    r.findByTestId(Input, 'feed-search').trigger('onChange', ' acme ' as never);
    r.findByTestId(Select, 'feed-type').trigger('onChange', 'open' as never);
    r.findByTestId(Select, 'feed-sequence').trigger('onChange', 'enrolled' as never);
    await r.waitFor(() => expect(callsOf(fetch).pop()?.query).toMatchObject({ q: 'acme', types: 'open', sequence: 'enrolled' }));
  });

  it('dismisses an item at once, can undo it, and creates a follow-up task on the contact', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/feed': page(),
        'POST /api/v1/feed/dismissals': new Response(null, { status: 204 }),
        'DELETE /api/v1/feed/dismissals/email%3A100': new Response(null, { status: 204 }),
        'POST /api/v1/actions/tasks': { task: { id: '9' }, dataAsOf: '2026-03-10T12:00:00.000Z' },
      }),
    );
    const r = renderTab();
    await r.waitFor(() => expect(r.findByTestId(Text, 'feed-email:100')).toBeTruthy());
    r.findByTestId(Button, 'dismiss-email:100').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Text, 'feed-email:100')).toBeNull());
    await r.waitFor(() => expect(r.findByTestId(Text, 'feed-status').text).toBe('Dismissed: Ann Lee replied (email:100).'));
    expect(callsOf(fetch).find((c) => c.method === 'POST' && c.path === '/api/v1/feed/dismissals')?.body).toEqual({ itemId: 'email:100' });
    r.findByTestId(Button, 'feed-undo').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'feed-email:100')).toBeTruthy());

    r.findByTestId(Button, 'task-call:300').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'feed-status').text).toBe('Task created for Ann Lee, due tomorrow.'));
    const created = callsOf(fetch).find((c) => c.method === 'POST' && c.path === '/api/v1/actions/tasks')?.body as Record<string, unknown>;
    expect(created).toMatchObject({
      subject: 'Follow up: Call with Zoe Park',
      type: 'CALL',
      associatedRecord: { objectType: 'contacts', objectId: '1' },
      dueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
  });

  it('puts a dismissed item back and says why when the dismissal fails', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/feed': page(),
        'POST /api/v1/feed/dismissals': json({ error: { code: 'UNAVAILABLE', message: 'Tiller is briefly unavailable.' } }, 503),
      }),
    );
    const r = renderTab();
    await r.waitFor(() => expect(r.findByTestId(Text, 'feed-email:100')).toBeTruthy());
    r.findByTestId(Button, 'dismiss-email:100').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'feed-status').text).toMatch(/^This item could not be dismissed\. /));
    expect(r.findByTestId(Text, 'feed-email:100')).toBeTruthy();
  });

  it("offers no dismiss or task buttons to a manager viewing another user's feed", async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/feed': page() }));
    const r = renderTab(9001);
    await r.waitFor(() => expect(r.findByTestId(Text, 'feed-email:100')).toBeTruthy());
    expect(r.findByTestId(Text, 'feed-read-only')).toBeTruthy();
    expect(r.maybeFindByTestId(Button, 'dismiss-email:100')).toBeNull();
    expect(r.maybeFindByTestId(Button, 'task-email:100')).toBeNull();
  });

  it('says why the feed is empty, and when it could not be loaded', async () => {
    const fetch = vi
      .spyOn(hubspot, 'fetch')
      .mockImplementation(backendAnswering({ '/api/v1/feed': page({ items: [], total: 0, paging: undefined }) }));
    const r = renderTab();
    await r.waitFor(() => expect(r.findByTestId(Text, 'feed-empty').text).toBe('No recent activity from the contacts of your companies.'));
    fetch.mockImplementation(async () => json({ error: { code: 'INTERNAL', message: 'Something went wrong in Tiller.' } }, 500));
    r.findByTestId(Select, 'feed-type').trigger('onChange', 'call' as never);
    await r.waitFor(() => expect(r.find(ErrorState).props.title).toBe('Your feed could not be loaded'));
  });
});
