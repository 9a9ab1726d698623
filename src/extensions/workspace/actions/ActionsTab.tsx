import { useState } from 'react';
import {
  Alert,
  Button,
  ButtonRow,
  Checkbox,
  Flex,
  Heading,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import type { ActionsBuiltInView, ActionsFilters, ActionsSort, ActionsTask, ActionsTasksResponse, BulkAction } from '../../api/contract';
import { useBackend, useBackendCall, usePagedBackend } from '../../api/useBackend';
import { BackendView, LoadMore } from '../../shared/BackendView';
import type { WorkspaceTabProps } from '../tabs';
import { BulkJobProgress } from './BulkJobProgress';
import { CreateTaskForm } from './CreateTaskForm';
import { SaveViewForm } from './SaveViewForm';

const BUILT_IN: { id: ActionsBuiltInView; label: string }[] = [
  { id: 'due-today', label: 'Due today' },
  { id: 'overdue', label: 'Overdue' },
  { id: 'due-tomorrow', label: 'Due tomorrow' },
  { id: 'completed', label: 'All completed' },
];

const SORTS: { value: ActionsSort; label: string }[] = [
  { value: 'due', label: 'Due date (soonest first)' },
  { value: '-due', label: 'Due date (latest first)' },
  { value: '-priority', label: 'Priority (highest first)' },
  { value: 'subject', label: 'Subject (A–Z)' },
  { value: '-modified', label: 'Last modified (newest first)' },
];

const PRIORITIES = ['HIGH', 'MEDIUM', 'LOW', 'NONE'];
const TYPES = ['TODO', 'CALL', 'EMAIL'];

export type ActionsFilterState = {
  owner: 'me' | 'all';
  priority?: string;
  type?: string;
  sort?: ActionsSort;
  /** Opened from a sequence card (SW-2): that sequence's tasks, named for the tag. */
  sequence?: { id: string; name: string };
};

const isBuiltIn = (view: string): view is ActionsBuiltInView => BUILT_IN.some((v) => v.id === view);

/** The filters shown, as the API takes them (a bulk selection, a saved view). */
export function requestFilters(view: string, f: ActionsFilterState): ActionsFilters {
  return {
    owner: f.owner,
    ...(f.priority ? { priority: [f.priority] } : {}),
    ...(f.type ? { type: [f.type] } : {}),
    ...(f.sequence ? { sequenceId: f.sequence.id } : {}),
    ...(isBuiltIn(view) ? { view } : {}),
  };
}

/** Query parameters of the tasks list for the chosen view and filters. */
export function tasksParams(view: string, f: ActionsFilterState): Record<string, string | undefined> {
  return { view, owner: f.owner, priority: f.priority, type: f.type, sort: f.sort, sequenceId: f.sequence?.id, limit: '25' };
}

function dueLabel(task: ActionsTask, timeZone: string): string {
  if (!task.dueAt) return 'No due date';
  const d = new Date(task.dueAt);
  if (task.allDay) return d.toLocaleDateString('en-US', { timeZone: 'UTC', dateStyle: 'medium' });
  return d.toLocaleString('en-US', { timeZone, dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * The Actions tab (CS-ACT-1..4): built-in and custom views with counts, filters, sort and paging
 * over the portal copy; a task form; bulk actions on the selection or on every matching task.
 */
export function ActionsTab({ isManager, params, pollMs }: WorkspaceTabProps & { pollMs?: number }) {
  // Opened from the Summary's "show all" (CS-SUM-2): start on that bucket's view.
  const [view, setView] = useState<string>(() => (params?.view && isBuiltIn(params.view) ? params.view : 'due-today'));
  // Opened from a sequence card (SW-2): that sequence's tasks.
  const [filters, setFilters] = useState<ActionsFilterState>(() =>
    params?.sequenceId
      ? { owner: 'me', sequence: { id: params.sequenceId, name: params.sequenceName ?? `Sequence ${params.sequenceId}` } }
      : { owner: 'me' },
  );
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [allMatching, setAllMatching] = useState(false);
  const [creating, setCreating] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const list = usePagedBackend('/api/v1/actions/tasks', tasksParams(view, filters));
  const views = useBackend('/api/v1/actions/views');

  const choose = (next: Partial<ActionsFilterState> & { view?: string }) => {
    const { view: nextView, ...rest } = next;
    if (nextView) setView(nextView);
    setFilters((f) => ({ ...f, ...rest }));
    setSelected(new Set());
    setAllMatching(false);
  };
  const first = list.state.status === 'success' ? list.state.data[0] : undefined;

  return (
    <Flex direction="column" gap="medium">
      <Flex direction="row" justify="between" align="center">
        <Heading>Actions</Heading>
        <Button testId="new-task" variant="primary" onClick={() => setCreating((c) => !c)}>
          {creating ? 'Close the task form' : 'Create task'}
        </Button>
      </Flex>
      {creating ? <CreateTaskForm owners={first?.owners ?? []} onCreated={() => list.state.reload()} /> : null}

      <ButtonRow>
        {BUILT_IN.map((v) => (
          <Button
            key={v.id}
            testId={`view-${v.id}`}
            variant={view === v.id ? 'primary' : 'secondary'}
            onClick={() => choose({ view: v.id })}
          >
            {first ? `${v.label} (${first.counts[v.id]})` : v.label}
          </Button>
        ))}
        {views.status === 'success'
          ? views.data.views.map((v) => (
              <Button
                key={v.id}
                testId={`view-${v.id}`}
                variant={view === v.id ? 'primary' : 'secondary'}
                onClick={() => choose({ view: v.id })}
              >
                {v.shared ? `${v.name} (shared)` : v.name}
              </Button>
            ))
          : null}
      </ButtonRow>

      <Flex direction="row" gap="small" wrap="wrap">
        <Select
          label="Owner"
          name="owner"
          testId="filter-owner"
          value={filters.owner}
          options={[
            { label: 'My tasks', value: 'me' },
            { label: "Everyone's tasks", value: 'all' },
          ]}
          onChange={(v) => choose({ owner: v === 'all' ? 'all' : 'me' })}
        />
        <Select
          label="Priority"
          name="priority"
          testId="filter-priority"
          value={filters.priority ?? ''}
          options={[
            { label: 'Any priority', value: '' },
            ...PRIORITIES.map((p) => ({ label: p.charAt(0) + p.slice(1).toLowerCase(), value: p })),
          ]}
          onChange={(v) => choose({ priority: v ? String(v) : undefined })}
        />
        <Select
          label="Type"
          name="type"
          testId="filter-type"
          value={filters.type ?? ''}
          options={[
            { label: 'Any type', value: '' },
            ...TYPES.map((t) => ({ label: t === 'TODO' ? 'To-do' : t.charAt(0) + t.slice(1).toLowerCase(), value: t })),
          ]}
          onChange={(v) => choose({ type: v ? String(v) : undefined })}
        />
        <Select
          label="Sort"
          name="sort"
          testId="sort"
          value={filters.sort ?? ''}
          options={[{ label: 'Default order', value: '' }, ...SORTS]}
          onChange={(v) => choose({ sort: v ? (String(v) as ActionsSort) : undefined })}
        />
      </Flex>

      {filters.sequence ? (
        <Flex direction="row" gap="small" align="center">
          <Tag testId="filter-sequence">{`Sequence: ${filters.sequence.name}`}</Tag>
          <Button size="sm" testId="clear-sequence" onClick={() => choose({ sequence: undefined })}>
            Show every sequence
          </Button>
        </Flex>
      ) : null}

      <SaveViewForm
        filters={requestFilters(view, filters)}
        sort={filters.sort}
        isManager={isManager}
        current={views.status === 'success' ? views.data.views.find((v) => v.id === view) : undefined}
        onSaved={(saved) => {
          views.reload();
          choose({ view: saved.id });
        }}
        onDeleted={() => {
          views.reload();
          choose({ view: 'due-today' });
        }}
      />

      {jobId ? (
        <BulkJobProgress jobId={jobId} pollMs={pollMs} onFinished={() => list.state.reload()} onDismiss={() => setJobId(null)} />
      ) : null}

      <BackendView
        state={list.state}
        loading="Loading your tasks"
        failed="Your tasks could not be loaded"
        retryTestId="retry-actions"
        isEmpty={(pages) => (pages[0]?.tasks.length ?? 0) === 0}
        empty={<Text testId="actions-empty">No task matches this view.</Text>}
      >
        {(pages) => {
          const head = pages[0]!;
          const tasks = pages.flatMap((p) => p.tasks);
          return (
            <Flex direction="column" gap="small">
              <Freshness answer={head} />
              <BulkBar
                answer={head}
                selectedIds={[...selected]}
                allMatching={allMatching}
                onAllMatching={setAllMatching}
                view={view}
                filters={filters}
                onStarted={(id) => {
                  setJobId(id);
                  setSelected(new Set());
                  setAllMatching(false);
                }}
              />
              <TaskTable
                tasks={tasks}
                answer={head}
                selected={selected}
                onSelect={(id, on) =>
                  setSelected((s) => {
                    const next = new Set(s);
                    if (on) next.add(id);
                    else next.delete(id);
                    return next;
                  })
                }
              />
              <LoadMore list={list} what="tasks" testId="actions-more" />
            </Flex>
          );
        }}
      </BackendView>
    </Flex>
  );
}

function Freshness({ answer }: { answer: ActionsTasksResponse }) {
  if (answer.syncing) {
    return (
      <Alert title="Still loading your HubSpot data" variant="info" testId="actions-syncing">
        {`${answer.syncing.percent}% loaded: some tasks may not be listed yet.`}
      </Alert>
    );
  }
  return (
    <Text
      variant="microcopy"
      testId="actions-as-of"
    >{`${answer.total} tasks. Data as of ${new Date(answer.dataAsOf).toLocaleString('en-US', { timeZone: answer.timeZone, timeStyle: 'short', dateStyle: 'medium' })}.`}</Text>
  );
}

function TaskTable({
  tasks,
  answer,
  selected,
  onSelect,
}: {
  tasks: ActionsTask[];
  answer: ActionsTasksResponse;
  selected: Set<string>;
  onSelect: (id: string, on: boolean) => void;
}) {
  const owners = new Map(answer.owners.map((o) => [o.id, o.name]));
  return (
    <Table bordered>
      <TableHead>
        <TableRow>
          <TableHeader>Select</TableHeader>
          <TableHeader>Task</TableHeader>
          <TableHeader>Due</TableHeader>
          <TableHeader>Priority</TableHeader>
          <TableHeader>Owner</TableHeader>
          <TableHeader>About</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {tasks.map((t) => (
          <TableRow key={t.id}>
            <TableCell>
              <Checkbox
                name={`select-${t.id}`}
                testId={`select-${t.id}`}
                checked={selected.has(t.id)}
                onChange={(on) => onSelect(t.id, on)}
                aria-label={`Select ${t.subject}`}
              />
            </TableCell>
            <TableCell>
              <Text testId={`task-${t.id}`}>{t.status === 'COMPLETED' ? `${t.subject} (completed)` : t.subject}</Text>
            </TableCell>
            <TableCell>{dueLabel(t, answer.timeZone)}</TableCell>
            <TableCell>{t.priority === 'NONE' ? '—' : t.priority.charAt(0) + t.priority.slice(1).toLowerCase()}</TableCell>
            <TableCell>{t.ownerId ? (owners.get(t.ownerId) ?? `Owner ${t.ownerId}`) : 'Unassigned'}</TableCell>
            <TableCell>{t.associations.map((a) => a.label).join(', ') || '—'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

type BulkChoice = 'complete' | 'reopen' | 'assign' | 'priority' | 'delete';

function BulkBar({
  answer,
  selectedIds,
  allMatching,
  onAllMatching,
  view,
  filters,
  onStarted,
}: {
  answer: ActionsTasksResponse;
  selectedIds: string[];
  allMatching: boolean;
  onAllMatching: (on: boolean) => void;
  view: string;
  filters: ActionsFilterState;
  onStarted: (jobId: string) => void;
}) {
  const call = useBackendCall();
  const [assignee, setAssignee] = useState<string>('');
  const [priority, setPriority] = useState<string>('HIGH');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const count = allMatching ? answer.total : selectedIds.length;
  if (count === 0 && !allMatching) {
    return (
      <Checkbox name="all-matching" testId="all-matching" checked={false} onChange={onAllMatching}>
        {`Select all ${answer.total} matching tasks`}
      </Checkbox>
    );
  }

  const start = async (choice: BulkChoice) => {
    const action: BulkAction | null =
      choice === 'complete'
        ? { kind: 'complete' }
        : choice === 'reopen'
          ? { kind: 'reopen' }
          : choice === 'assign'
            ? assignee
              ? { kind: 'assign', ownerId: assignee }
              : null
            : choice === 'priority'
              ? { kind: 'set-property', property: 'hs_task_priority', value: priority }
              : { kind: 'delete' };
    if (!action) {
      setError('Choose who to assign the tasks to.');
      return;
    }
    const builtIn = isBuiltIn(view);
    const filter = requestFilters(view, filters);
    setBusy(true);
    setError(null);
    const result = await call('POST', '/api/v1/actions/jobs', {
      action,
      selection: allMatching ? { filter, ...(builtIn ? {} : { viewId: view }) } : { ids: selectedIds },
      ...(choice === 'delete' ? { confirm: true } : {}),
    });
    setBusy(false);
    setConfirmDelete(false);
    if (result.ok) onStarted(result.data.id);
    else setError(result.error.message);
  };

  return (
    <Flex direction="column" gap="extra-small">
      <Checkbox name="all-matching" testId="all-matching" checked={allMatching} onChange={onAllMatching}>
        {`Select all ${answer.total} matching tasks`}
      </Checkbox>
      <Text testId="bulk-count">{`${count} ${count === 1 ? 'task' : 'tasks'} selected`}</Text>
      <Flex direction="row" gap="small" wrap="wrap" align="end">
        <Button testId="bulk-complete" disabled={busy} onClick={() => void start('complete')}>
          Mark completed
        </Button>
        <Button testId="bulk-reopen" disabled={busy} onClick={() => void start('reopen')}>
          Mark not completed
        </Button>
        <Select
          label="Assign to"
          name="assignee"
          testId="bulk-assignee"
          value={assignee}
          options={[{ label: 'Choose…', value: '' }, ...answer.owners.map((o) => ({ label: o.name, value: o.id }))]}
          onChange={(v) => setAssignee(String(v ?? ''))}
        />
        <Button testId="bulk-assign" disabled={busy} onClick={() => void start('assign')}>
          Assign
        </Button>
        <Select
          label="Priority"
          name="bulk-priority"
          testId="bulk-priority"
          value={priority}
          options={PRIORITIES.map((p) => ({ label: p, value: p }))}
          onChange={(v) => setPriority(String(v))}
        />
        <Button testId="bulk-set-priority" disabled={busy} onClick={() => void start('priority')}>
          Set priority
        </Button>
        {confirmDelete ? (
          <>
            <Button testId="bulk-delete-confirm" variant="destructive" disabled={busy} onClick={() => void start('delete')}>
              {`Delete ${count} ${count === 1 ? 'task' : 'tasks'} for good`}
            </Button>
            <Button testId="bulk-delete-cancel" onClick={() => setConfirmDelete(false)}>
              Keep them
            </Button>
          </>
        ) : (
          <Button testId="bulk-delete" variant="destructive" disabled={busy} onClick={() => setConfirmDelete(true)}>
            Delete…
          </Button>
        )}
      </Flex>
      {error ? <Text testId="bulk-error">{error}</Text> : null}
    </Flex>
  );
}
