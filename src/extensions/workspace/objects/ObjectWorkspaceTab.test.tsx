import { afterEach, describe, expect, it, vi } from 'vitest';
import { Alert, Button, DateInput, Input, Select, Table, TableCell, TableHeader, Text, hubspot } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type {
  ArrAtRiskResponse,
  WorkspaceBoardResponse,
  WorkspaceMetaResponse,
  WorkspacePipelinesResponse,
  WorkspacePreviewResponse,
  WorkspaceRecordsResponse,
  WorkspaceView,
  WorkspaceViewsResponse,
} from '../../api/contract';
import { ORIGIN, backendAnswering, callsOf, json } from '../../shared/testing/fixtures';
import { ServicesTab } from '../services/ServicesTab';
import { RevenueTab } from '../revenue/RevenueTab';

const AS_OF = '2026-12-04T11:59:00.000Z';
const STAGES = [
  { id: 'planning', label: 'Planning', isClosed: false, requiredProperties: [] },
  {
    id: 'done',
    label: 'Completed',
    isClosed: true,
    requiredProperties: [{ name: 'go_live_date', label: 'Go-live date', type: 'date', fieldType: 'date' }],
  },
];
const PIPELINES: WorkspacePipelinesResponse = {
  workspace: 'services',
  objectType: '0-162',
  objects: [{ objectType: '0-162', label: 'Services' }],
  pipelines: [{ id: 'p1', label: 'Services pipeline', stages: STAGES }],
  defaultPipeline: 'p1',
  defaultLayout: 'board',
};
const VIEWS: WorkspaceViewsResponse = {
  dataAsOf: AS_OF,
  views: [
    {
      id: 'owned-by-me',
      name: 'Owned by me',
      kind: 'builtin',
      sharing: 'everyone',
      ownerUserId: null,
      query: { filters: {} },
      count: 1,
      editable: false,
    },
  ],
};
const row = (id: string, name: string, stageId: string) => ({
  id,
  name,
  values: { name, stage: stageId },
  owner: { id: '501', name: 'Ada Rep' },
  url: `https://app.hubspot.com/contacts/1/record/0-162/${id}`,
  stage: { pipelineId: 'p1', stageId, label: stageId },
});
const BOARD: WorkspaceBoardResponse = {
  dataAsOf: AS_OF,
  workspace: 'services',
  objectType: '0-162',
  pipeline: { id: 'p1', label: 'Services pipeline' },
  columns: [
    { stage: { id: 'planning', label: 'Planning' }, total: 1, amount: null, rows: [row('66', 'Migration', 'planning')] },
    { stage: { id: 'done', label: 'Completed' }, total: 0, amount: null, rows: [] },
  ],
};

function render(node: JSX.Element) {
  const renderer = createRenderer('pages');
  renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
  renderer.render(node);
  return renderer;
}

afterEach(() => vi.restoreAllMocks());

describe('Services tab', () => {
  it('opens on the default layout (board): one column per stage with its count, from the pipelines and views', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/workspace/services/pipelines': PIPELINES,
        '/api/v1/workspace/services/views': VIEWS,
        '/api/v1/workspace/services/board': BOARD,
      }),
    );
    const renderer = render(<ServicesTab isManager={false} />);
    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Button, 'open-66')).not.toBeNull());
    expect(renderer.findAll(Text).map((t) => t.text)).toEqual(expect.arrayContaining(['Planning (1)', 'Completed (0)']));
    expect(callsOf(fetch).find((c) => c.path === '/api/v1/workspace/services/board')?.query).toEqual({
      view: 'owned-by-me',
      pipeline: 'p1',
    });
  });

  it('a board move into a stage with requirements asks for them, shows the refusal on the field, then moves', async () => {
    let refuse = true;
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/workspace/services/pipelines': PIPELINES,
        '/api/v1/workspace/services/views': VIEWS,
        '/api/v1/workspace/services/board': BOARD,
        'POST /api/v1/workspace/services/records/66/stage': () => {
          if (!refuse) return {};
          refuse = false;
          return json(
            {
              error: {
                code: 'BAD_REQUEST',
                message: '"Completed" needs more before the move',
                details: [{ field: 'properties.go_live_date', issue: '"Go-live date" is required to move into "Completed"' }],
              },
            },
            400,
          );
        },
      }),
    );
    const renderer = render(<ServicesTab isManager={false} />);
    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Button, 'open-66')).not.toBeNull());
    renderer.find(Select, { name: 'move-66' }).trigger('onChange', 'done' as never);
    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Button, 'confirm-move')).not.toBeNull());
    expect(renderer.find(DateInput, { name: 'edit-go_live_date' }).props.label).toBe('Go-live date');
    renderer.findByTestId(Button, 'confirm-move').trigger('onClick');
    await renderer.waitFor(() =>
      expect(renderer.find(DateInput, { name: 'edit-go_live_date' }).props.validationMessage).toBe(
        '"Go-live date" is required to move into "Completed"',
      ),
    );
    renderer.find(DateInput, { name: 'edit-go_live_date' }).trigger('onChange', { year: 2026, month: 10, date: 30 } as never);
    renderer.findByTestId(Button, 'confirm-move').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Button, 'confirm-move')).toBeNull());
    const posts = callsOf(fetch).filter((c) => c.method === 'POST');
    expect(posts.map((c) => c.body)).toEqual([{ stageId: 'done' }, { stageId: 'done', properties: { go_live_date: '2026-11-30' } }]);
    // The board is read again after the move.
    await renderer.waitFor(() => expect(callsOf(fetch).filter((c) => c.path === '/api/v1/workspace/services/board').length).toBe(2));
  });
});

describe('Services preview (CS-SRV-2, CS-SRV-3)', () => {
  it('shows the service without a health section, edits a property in place and moves the stage from its picker', async () => {
    const preview: WorkspacePreviewResponse = {
      dataAsOf: AS_OF,
      objectType: '0-162',
      id: '66',
      name: 'Migration',
      url: 'https://app.hubspot.com/contacts/1/record/0-162/66',
      properties: [{ name: 'hs_status', label: 'Status', type: 'string', fieldType: 'text', value: 'Open', raw: 'Open', editable: true }],
      health: null,
      activities: [],
      associations: [],
      stage: { pipelineId: 'p1', stageId: 'planning' },
    };
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/workspace/services/pipelines': PIPELINES,
        '/api/v1/workspace/services/views': VIEWS,
        '/api/v1/workspace/services/board': BOARD,
        '/api/v1/workspace/services/records/66': preview,
        'PATCH /api/v1/workspace/services/records/66': preview,
      }),
    );
    const r = render(<ServicesTab isManager={false} />);
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'open-66')).not.toBeNull());
    r.findByTestId(Button, 'open-66').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'edit-hs_status')).not.toBeNull());
    expect(r.maybeFindByTestId(Text, 'preview-no-health')).toBeNull();
    expect(r.findAll(Text).map((t) => t.text)).not.toContain('Health');
    r.findByTestId(Button, 'edit-hs_status').trigger('onClick');
    r.find(Input, { name: 'edit-hs_status' }).trigger('onChange', 'Closed' as never);
    r.findByTestId(Button, 'save-hs_status').trigger('onClick');
    await r.waitFor(() => expect(callsOf(fetch).find((c) => c.method === 'PATCH')).toBeDefined());
    expect(callsOf(fetch).find((c) => c.method === 'PATCH')).toMatchObject({
      path: '/api/v1/workspace/services/records/66',
      body: { property: 'hs_status', value: 'Closed' },
    });
    // After the edit, the preview and the board are read again.
    await r.waitFor(() => expect(callsOf(fetch).filter((c) => c.path === '/api/v1/workspace/services/board')).toHaveLength(2));
    await r.waitFor(() => expect(callsOf(fetch).filter((c) => c.path === '/api/v1/workspace/services/records/66')).toHaveLength(3));
    await r.waitFor(() => expect(r.maybeFind(Select, { name: 'preview-stage' })).not.toBeNull());
    const stage = r.find(Select, { name: 'preview-stage' });
    expect(stage.props.label).toBe('Stage (Services pipeline)');
    stage.trigger('onChange', 'done' as never);
    await r.waitFor(() => expect(r.maybeFindByTestId(Alert, 'stage-move')).not.toBeNull());
    expect(r.find(DateInput, { name: 'edit-go_live_date' }).props.label).toBe('Go-live date');
  });
});

describe('Revenue tab', () => {
  it('shows amounts in the table and ARR at risk by month and health category', async () => {
    const page: WorkspaceRecordsResponse = {
      dataAsOf: AS_OF,
      workspace: 'revenue',
      objectType: 'deals',
      view: null,
      columns: [
        { key: 'name', label: 'Name', type: 'string' },
        { key: 'amount', label: 'Amount', type: 'number' },
        { key: 'renewalDate', label: 'Close date', type: 'date' },
      ],
      rows: [
        {
          ...row('8', 'Renewal Dec', 'contractsent'),
          values: { name: 'Renewal Dec', amount: 1200, renewalDate: '2026-12-15T00:00:00.000Z' },
        },
      ],
      total: 1,
    };
    const cat = (amount: number, count: number) => ({ amount, count });
    const arr: ArrAtRiskResponse = {
      dataAsOf: AS_OF,
      objectType: 'deals',
      amountProperty: 'amount',
      renewalDateProperty: 'closedate',
      months: [
        {
          month: '2026-12',
          byCategory: { AT_RISK: cat(1200, 1), NEUTRAL: cat(0, 0), GOOD: cat(0, 0), UNSCORED: cat(0, 0) },
          total: cat(1200, 1),
        },
      ],
    };
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/workspace/revenue/pipelines': { ...PIPELINES, workspace: 'revenue', objectType: 'deals', defaultLayout: 'table' },
        '/api/v1/workspace/revenue/views': VIEWS,
        '/api/v1/workspace/revenue': page,
        '/api/v1/workspace/revenue/arr-at-risk': arr,
      }),
    );
    const renderer = render(<RevenueTab isManager={false} />);
    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Table, 'arr-table')).not.toBeNull());
    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Table, 'records-table')).not.toBeNull());
    const cells = (testId: string) =>
      renderer
        .findByTestId(Table, testId)
        .findAll(TableCell)
        .map((c) => c.text);
    expect(cells('records-table')).toEqual(expect.arrayContaining(['1,200', 'Dec 15, 2026']));
    expect(cells('arr-table')).toEqual(['2026-12', '1,200 (1)', '0 (0)', '0 (0)', '0 (0)', '1,200 (1)']);
  });
});

describe('Filters and custom views on Services and Revenue (CS-SRV-1, CS-REV-1)', () => {
  const META: WorkspaceMetaResponse = {
    dataAsOf: AS_OF,
    workspace: 'services',
    objectType: '0-162',
    properties: [
      { name: 'amount', label: 'Amount', type: 'number', fieldType: 'number' },
      { name: 'hs_name', label: 'Name', type: 'string', fieldType: 'text' },
    ],
    operatorsByType: { string: ['EQ', 'CONTAINS_TOKEN'], number: ['EQ', 'GT', 'LT'] },
    owners: [{ id: '502', name: 'Bo Rep' }],
  };
  const custom = (id: string, name: string, over: Partial<WorkspaceView> = {}): WorkspaceView => ({
    id,
    name,
    kind: 'custom',
    sharing: 'private',
    ownerUserId: 1,
    query: { filters: {} },
    count: 1,
    editable: true,
    ...over,
  });
  const select = (r: ReturnType<typeof render>, name: string) => r.findAll(Select).find((x) => x.props.name === name)!;
  const input = (r: ReturnType<typeof render>, name: string) => r.findAll(Input).find((x) => x.props.name === name)!;
  const filtersOf = (call: { query: Record<string, string> } | undefined) =>
    call?.query.filters === undefined ? undefined : (JSON.parse(call.query.filters) as unknown);

  it('Services: a manager filters the board by owner, name and create date, then saves the filters as a view shared with everyone', async () => {
    let saved: WorkspaceView | null = null;
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/workspace/services/pipelines': PIPELINES,
        '/api/v1/workspace/services/views': () => ({ ...VIEWS, views: [...VIEWS.views, ...(saved ? [saved] : [])] }),
        '/api/v1/workspace/services/board': BOARD,
        '/api/v1/workspace/services/meta': META,
        'POST /api/v1/workspace/services/views': (_u: URL, o?: { body?: unknown }) => {
          const body = o!.body as { name: string; sharing: 'everyone'; query: WorkspaceView['query'] };
          saved = custom('v-9', body.name, { sharing: body.sharing, query: body.query });
          return json({ view: saved }, 201);
        },
      }),
    );
    const boards = () => callsOf(fetch).filter((c) => c.path === '/api/v1/workspace/services/board');
    const r = render(<ServicesTab isManager={true} />);
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'open-66')).not.toBeNull());
    // No meta call until the advanced filters are opened.
    expect(callsOf(fetch).some((c) => c.path.endsWith('/meta'))).toBe(false);
    r.findByTestId(Button, 'toggle-advanced').trigger('onClick');
    await r.waitFor(() => expect(select(r, 'filter-owner')).toBeDefined());
    expect(select(r, 'filter-owner').props.label).toBe('Owner');
    select(r, 'filter-owner').trigger('onChange', '502' as never);
    // The property's type decides the conditions offered.
    select(r, 'filter-property').trigger('onChange', 'hs_name' as never);
    await r.waitFor(() => expect(select(r, 'filter-operator').props.options.map((o) => o.value)).toEqual(['EQ', 'CONTAINS_TOKEN']));
    select(r, 'filter-operator').trigger('onChange', 'CONTAINS_TOKEN' as never);
    await r.waitFor(() => expect(input(r, 'filter-value')).toBeDefined());
    input(r, 'filter-value').trigger('onChange', 'Migration' as never);
    r.findByTestId(Button, 'add-filter').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'filter-0')).not.toBeNull());
    expect(r.findByTestId(Button, 'filter-0').text).toBe('Name contains Migration ✕');
    r.find(DateInput, { name: 'created-from' }).trigger('onChange', { year: 2026, month: 0, date: 1 } as never);
    const filters = {
      owner: '502',
      properties: [{ propertyName: 'hs_name', operator: 'CONTAINS_TOKEN', value: 'Migration' }],
      createDate: { from: '2026-01-01' },
    };
    await r.waitFor(() => expect(filtersOf(boards().at(-1))).toEqual(filters));
    expect(boards().at(-1)!.query).toMatchObject({ view: 'owned-by-me', pipeline: 'p1' });

    input(r, 'view-name').trigger('onChange', 'Migrations' as never);
    select(r, 'view-sharing').trigger('onChange', 'everyone' as never);
    r.findByTestId(Button, 'save-view').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'view-v-9')).not.toBeNull());
    expect(callsOf(fetch).find((c) => c.method === 'POST')).toMatchObject({
      path: '/api/v1/workspace/services/views',
      query: {},
      body: { name: 'Migrations', sharing: 'everyone', query: { filters, sort: { property: 'name', direction: 'ASC' } } },
    });
    // The new view is selected and holds the filters: the board now asks for it, without loose filters.
    await r.waitFor(() => expect(boards().at(-1)!.query).toEqual({ view: 'v-9', pipeline: 'p1' }));
    expect(r.findByTestId(Button, 'view-v-9').props.variant).toBe('primary');
    expect(r.findByTestId(Button, 'view-v-9').text).toBe('Migrations (1)');
    expect(r.maybeFindByTestId(Button, 'edit-view')).not.toBeNull();
    expect(r.maybeFindByTestId(Button, 'delete-view')).not.toBeNull();
  });

  it('Services: a manager marks views as defaults; a member sees no defaults editor and no sharing choice', async () => {
    const views = { ...VIEWS, views: [...VIEWS.views, custom('v-2', 'Shared', { sharing: 'everyone' })] };
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/workspace/services/pipelines': PIPELINES,
        '/api/v1/workspace/services/views': views,
        '/api/v1/workspace/services/board': BOARD,
        'PUT /api/v1/workspace/services/defaults': views,
      }),
    );
    const member = render(<ServicesTab isManager={false} />);
    await member.waitFor(() => expect(member.maybeFindByTestId(Button, 'open-66')).not.toBeNull());
    expect(member.maybeFindByTestId(Button, 'save-defaults')).toBeNull();
    expect(member.findAll(Select).map((x) => x.props.name)).not.toContain('view-sharing');

    const r = render(<ServicesTab isManager={true} />);
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'save-defaults')).not.toBeNull());
    expect(select(r, 'default-add').props.options).toEqual([
      { label: 'Owned by me', value: 'owned-by-me' },
      { label: 'Shared', value: 'v-2' },
    ]);
    select(r, 'default-add').trigger('onChange', 'v-2' as never);
    r.findByTestId(Button, 'default-add').trigger('onClick');
    await r.waitFor(() => expect(input(r, 'default-description-v-2')).toBeDefined());
    input(r, 'default-description-v-2').trigger('onChange', 'The team’s' as never);
    await r.waitFor(() => expect(r.findByTestId(Button, 'save-defaults').props.disabled).toBe(false));
    r.findByTestId(Button, 'save-defaults').trigger('onClick');
    await r.waitFor(() => expect(callsOf(fetch).find((c) => c.method === 'PUT')).toBeDefined());
    expect(callsOf(fetch).find((c) => c.method === 'PUT')).toMatchObject({
      path: '/api/v1/workspace/services/defaults',
      body: { defaults: [{ viewId: 'v-2', description: 'The team’s' }] },
    });
  });

  it('Revenue: on its second object, a member filters the table by amount, sorts, saves a private view and deletes it after confirming', async () => {
    const SUBS = '2-5001';
    const table: WorkspaceRecordsResponse = {
      dataAsOf: AS_OF,
      workspace: 'revenue',
      objectType: SUBS,
      view: null,
      columns: [
        { key: 'name', label: 'Name', type: 'string' },
        { key: 'amount', label: 'Amount', type: 'number' },
      ],
      rows: [{ ...row('8', 'Gold plan', 'planning'), values: { name: 'Gold plan', amount: 5000 } }],
      total: 1,
    };
    let saved: WorkspaceView | null = null;
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/workspace/revenue/pipelines': (u: URL) => ({
          ...PIPELINES,
          workspace: 'revenue',
          objectType: u.searchParams.get('object') ?? 'deals',
          objects: [
            { objectType: 'deals', label: 'Deals' },
            { objectType: SUBS, label: 'Subscriptions' },
          ],
          defaultLayout: 'table',
        }),
        '/api/v1/workspace/revenue/views': () => ({ ...VIEWS, views: [...VIEWS.views, ...(saved ? [saved] : [])] }),
        '/api/v1/workspace/revenue': table,
        '/api/v1/workspace/revenue/arr-at-risk': {
          dataAsOf: AS_OF,
          objectType: SUBS,
          amountProperty: 'amount',
          renewalDateProperty: null,
          months: [],
        },
        '/api/v1/workspace/revenue/meta': { ...META, workspace: 'revenue', objectType: SUBS },
        'POST /api/v1/workspace/revenue/views': (_u: URL, o?: { body?: unknown }) => {
          const body = o!.body as { name: string; query: WorkspaceView['query'] };
          saved = custom('v-10', body.name, { query: body.query });
          return json({ view: saved }, 201);
        },
        'DELETE /api/v1/workspace/revenue/views/v-10': () => {
          saved = null;
          return new Response(null, { status: 204 });
        },
      }),
    );
    const lists = () => callsOf(fetch).filter((c) => c.path === '/api/v1/workspace/revenue');
    const r = render(<RevenueTab isManager={false} />);
    await r.waitFor(() => expect(r.maybeFindByTestId(Table, 'records-table')).not.toBeNull());
    select(r, 'object').trigger('onChange', SUBS as never);
    await r.waitFor(() => expect(lists().at(-1)?.query.object).toBe(SUBS));
    await r.waitFor(() => expect(r.maybeFindByTestId(Table, 'records-table')).not.toBeNull());
    expect(
      callsOf(fetch)
        .filter((c) => c.path === '/api/v1/workspace/revenue/views')
        .at(-1)!.query,
    ).toEqual({ object: SUBS });

    r.findByTestId(Button, 'toggle-advanced').trigger('onClick');
    await r.waitFor(() => expect(select(r, 'filter-property')).toBeDefined());
    expect(callsOf(fetch).find((c) => c.path === '/api/v1/workspace/revenue/meta')!.query).toEqual({ object: SUBS });
    select(r, 'filter-property').trigger('onChange', 'amount' as never);
    select(r, 'filter-operator').trigger('onChange', 'GT' as never);
    await r.waitFor(() => expect(input(r, 'filter-value')).toBeDefined());
    input(r, 'filter-value').trigger('onChange', '1000' as never);
    r.findByTestId(Button, 'add-filter').trigger('onClick');
    const filters = { properties: [{ propertyName: 'amount', operator: 'GT', value: 1000 }] };
    await r.waitFor(() => expect(filtersOf(lists().at(-1))).toEqual(filters));
    expect(lists().at(-1)!.query).toMatchObject({ object: SUBS, pipeline: 'p1', view: 'owned-by-me', sort: 'name', limit: '25' });
    await r.waitFor(() => expect(r.maybeFindByTestId(Table, 'records-table')).not.toBeNull());
    expect(
      r
        .findByTestId(Table, 'records-table')
        .findAll(TableCell)
        .map((c) => c.text),
    ).toContain('5,000');
    r.findByTestId(Table, 'records-table')
      .findAll(TableHeader)[1]!
      .trigger('onSortChange' as never, 'ascending' as never);
    await r.waitFor(() => expect(lists().at(-1)!.query).toMatchObject({ sort: 'amount', direction: 'ASC' }));

    // Members keep their views to themselves: no sharing choice.
    expect(r.findAll(Select).map((x) => x.props.name)).not.toContain('view-sharing');
    input(r, 'view-name').trigger('onChange', 'Big subscriptions' as never);
    r.findByTestId(Button, 'save-view').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'delete-view')).not.toBeNull());
    expect(callsOf(fetch).find((c) => c.method === 'POST')).toMatchObject({
      path: '/api/v1/workspace/revenue/views',
      query: { object: SUBS },
      body: { name: 'Big subscriptions', sharing: 'private', query: { filters, sort: { property: 'amount', direction: 'ASC' } } },
    });
    await r.waitFor(() => expect(lists().at(-1)!.query).toMatchObject({ view: 'v-10', object: SUBS }));
    expect(lists().at(-1)!.query.filters).toBeUndefined();

    r.findByTestId(Button, 'delete-view').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Alert, 'confirm-delete')).not.toBeNull());
    expect(callsOf(fetch).some((c) => c.method === 'DELETE')).toBe(false);
    r.findByTestId(Button, 'confirm-delete-view').trigger('onClick');
    // The views are read again: the deleted one is gone, and the tab is back on "Owned by me".
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'view-owned-by-me')?.props.variant).toBe('primary'));
    expect(r.maybeFindByTestId(Button, 'view-v-10')).toBeNull();
    expect(callsOf(fetch).find((c) => c.method === 'DELETE')).toMatchObject({
      path: '/api/v1/workspace/revenue/views/v-10',
      query: { object: SUBS },
      body: { confirm: true },
    });
  });
});
