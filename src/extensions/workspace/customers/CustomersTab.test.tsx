import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Alert,
  Button,
  EmptyState,
  ErrorState,
  Input,
  Link,
  LoadingSpinner,
  Select,
  StatusTag,
  Table,
  TableHeader,
  TableRow,
  Text,
  hubspot,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { WorkspacePreviewResponse, WorkspaceRecordsResponse, WorkspaceView, WorkspaceViewsResponse } from '../../api/contract';
import { ORIGIN, backendAnswering, callsOf, json } from '../../shared/testing/fixtures';
import { CustomersTab } from './CustomersTab';

const AS_OF = '2026-12-04T11:59:00.000Z';

function view(id: string, name: string, count: number, over: Partial<WorkspaceView> = {}): WorkspaceView {
  return {
    id,
    name,
    kind: 'builtin',
    sharing: 'everyone',
    ownerUserId: null,
    query: { filters: { owner: 'me' } },
    count,
    editable: false,
    ...over,
  };
}

const VIEWS: WorkspaceViewsResponse = {
  dataAsOf: AS_OF,
  views: [
    view('owned-by-me', 'Owned by me', 30, { default: { description: 'Your book', position: 0 } }),
    view('assigned-last-30-days', 'Assigned in the last 30 days', 10),
    view('v-1', 'Big software', 11, { kind: 'custom', sharing: 'private', ownerUserId: 1, editable: true }),
  ],
};

function page(ids: string[], total: number, next?: string): WorkspaceRecordsResponse {
  return {
    dataAsOf: AS_OF,
    workspace: 'customers',
    objectType: 'companies',
    view: { id: 'owned-by-me', name: 'Owned by me' },
    columns: [
      { key: 'name', label: 'Name', type: 'string' },
      { key: 'owner', label: 'Company owner', type: 'user' },
      { key: 'createdate', label: 'Create date', type: 'datetime' },
    ],
    rows: ids.map((id) => ({
      id,
      name: `Company ${id}`,
      values: { name: `Company ${id}`, owner: 'Ada Rep', createdate: '2026-11-20T10:00:00.000Z' },
      owner: { id: '501', name: 'Ada Rep' },
      url: `https://app.hubspot.com/contacts/4242/record/0-2/${id}`,
    })),
    total,
    ...(next ? { paging: { next: { after: next } } } : {}),
  };
}

const PREVIEW: WorkspacePreviewResponse = {
  dataAsOf: AS_OF,
  objectType: 'companies',
  id: '1',
  name: 'Company 1',
  url: 'https://app.hubspot.com/contacts/4242/record/0-2/1',
  properties: [{ name: 'industry', label: 'Industry', type: 'enumeration', value: 'SOFTWARE' }],
  health: {
    score: 72,
    category: 'GOOD',
    computedAt: AS_OF,
    profileId: 'default',
    drivers: [{ label: 'Engagement', points: 30, maxPoints: 40 }],
  },
  activities: [{ objectType: 'meetings', id: '800', title: 'QBR', at: '2026-12-02T12:00:00.000Z' }],
  associations: [
    {
      objectType: 'contacts',
      id: '900',
      name: 'Dee Buyer',
      labels: ['Primary'],
      url: 'https://app.hubspot.com/contacts/4242/record/0-1/900',
    },
  ],
};

function renderTab(isManager = false) {
  const renderer = createRenderer('pages');
  renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
  renderer.mocks.context.portal = { id: 4242, timezone: 'Europe/Paris' };
  renderer.render(<CustomersTab isManager={isManager} />);
  return renderer;
}

const records = (url: URL) => (url.searchParams.get('after') === 'c1' ? page(['3'], 3) : page(['1', '2'], 3, 'c1'));
const ROUTES = {
  '/api/v1/workspace/customers/views': VIEWS,
  '/api/v1/workspace/customers': records,
  '/api/v1/workspace/customers/records/1': PREVIEW,
};

const rowNames = (renderer: ReturnType<typeof createRenderer>) =>
  renderer
    .find(Table)
    .findAll(TableRow)
    .slice(1)
    .map((r) => r.findAll(Button)[0]?.text);

afterEach(() => vi.restoreAllMocks());

describe('Customers tab', () => {
  it('shows the views with their counts and the first page of "Owned by me", then pages on', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering(ROUTES));
    const renderer = renderTab();
    expect(renderer.maybeFind(LoadingSpinner)).not.toBeNull();
    await renderer.waitFor(() => expect(renderer.maybeFind(Table)).not.toBeNull());
    expect(['owned-by-me', 'assigned-last-30-days', 'v-1'].map((id) => renderer.findByTestId(Button, `view-${id}`).text)).toEqual([
      'Owned by me (30)',
      'Assigned in the last 30 days (10)',
      'Big software (11)',
    ]);
    expect(renderer.findByTestId(Button, 'view-owned-by-me').props.variant).toBe('primary');
    expect(rowNames(renderer)).toEqual(['Company 1', 'Company 2']);
    expect(renderer.findByTestId(Text, 'list-count').text).toBe('2 of 3 customers · data as of Dec 4, 2026');
    expect(callsOf(fetch).map((c) => [c.path, c.query])).toEqual([
      ['/api/v1/workspace/customers/views', {}],
      ['/api/v1/workspace/customers', { view: 'owned-by-me', sort: 'name', direction: 'ASC', limit: '25' }],
    ]);

    renderer.findByTestId(Button, 'more-records').trigger('onClick');
    await renderer.waitFor(() => expect(rowNames(renderer)).toEqual(['Company 1', 'Company 2', 'Company 3']));
    expect(callsOf(fetch).at(-1)!.query).toMatchObject({ view: 'owned-by-me', after: 'c1' });
    expect(renderer.maybeFindByTestId(Button, 'more-records')).toBeNull();
  });

  it('switches view and sorts by a column header, asking the backend each time', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering(ROUTES));
    const renderer = renderTab();
    await renderer.waitFor(() => expect(renderer.maybeFind(Table)).not.toBeNull());
    renderer.findByTestId(Button, 'view-assigned-last-30-days').trigger('onClick');
    await renderer.waitFor(() => expect(callsOf(fetch).at(-1)!.query.view).toBe('assigned-last-30-days'));
    await renderer.waitFor(() => expect(renderer.maybeFind(Table)).not.toBeNull());
    renderer
      .find(Table)
      .findAll(TableHeader)[2]!
      .trigger('onSortChange' as never, 'ascending' as never);
    await renderer.waitFor(() =>
      expect(callsOf(fetch).at(-1)!.query).toMatchObject({ sort: 'createdate', direction: 'ASC', view: 'assigned-last-30-days' }),
    );
    await renderer.waitFor(() => expect(renderer.maybeFind(Table)).not.toBeNull());
    renderer
      .find(Table)
      .findAll(TableHeader)[2]!
      .trigger('onSortChange' as never, 'descending' as never);
    await renderer.waitFor(() => expect(callsOf(fetch).at(-1)!.query).toMatchObject({ sort: 'createdate', direction: 'DESC' }));
  });

  it('opens a customer’s preview: properties, health and its drivers, activities, associations, a link into HubSpot', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering(ROUTES));
    const renderer = renderTab();
    await renderer.waitFor(() => expect(renderer.maybeFind(Table)).not.toBeNull());
    renderer.findByTestId(Button, 'open-1').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Link, 'open-in-hubspot')).not.toBeNull());
    expect(callsOf(fetch).at(-1)!.path).toBe('/api/v1/workspace/customers/records/1');
    expect(renderer.findByTestId(Link, 'open-in-hubspot').props.href).toEqual({
      url: 'https://app.hubspot.com/contacts/4242/record/0-2/1',
      external: true,
    });
    expect(renderer.find(StatusTag).text).toBe('Good');
    const texts = renderer.findAll(Text).map((t) => t.text);
    expect(texts).toEqual(expect.arrayContaining(['SOFTWARE', 'Engagement: 30 of 40 points', 'Dec 2, 2026 · QBR']));
    expect(renderer.findAll(Link).map((l) => l.text)).toContain('Dee Buyer (Primary)');
    renderer.findByTestId(Button, 'close-preview').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Link, 'open-in-hubspot')).toBeNull());
  });

  it('says when no customer matches, and offers to try again when the list fails', async () => {
    let fail = true;
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        ...ROUTES,
        '/api/v1/workspace/customers': () =>
          fail ? json({ error: { code: 'UNAVAILABLE', message: 'Tiller is briefly unavailable.' } }, 503) : page([], 0),
      }),
    );
    const renderer = renderTab();
    await renderer.waitFor(() => expect(renderer.maybeFind(ErrorState)).not.toBeNull());
    expect(renderer.find(ErrorState).props.title).toBe('Customers could not be loaded');
    fail = false;
    renderer.findByTestId(Button, 'retry-list').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(EmptyState, 'list-empty')).not.toBeNull());
  });

  it('deletes a custom view only after the user confirms', async () => {
    const fetch = vi
      .spyOn(hubspot, 'fetch')
      .mockImplementation(
        backendAnswering({ ...ROUTES, 'DELETE /api/v1/workspace/customers/views/v-1': new Response(null, { status: 204 }) }),
      );
    const renderer = renderTab();
    await renderer.waitFor(() => expect(renderer.maybeFind(Table)).not.toBeNull());
    expect(renderer.maybeFindByTestId(Button, 'delete-view')).toBeNull();
    renderer.findByTestId(Button, 'view-v-1').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Button, 'delete-view')).not.toBeNull());
    renderer.findByTestId(Button, 'delete-view').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Alert, 'confirm-delete')).not.toBeNull());
    expect(callsOf(fetch).some((c) => c.method === 'DELETE')).toBe(false);
    renderer.findByTestId(Button, 'confirm-delete-view').trigger('onClick');
    await renderer.waitFor(() =>
      expect(callsOf(fetch).find((c) => c.method === 'DELETE')).toMatchObject({
        path: '/api/v1/workspace/customers/views/v-1',
        body: { confirm: true },
      }),
    );
  });

  it('offers sharing with everyone to managers only', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering(ROUTES));
    const member = renderTab(false);
    await member.waitFor(() => expect(member.maybeFind(Table)).not.toBeNull());
    expect(member.findAll(Select).map((s) => s.props.name)).not.toContain('view-sharing');
    const manager = renderTab(true);
    await manager.waitFor(() => expect(manager.maybeFind(Table)).not.toBeNull());
    expect(manager.findAll(Select).map((s) => s.props.name)).toContain('view-sharing');
  });

  it('lets a manager order, remove and describe the default views, then saves them', async () => {
    const fetch = vi
      .spyOn(hubspot, 'fetch')
      .mockImplementation(backendAnswering({ ...ROUTES, 'PUT /api/v1/workspace/customers/defaults': VIEWS }));
    const r = renderTab(true);
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'save-defaults')).not.toBeNull());
    const add = r.findAll(Select).find((x) => x.props.name === 'default-add')!;
    expect(add.props.options).toEqual([{ label: 'Assigned in the last 30 days', value: 'assigned-last-30-days' }]);
    add.trigger('onChange', 'assigned-last-30-days' as never);
    r.findByTestId(Button, 'default-add').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'default-up-assigned-last-30-days')).not.toBeNull());
    expect(r.findByTestId(Button, 'save-defaults').props.disabled).toBe(true);
    r.findAll(Input)
      .find((x) => x.props.name === 'default-description-assigned-last-30-days')!
      .trigger('onChange', 'New this month' as never);
    r.findByTestId(Button, 'default-up-assigned-last-30-days').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Button, 'save-defaults').props.disabled).toBe(false));
    r.findByTestId(Button, 'save-defaults').trigger('onClick');
    await r.waitFor(() => expect(callsOf(fetch).find((c) => c.method === 'PUT')).toBeDefined());
    expect(callsOf(fetch).find((c) => c.method === 'PUT')!.body).toEqual({
      defaults: [
        { viewId: 'assigned-last-30-days', description: 'New this month' },
        { viewId: 'owned-by-me', description: 'Your book' },
      ],
    });
  });

  it('shows no default-views editor to members', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering(ROUTES));
    const r = renderTab(false);
    await r.waitFor(() => expect(r.maybeFind(Table)).not.toBeNull());
    expect(r.maybeFindByTestId(Button, 'save-defaults')).toBeNull();
  });

  it('filters by CSM from the advanced filters, sending the filter to the backend', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        ...ROUTES,
        '/api/v1/workspace/customers/meta': {
          dataAsOf: AS_OF,
          workspace: 'customers',
          objectType: 'companies',
          properties: [],
          operatorsByType: {},
          owners: [{ id: '502', name: 'Bo Rep' }],
        },
      }),
    );
    const r = renderTab();
    await r.waitFor(() => expect(r.maybeFind(Table)).not.toBeNull());
    r.findByTestId(Button, 'toggle-advanced').trigger('onClick');
    await r.waitFor(() => expect(r.findAll(Select).some((x) => x.props.name === 'filter-owner')).toBe(true));
    r.findAll(Select)
      .find((x) => x.props.name === 'filter-owner')!
      .trigger('onChange', '502' as never);
    await r.waitFor(() => expect(callsOf(fetch).at(-1)!.query.filters).toBe(JSON.stringify({ owner: '502' })));
  });

  it('renames a custom view, keeping its filters', async () => {
    const fetch = vi
      .spyOn(hubspot, 'fetch')
      .mockImplementation(
        backendAnswering({ ...ROUTES, 'PUT /api/v1/workspace/customers/views/v-1': { view: { ...VIEWS.views[2], name: 'Big ones' } } }),
      );
    const r = renderTab();
    await r.waitFor(() => expect(r.maybeFind(Table)).not.toBeNull());
    r.findByTestId(Button, 'view-v-1').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'edit-view')).not.toBeNull());
    r.findByTestId(Button, 'edit-view').trigger('onClick');
    await r.waitFor(() => expect(r.findAll(Input).some((x) => x.props.name === 'edit-view-name')).toBe(true));
    expect(r.findAll(Select).some((x) => x.props.name === 'edit-view-sharing')).toBe(false);
    r.findAll(Input)
      .find((x) => x.props.name === 'edit-view-name')!
      .trigger('onChange', 'Big ones' as never);
    r.findByTestId(Button, 'save-edit-view').trigger('onClick');
    await r.waitFor(() => expect(callsOf(fetch).find((c) => c.method === 'PUT')).toBeDefined());
    expect(callsOf(fetch).find((c) => c.method === 'PUT')).toMatchObject({
      path: '/api/v1/workspace/customers/views/v-1',
      body: { name: 'Big ones', sharing: 'private', query: { filters: { owner: 'me' } } },
    });
  });

  describe('inline edit in the preview (CS-CUS-3)', () => {
    const editable: WorkspacePreviewResponse = {
      ...PREVIEW,
      properties: [
        {
          name: 'industry',
          label: 'Industry',
          type: 'enumeration',
          fieldType: 'select',
          value: 'SOFTWARE',
          raw: 'SOFTWARE',
          editable: true,
          options: [
            { label: 'Software', value: 'SOFTWARE' },
            { label: 'Retail', value: 'RETAIL' },
          ],
        },
        { name: 'num_associated_contacts', label: 'Contacts', type: 'number', value: 3, raw: '3', editable: false },
      ],
    };
    const openPreview = async (patch: (u: URL, o?: { body?: unknown }) => unknown) => {
      const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
        backendAnswering({
          ...ROUTES,
          '/api/v1/workspace/customers/records/1': editable,
          'PATCH /api/v1/workspace/customers/records/1': patch,
        }),
      );
      const renderer = renderTab();
      await renderer.waitFor(() => expect(renderer.maybeFind(Table)).not.toBeNull());
      renderer.findByTestId(Button, 'open-1').trigger('onClick');
      await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Button, 'edit-industry')).not.toBeNull());
      return { fetch, renderer };
    };

    it('offers Edit only on editable properties, saves the option chosen, and reloads the preview and the list', async () => {
      const { fetch, renderer } = await openPreview(() => ({ ...editable }));
      expect(renderer.maybeFindByTestId(Button, 'edit-num_associated_contacts')).toBeNull();
      renderer.findByTestId(Button, 'edit-industry').trigger('onClick');
      const select = renderer.find(Select, { name: 'edit-industry' });
      expect(select.props.options.map((o) => o.value)).toEqual(['__none__', 'SOFTWARE', 'RETAIL']);
      select.trigger('onChange', 'RETAIL' as never);
      renderer.findByTestId(Button, 'save-industry').trigger('onClick');
      await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Button, 'save-industry')).toBeNull());
      const calls = callsOf(fetch);
      expect(calls.find((c) => c.method === 'PATCH')).toMatchObject({
        path: '/api/v1/workspace/customers/records/1',
        body: { property: 'industry', value: 'RETAIL' },
      });
      // After the save: the preview and the list are read again (from the copy, which has the new value).
      const patchAt = calls.findIndex((c) => c.method === 'PATCH');
      await renderer.waitFor(() =>
        expect(
          callsOf(fetch)
            .slice(patchAt + 1)
            .map((c) => c.path),
        ).toEqual(expect.arrayContaining(['/api/v1/workspace/customers/records/1', '/api/v1/workspace/customers'])),
      );
    });

    it('shows HubSpot’s refusal on the field and keeps the editor open', async () => {
      const { renderer } = await openPreview(() =>
        json(
          {
            error: {
              code: 'BAD_REQUEST',
              message: 'HubSpot refused the change: RETAIL was not one of the allowed options',
              details: [{ field: 'value', issue: 'RETAIL was not one of the allowed options' }],
            },
          },
          400,
        ),
      );
      renderer.findByTestId(Button, 'edit-industry').trigger('onClick');
      renderer.find(Select, { name: 'edit-industry' }).trigger('onChange', 'RETAIL' as never);
      renderer.findByTestId(Button, 'save-industry').trigger('onClick');
      await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Text, 'edit-error-industry')).not.toBeNull());
      expect(renderer.findByTestId(Text, 'edit-error-industry').text).toBe('Not saved: RETAIL was not one of the allowed options');
      const select = renderer.find(Select, { name: 'edit-industry' });
      expect(select.props).toMatchObject({ error: true, validationMessage: 'RETAIL was not one of the allowed options' });
      expect(renderer.findByTestId(Text, 'value-industry').text).toBe('SOFTWARE');
    });
  });
});
