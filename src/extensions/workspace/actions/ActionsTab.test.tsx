import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Alert,
  Button,
  Checkbox,
  DateInput,
  ErrorState,
  Input,
  LoadingSpinner,
  Select,
  Tag,
  Text,
  TimeInput,
  hubspot,
} from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { ActionsTask, ActionsTasksResponse, BulkJobResponse } from '../../api/contract';
import { ORIGIN, backendAnswering, callsOf, json } from '../../shared/testing/fixtures';
import { ActionsTab } from './ActionsTab';

function actionsTask(id: string, overrides: Partial<ActionsTask> = {}): ActionsTask {
  return {
    id,
    subject: `Task ${id}`,
    dueAt: '2026-11-22T15:00:00.000Z',
    allDay: false,
    status: 'NOT_STARTED',
    priority: 'HIGH',
    type: 'CALL',
    ownerId: '501',
    lastModifiedAt: '2026-11-20T00:00:00.000Z',
    associations: [{ objectType: 'contacts', objectId: '1', label: 'Bo Client' }],
    ...overrides,
  };
}

function page(overrides: Partial<ActionsTasksResponse> = {}): ActionsTasksResponse {
  return {
    view: 'due-today',
    timeZone: 'Europe/Paris',
    filters: { view: 'due-today' },
    sort: 'due',
    counts: { 'due-today': 3, overdue: 12, 'due-tomorrow': 1, completed: 40 },
    total: 3,
    tasks: [actionsTask('1'), actionsTask('2', { priority: 'LOW' })],
    owners: [
      { id: '501', name: 'Ada Rep' },
      { id: '502', name: 'Bo Seller' },
    ],
    dataAsOf: '2026-11-22T10:00:00.000Z',
    paging: { next: { after: 'cursor-1' } },
    ...overrides,
  };
}

function job(overrides: Partial<BulkJobResponse> = {}): BulkJobResponse {
  return {
    id: 'bj_1',
    action: { kind: 'complete' },
    status: 'running',
    total: 2,
    done: 0,
    failed: 0,
    cancelled: 0,
    pending: 2,
    cancelRequested: false,
    error: null,
    createdAt: '2026-11-22T10:00:00.000Z',
    finishedAt: null,
    items: [
      { taskId: '1', state: 'pending', reason: null },
      { taskId: '2', state: 'pending', reason: null },
    ],
    ...overrides,
  };
}

function renderTab() {
  const renderer = createRenderer('pages');
  renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
  renderer.render(<ActionsTab isManager={false} pollMs={10} />);
  return renderer;
}

const views = {
  views: [
    {
      id: 'tv_1',
      name: 'Hot ones',
      shared: true,
      mine: false,
      editable: false,
      filters: { priority: ['HIGH'] },
      sort: 'due',
      createdAt: '',
      updatedAt: '',
    },
  ],
};

afterEach(() => vi.restoreAllMocks());

describe('Actions tab', () => {
  it('shows the built-in views with their counts, the custom views, and the tasks of "due today"', async () => {
    const fetch = vi
      .spyOn(hubspot, 'fetch')
      .mockImplementation(backendAnswering({ '/api/v1/actions/tasks': page(), '/api/v1/actions/views': views }));
    const renderer = renderTab();
    expect(renderer.maybeFind(LoadingSpinner)).not.toBeNull();
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'task-1').text).toBe('Task 1'));
    expect(
      ['due-today', 'overdue', 'due-tomorrow', 'completed', 'tv_1'].map((v) => renderer.findByTestId(Button, `view-${v}`).text),
    ).toEqual(['Due today (3)', 'Overdue (12)', 'Due tomorrow (1)', 'All completed (40)', 'Hot ones (shared)']);
    expect(renderer.findByTestId(Text, 'actions-as-of').text).toMatch(/^3 tasks\. Data as of /);
    const calls = callsOf(fetch);
    expect(calls.find((c) => c.path === '/api/v1/actions/tasks')?.query).toMatchObject({ view: 'due-today', owner: 'me', limit: '25' });
  });

  it('follows the view, filters and sort, and loads the next page with the cursor', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/actions/views': views,
        '/api/v1/actions/tasks': (url: URL) =>
          url.searchParams.get('after') ? page({ tasks: [actionsTask('3')], paging: undefined }) : page(),
      }),
    );
    const renderer = renderTab();
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'task-1')).toBeTruthy());
    renderer.findByTestId(Button, 'actions-more').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'task-3').text).toBe('Task 3'));

    renderer.findByTestId(Button, 'view-overdue').trigger('onClick');
    renderer.findByTestId(Select, 'filter-priority').trigger('onChange', 'HIGH' as never);
    renderer.findByTestId(Select, 'sort').trigger('onChange', '-priority' as never);
    await renderer.waitFor(() => {
      const last = callsOf(fetch)
        .filter((c) => c.path === '/api/v1/actions/tasks')
        .pop();
      expect(last?.query).toMatchObject({ view: 'overdue', priority: 'HIGH', sort: '-priority' });
    });
    expect(callsOf(fetch).some((c) => c.query.after === 'cursor-1')).toBe(true);
  });

  it("opened from a sequence card (SW-2), lists that sequence's tasks until the tag is cleared", async () => {
    const fetch = vi
      .spyOn(hubspot, 'fetch')
      .mockImplementation(backendAnswering({ '/api/v1/actions/tasks': page(), '/api/v1/actions/views': views }));
    const renderer = createRenderer('pages');
    renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
    renderer.render(<ActionsTab isManager={false} pollMs={10} params={{ view: 'overdue', sequenceId: '11', sequenceName: 'Inbound' }} />);
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'task-1')).toBeTruthy());
    expect(renderer.findByTestId(Tag, 'filter-sequence').text).toBe('Sequence: Inbound');
    const tasksCalls = () => callsOf(fetch).filter((c) => c.path === '/api/v1/actions/tasks');
    expect(tasksCalls()[0]!.query).toMatchObject({ view: 'overdue', sequenceId: '11' });
    renderer.findByTestId(Button, 'clear-sequence').trigger('onClick');
    await renderer.waitFor(() => expect(tasksCalls().at(-1)!.query.sequenceId).toBeUndefined());
    expect(renderer.maybeFindByTestId(Tag, 'filter-sequence')).toBeNull();
  });

  it('says the data is still loading while the first sync runs', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({ '/api/v1/actions/tasks': page({ syncing: { percent: 42 } }), '/api/v1/actions/views': { views: [] } }),
    );
    const renderer = renderTab();
    await renderer.waitFor(() => expect(renderer.findByTestId(Alert, 'actions-syncing').text).toContain('42% loaded'));
  });

  it('shows a plain sentence and "Try again" when the list fails', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/actions/tasks': json({ error: { code: 'UNAVAILABLE', message: 'Tiller is briefly unavailable.' } }, 503),
        '/api/v1/actions/views': { views: [] },
      }),
    );
    const renderer = renderTab();
    await renderer.waitFor(() => expect(renderer.find(ErrorState).props.title).toBe('Your tasks could not be loaded'));
    expect(renderer.findByTestId(Button, 'retry-actions')).toBeTruthy();
  });

  it("completes the selected tasks as a job and polls its progress until it is done, with each failure's reason", async () => {
    let polls = 0;
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/actions/tasks': page(),
        '/api/v1/actions/views': { views: [] },
        'POST /api/v1/actions/jobs': json(job({ status: 'queued' }), 202),
        '/api/v1/actions/jobs/bj_1': () => {
          polls += 1;
          return polls < 2
            ? job({ done: 1, pending: 1 })
            : job({
                status: 'done',
                done: 1,
                failed: 1,
                pending: 0,
                items: [
                  { taskId: '1', state: 'done', reason: null },
                  { taskId: '2', state: 'failed', reason: 'This task no longer exists in HubSpot.' },
                ],
              });
        },
      }),
    );
    const renderer = renderTab();
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'task-1')).toBeTruthy());
    renderer.findByTestId(Checkbox, 'select-1').trigger('onChange', true as never);
    renderer.findByTestId(Checkbox, 'select-2').trigger('onChange', true as never);
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'bulk-count').text).toBe('2 tasks selected'));
    renderer.findByTestId(Button, 'bulk-complete').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'job-counts').text).toBe('1 done, 1 failed of 2.'));
    expect(renderer.findByTestId(Text, 'job-failure-2').text).toBe('Task 2: This task no longer exists in HubSpot.');
    const post = callsOf(fetch).find((c) => c.method === 'POST');
    expect(post?.body).toEqual({ action: { kind: 'complete' }, selection: { ids: ['1', '2'] } });
  });

  it('acts on every matching task with the filter, and deletes only after a second, explicit click', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/actions/tasks': page({ total: 240 }),
        '/api/v1/actions/views': { views: [] },
        'POST /api/v1/actions/jobs': json(job({ status: 'queued', total: 240 }), 202),
        '/api/v1/actions/jobs/bj_1': job({ status: 'done', total: 240, done: 240, pending: 0 }),
      }),
    );
    const renderer = renderTab();
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'task-1')).toBeTruthy());
    renderer.findByTestId(Checkbox, 'all-matching').trigger('onChange', true as never);
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'bulk-count').text).toBe('240 tasks selected'));
    renderer.findByTestId(Button, 'bulk-delete').trigger('onClick');
    expect(callsOf(fetch).some((c) => c.method === 'POST')).toBe(false);
    await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'bulk-delete-confirm').text).toBe('Delete 240 tasks for good'));
    renderer.findByTestId(Button, 'bulk-delete-confirm').trigger('onClick');
    await renderer.waitFor(() => expect(callsOf(fetch).some((c) => c.method === 'POST')).toBe(true));
    expect(callsOf(fetch).find((c) => c.method === 'POST')?.body).toEqual({
      action: { kind: 'delete' },
      selection: { filter: { owner: 'me', view: 'due-today' } },
      confirm: true,
    });
  });

  it('creates a task with its due date and time, and "create and add another" keeps the date for the next one', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/actions/tasks': page(),
        '/api/v1/actions/views': { views: [] },
        'POST /api/v1/actions/tasks': json(
          { task: actionsTask('99', { subject: 'Call Bo back' }), dataAsOf: '2026-11-22T10:00:00.000Z' },
          201,
        ),
      }),
    );
    const renderer = renderTab();
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'task-1')).toBeTruthy());
    renderer.findByTestId(Button, 'new-task').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(Input, 'task-subject')).toBeTruthy());
    renderer.findByTestId(Button, 'task-create').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'task-error').text).toBe('A task needs a title and a due date.'));

    renderer.findByTestId(Input, 'task-subject').trigger('onChange', 'Call Bo back' as never);
    renderer.findByTestId(DateInput, 'task-date').trigger('onChange', { year: 2026, month: 10, date: 23 } as never);
    renderer.findByTestId(TimeInput, 'task-time').trigger('onChange', { hours: 9, minutes: 30 } as never);
    renderer.findByTestId(Select, 'task-priority').trigger('onChange', 'HIGH' as never);
    renderer.findByTestId(Input, 'task-record').trigger('onChange', 'contacts:1' as never);
    renderer.findByTestId(Button, 'task-create-another').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'task-saved').text).toBe('Created "Call Bo back".'));
    expect(callsOf(fetch).find((c) => c.method === 'POST')?.body).toEqual({
      subject: 'Call Bo back',
      dueDate: '2026-11-23',
      dueTime: '09:30',
      priority: 'HIGH',
      type: 'TODO',
      associatedRecord: { objectType: 'contacts', objectId: '1' },
    });
    expect(renderer.findByTestId(Input, 'task-subject').props.value).toBe('');
    expect(renderer.findByTestId(DateInput, 'task-date').props.value).toEqual({ year: 2026, month: 10, date: 23 });
  });
  it('saves the current filters as a view (shared, for a manager) and shows it; deletes an editable view only after confirming', async () => {
    const saved = {
      id: 'tv_2',
      name: 'My calls',
      shared: true,
      mine: true,
      editable: true,
      filters: { owner: 'me', type: ['CALL'], view: 'due-today' },
      sort: 'due',
      createdAt: '',
      updatedAt: '',
    };
    let list: unknown[] = [];
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/actions/tasks': page(),
        '/api/v1/actions/views': () => ({ views: list }),
        'POST /api/v1/actions/views': () => {
          list = [saved];
          return json(saved, 201);
        },
        'DELETE /api/v1/actions/views/tv_2': () => {
          list = [];
          return new Response(null, { status: 204 });
        },
      }),
    );
    const renderer = createRenderer('pages');
    renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
    renderer.render(<ActionsTab isManager pollMs={10} />);
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'task-1')).toBeTruthy());
    renderer.findByTestId(Select, 'filter-type').trigger('onChange', 'CALL' as never);
    renderer.findByTestId(Input, 'view-name').trigger('onChange', 'My calls' as never);
    renderer.findByTestId(Checkbox, 'view-shared').trigger('onChange', true as never);
    renderer.findByTestId(Button, 'view-save').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'view-tv_2').text).toBe('My calls (shared)'));
    expect(callsOf(fetch).find((c) => c.method === 'POST')?.body).toEqual({
      name: 'My calls',
      shared: true,
      filters: { owner: 'me', type: ['CALL'], view: 'due-today' },
    });
    await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'view-tv_2').props.variant).toBe('primary'));

    renderer.findByTestId(Button, 'view-delete').trigger('onClick');
    expect(callsOf(fetch).some((c) => c.method === 'DELETE')).toBe(false);
    await renderer.waitFor(() => expect(renderer.findByTestId(Button, 'view-delete-confirm')).toBeTruthy());
    renderer.findByTestId(Button, 'view-delete-confirm').trigger('onClick');
    await renderer.waitFor(() => expect(renderer.maybeFindByTestId(Button, 'view-tv_2')).toBeNull());
    expect(callsOf(fetch).find((c) => c.method === 'DELETE')?.body).toEqual({ confirm: true });
  });

  it('offers sharing only to managers', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({ '/api/v1/actions/tasks': page(), '/api/v1/actions/views': { views: [] } }),
    );
    const renderer = renderTab();
    await renderer.waitFor(() => expect(renderer.findByTestId(Text, 'task-1')).toBeTruthy());
    expect(renderer.maybeFindByTestId(Checkbox, 'view-shared')).toBeNull();
  });
});
