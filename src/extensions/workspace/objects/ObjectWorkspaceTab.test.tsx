import { afterEach, describe, expect, it, vi } from 'vitest';
import { Button, DateInput, Select, Table, TableCell, Text, hubspot } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type {
  ArrAtRiskResponse,
  WorkspaceBoardResponse,
  WorkspacePipelinesResponse,
  WorkspaceRecordsResponse,
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
