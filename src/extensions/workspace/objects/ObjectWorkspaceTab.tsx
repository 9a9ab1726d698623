import { useState } from 'react';
import {
  Accordion,
  Alert,
  Button,
  EmptyState,
  Flex,
  Heading,
  Link,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
  Tile,
} from '@hubspot/ui-extensions';
import type {
  WorkspaceBoardResponse,
  WorkspaceFilters,
  WorkspacePipelinesResponse,
  WorkspaceRecordsResponse,
  WorkspaceRow,
  WorkspaceStage,
} from '../../api/contract';
import type { ObjectWorkspace } from '../../api/endpoints';
import { useBackend, usePagedBackend, type PagedBackendState } from '../../api/useBackend';
import { BackendView, LoadMore } from '../../shared/BackendView';
import { formatDate } from '../../shared/health/labels';
import type { WorkspaceTabProps } from '../tabs';
import { DefaultViewsEditor } from './DefaultViewsEditor';
import { RecordFilters, hasFilters } from './RecordFilters';
import { RecordPreview } from './RecordPreview';
import { StageMove } from './StageMove';
import { ALL, DeleteView, EditView, SaveView, ViewPicker, type Sort } from './ViewControls';

const PAGE_SIZE = 25;

/** What differs between the three tabs on this one core: words, and whether the object has pipelines. */
const TABS: Record<
  ObjectWorkspace,
  { title: string; what: string; pipelines: boolean; ownerLabel: string; emptyTitle: string; emptyText: string; failed: string }
> = {
  customers: {
    title: 'Customers',
    what: 'customers',
    pipelines: false,
    ownerLabel: 'CSM',
    emptyTitle: 'No customers here',
    emptyText: 'No customer matches this view and these filters.',
    failed: 'Customers could not be loaded',
  },
  services: {
    title: 'Services',
    what: 'services',
    pipelines: true,
    ownerLabel: 'Owner',
    emptyTitle: 'Nothing here',
    emptyText: 'No services match this view and these filters in this pipeline.',
    failed: 'The services could not be loaded',
  },
  revenue: {
    title: 'Revenue',
    what: 'records',
    pipelines: true,
    ownerLabel: 'Owner',
    emptyTitle: 'Nothing here',
    emptyText: 'No records match this view and these filters in this pipeline.',
    failed: 'The records could not be loaded',
  },
};

type Moving = { recordId: string; name: string; stage: WorkspaceStage };

const money = (n: number | null | undefined) =>
  n === null || n === undefined ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: 2 });

function cell(value: string | number | boolean | null | undefined, type: string): string {
  if (value === null || value === undefined || value === '') return '—';
  if ((type === 'datetime' || type === 'date') && typeof value === 'string') return formatDate(value, type === 'date' ? 'UTC' : undefined);
  if (type === 'number' && typeof value === 'number') return money(value);
  return String(value);
}

/** A card of the board: the record, its owner and amount, a "move to" stage picker. */
function Card({
  row,
  stages,
  onOpen,
  onMove,
}: {
  row: WorkspaceRow;
  stages: WorkspaceStage[];
  onOpen: () => void;
  onMove: (s: WorkspaceStage) => void;
}) {
  return (
    <Tile compact testId={`card-${row.id}`}>
      <Button variant="transparent" size="sm" testId={`open-${row.id}`} onClick={onOpen}>
        {row.name}
      </Button>
      <Text variant="microcopy">
        {[row.owner?.name, row.values.amount !== undefined ? money(row.values.amount as number | null) : null]
          .filter(Boolean)
          .join(' · ') || ' '}
      </Text>
      <Select
        label="Move to"
        name={`move-${row.id}`}
        value={row.stage?.stageId ?? undefined}
        options={stages.map((s) => ({ label: s.label, value: s.id }))}
        onChange={(v) => {
          const s = stages.find((x) => x.id === v);
          if (s && s.id !== row.stage?.stageId) onMove(s);
        }}
      />
    </Tile>
  );
}

function Board({
  board,
  stages,
  onOpen,
  onMove,
}: {
  board: WorkspaceBoardResponse;
  stages: WorkspaceStage[];
  onOpen: (id: string) => void;
  onMove: (row: WorkspaceRow, s: WorkspaceStage) => void;
}) {
  return (
    <Flex gap="small" testId="board">
      {board.columns.map((c) => (
        <Flex key={c.stage.id} direction="column" gap="extra-small" testId={`column-${c.stage.id}`}>
          <Text format={{ fontWeight: 'demibold' }}>{`${c.stage.label} (${c.total})`}</Text>
          {c.amount !== null ? <Text variant="microcopy">{`Total ${money(c.amount)}`}</Text> : null}
          {c.rows.map((r) => (
            <Card key={r.id} row={r} stages={stages} onOpen={() => onOpen(r.id)} onMove={(s) => onMove(r, s)} />
          ))}
          {c.total > c.rows.length ? <Text variant="microcopy">{`${c.total - c.rows.length} more in the table`}</Text> : null}
        </Flex>
      ))}
    </Flex>
  );
}

/** CS-REV-1 "ARR at risk": the user's renewals by month and health category of their customers. */
function ArrAtRisk({ object }: { object?: string | undefined }) {
  const state = useBackend('/api/v1/workspace/revenue/arr-at-risk', { months: 6, object });
  return (
    <BackendView state={state} loading="Loading ARR at risk" failed="ARR at risk could not be loaded" retryTestId="retry-arr">
      {(a) =>
        a.renewalDateProperty === null ? (
          <Text testId="arr-no-renewal">No renewal date property is set for this object: a manager sets one in the settings.</Text>
        ) : (
          <Table bordered testId="arr-table">
            <TableHead>
              <TableRow>
                {['Month', 'At risk', 'Neutral', 'Good', 'Not scored', 'Total'].map((h) => (
                  <TableHeader key={h}>{h}</TableHeader>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {a.months.map((m) => (
                <TableRow key={m.month}>
                  <TableCell>{m.month}</TableCell>
                  {(['AT_RISK', 'NEUTRAL', 'GOOD', 'UNSCORED'] as const).map((c) => (
                    <TableCell key={c}>{`${money(m.byCategory[c].amount)} (${m.byCategory[c].count})`}</TableCell>
                  ))}
                  <TableCell>{`${money(m.total.amount)} (${m.total.count})`}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )
      }
    </BackendView>
  );
}

/** The list: one column per field of the answer, sortable by its header; a record's name opens its preview. */
function RecordsTable({
  list,
  what,
  sort,
  onSort,
  onOpen,
}: {
  list: PagedBackendState<WorkspaceRecordsResponse>;
  what: string;
  sort: Sort;
  onSort: (s: Sort) => void;
  onOpen: (id: string) => void;
}) {
  const pages = list.state.data ?? [];
  const first = pages[0]!;
  return (
    <>
      <Text variant="microcopy" testId="list-count">
        {`${pages.reduce((n, pg) => n + pg.rows.length, 0)} of ${first.total} ${what} · data as of ${formatDate(first.dataAsOf)}`}
      </Text>
      <Table bordered testId="records-table">
        <TableHead>
          <TableRow>
            {first.columns.map((c) => (
              <TableHeader
                key={c.key}
                sortDirection={sort.property === c.key ? (sort.direction === 'ASC' ? 'ascending' : 'descending') : 'none'}
                onSortChange={() =>
                  onSort({ property: c.key, direction: sort.property === c.key && sort.direction === 'ASC' ? 'DESC' : 'ASC' })
                }
              >
                {c.label}
              </TableHeader>
            ))}
            <TableHeader> </TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {pages
            .flatMap((pg) => pg.rows)
            .map((r) => (
              <TableRow key={r.id}>
                {first.columns.map((c) => (
                  <TableCell key={c.key}>
                    {c.key === 'name' ? (
                      <Button variant="transparent" size="sm" testId={`open-${r.id}`} onClick={() => onOpen(r.id)}>
                        {r.name}
                      </Button>
                    ) : (
                      cell(r.values[c.key], c.type)
                    )}
                  </TableCell>
                ))}
                <TableCell>
                  <Link href={{ url: r.url, external: true }}>{`${r.name} in HubSpot`}</Link>
                </TableCell>
              </TableRow>
            ))}
        </TableBody>
      </Table>
      <LoadMore list={list} what={what} testId="more-records" />
    </>
  );
}

/**
 * The Customers, Services and Revenue tabs (CS-CUS-1..3, CS-SRV-1..3, CS-REV-1): one core over the
 * object the settings name for each. Views with counts (built-in and custom, saved, shared,
 * defaults, deleted after a confirmation), filters, sort, paging and the record preview with
 * inline edit everywhere; where the object has pipelines, the pipeline picker, table or board and
 * the stage change asking for what the stage requires; a customer's health in its preview;
 * Revenue's amounts and "ARR at risk".
 */
export function ObjectWorkspaceTab({ workspace, isManager, params }: WorkspaceTabProps & { workspace: ObjectWorkspace }) {
  const tab = TABS[workspace];
  return (
    <Flex direction="column" gap="medium">
      <Heading>{tab.title}</Heading>
      {tab.pipelines ? (
        <WithPipelines workspace={workspace as 'services' | 'revenue'} isManager={isManager} initialView={params?.view} />
      ) : (
        <Book workspace={workspace} meta={null} object={undefined} isManager={isManager} initialView={params?.view} />
      )}
    </Flex>
  );
}

/** Services and Revenue: the pipelines first (their picker, the default layout), then the book. */
function WithPipelines({
  workspace,
  isManager,
  initialView,
}: {
  workspace: 'services' | 'revenue';
  isManager: boolean;
  initialView: string | undefined;
}) {
  const [object, setObject] = useState<string | undefined>(undefined);
  const pipelines = useBackend(`/api/v1/workspace/${workspace}/pipelines`, { object });
  return (
    <BackendView
      state={pipelines}
      loading="Loading the pipelines"
      failed="The pipelines could not be loaded"
      retryTestId="retry-pipelines"
      isEmpty={(p) => p.pipelines.length === 0}
      empty={
        <EmptyState title="No pipeline to show" imageName="building" testId="no-pipelines">
          <Text>This object has no visible pipeline yet. A manager chooses its object and pipelines in the settings.</Text>
        </EmptyState>
      }
    >
      {(p) => (
        <Book
          key={p.objectType}
          workspace={workspace}
          meta={p}
          object={object}
          onObject={setObject}
          isManager={isManager}
          initialView={initialView}
        />
      )}
    </BackendView>
  );
}

function Book({
  workspace,
  meta,
  object,
  onObject,
  isManager,
  initialView,
}: {
  workspace: ObjectWorkspace;
  /** The object's pipelines; null for an object without (Customers). */
  meta: WorkspacePipelinesResponse | null;
  object: string | undefined;
  onObject?: (o: string) => void;
  isManager: boolean;
  initialView: string | undefined;
}) {
  const tab = TABS[workspace];
  const [pipeline, setPipeline] = useState<string | undefined>(meta ? (meta.defaultPipeline ?? meta.pipelines[0]!.id) : undefined);
  const [layout, setLayout] = useState<'table' | 'board'>(meta?.defaultLayout ?? 'table');
  // The Summary's view cards (CS-SUM-3) open Customers on a view.
  const [viewId, setViewId] = useState(initialView ?? 'owned-by-me');
  const [filters, setFilters] = useState<WorkspaceFilters>({});
  const [sort, setSort] = useState<Sort>({ property: 'name', direction: 'ASC' });
  const [openId, setOpenId] = useState<string | null>(null);
  const [moving, setMoving] = useState<Moving | null>(null);
  const current = meta ? (meta.pipelines.find((x) => x.id === pipeline) ?? meta.pipelines[0]!) : null;
  const allStages = meta ? meta.pipelines.flatMap((x) => x.stages) : [];
  const views = useBackend(`/api/v1/workspace/${workspace}/views`, { object });
  const query = {
    view: viewId === ALL ? undefined : viewId,
    filters: hasFilters(filters) ? JSON.stringify(filters) : undefined,
    pipeline: current?.id,
    object,
  };
  const list = usePagedBackend(layout === 'table' ? `/api/v1/workspace/${workspace}` : null, {
    ...query,
    sort: sort.property,
    direction: sort.direction,
    limit: PAGE_SIZE,
  });
  const board = useBackend(layout === 'board' && workspace !== 'customers' ? `/api/v1/workspace/${workspace}/board` : null, query);
  const reload = () => (layout === 'table' ? list.state.reload() : board.reload());
  const selectedView = views.data?.views.find((v) => v.id === viewId);
  const pickView = (id: string) => {
    setViewId(id);
    const v = views.data?.views.find((x) => x.id === id);
    if (v?.query.sort) setSort({ property: v.query.sort.property, direction: v.query.sort.direction });
  };
  return (
    <Flex direction="column" gap="small">
      {meta && current ? (
        <Flex gap="small" align="end" wrap="wrap">
          {meta.objects.length > 1 && onObject ? (
            <Select
              label="Object"
              name="object"
              value={object ?? meta.objectType}
              options={meta.objects.map((o) => ({ label: o.label, value: o.objectType }))}
              onChange={(v) => onObject(String(v))}
            />
          ) : null}
          <Select
            label="Pipeline"
            name="pipeline"
            value={current.id}
            options={meta.pipelines.map((x) => ({ label: x.label, value: x.id }))}
            onChange={(v) => setPipeline(String(v))}
          />
          <Button size="sm" variant={layout === 'table' ? 'primary' : 'secondary'} testId="layout-table" onClick={() => setLayout('table')}>
            Table
          </Button>
          <Button size="sm" variant={layout === 'board' ? 'primary' : 'secondary'} testId="layout-board" onClick={() => setLayout('board')}>
            Board
          </Button>
        </Flex>
      ) : null}
      <BackendView state={views} loading="Loading your views" failed="Your views could not be loaded" retryTestId="retry-views">
        {(answer) => (
          <>
            {answer.syncing ? (
              <Alert title="Still loading your portal" variant="info" testId="syncing">
                {`Tiller has copied ${answer.syncing.percent}% of your CRM so far: counts and lists grow until it is done.`}
              </Alert>
            ) : null}
            <ViewPicker views={answer.views} selected={viewId} allLabel={`All ${tab.what}`} onSelect={pickView} />
            {isManager ? (
              <Accordion title="Default views" size="small" testId="defaults-accordion">
                <DefaultViewsEditor workspace={workspace} object={object} views={answer.views} onSaved={views.reload} />
              </Accordion>
            ) : null}
          </>
        )}
      </BackendView>
      <RecordFilters workspace={workspace} object={object} ownerLabel={tab.ownerLabel} filters={filters} onChange={setFilters} />
      <Flex gap="small" align="end" wrap="wrap">
        <SaveView
          workspace={workspace}
          object={object}
          isManager={isManager}
          filters={filters}
          sort={sort}
          onSaved={(v) => {
            views.reload();
            setFilters({});
            setViewId(v.id);
          }}
        />
        {selectedView?.editable ? (
          <EditView
            key={selectedView.id}
            workspace={workspace}
            object={object}
            view={selectedView}
            isManager={isManager}
            onSaved={views.reload}
          />
        ) : null}
        {selectedView?.editable ? (
          <DeleteView
            workspace={workspace}
            object={object}
            view={selectedView}
            onDeleted={() => {
              views.reload();
              setViewId('owned-by-me');
            }}
          />
        ) : null}
      </Flex>
      {moving && workspace !== 'customers' ? (
        <StageMove
          workspace={workspace}
          object={object}
          recordId={moving.recordId}
          recordName={moving.name}
          stage={moving.stage}
          onCancel={() => setMoving(null)}
          onDone={() => {
            setMoving(null);
            reload();
          }}
        />
      ) : null}
      {openId ? (
        <RecordPreview
          key={openId}
          workspace={workspace}
          recordId={openId}
          object={object}
          pipelines={meta?.pipelines ?? []}
          onClose={() => setOpenId(null)}
          onChanged={reload}
          onMove={(stageId) => {
            const stage = allStages.find((s) => s.id === stageId);
            if (stage) setMoving({ recordId: openId, name: 'this record', stage });
          }}
        />
      ) : null}
      {layout === 'board' && current ? (
        <BackendView state={board} loading="Loading the board" failed="The board could not be loaded" retryTestId="retry-board">
          {(b) => (
            <Board
              board={b}
              stages={current.stages}
              onOpen={setOpenId}
              onMove={(row, stage) => setMoving({ recordId: row.id, name: row.name, stage })}
            />
          )}
        </BackendView>
      ) : (
        <BackendView
          state={list.state}
          loading={`Loading ${tab.what}`}
          failed={tab.failed}
          retryTestId="retry-list"
          isEmpty={(pages) => pages[0]!.total === 0}
          empty={
            <EmptyState title={tab.emptyTitle} imageName={meta ? 'building' : 'customerExperience'} testId="list-empty">
              <Text>{tab.emptyText}</Text>
            </EmptyState>
          }
        >
          {() => <RecordsTable list={list} what={tab.what} sort={sort} onSort={setSort} onOpen={setOpenId} />}
        </BackendView>
      )}
      {workspace === 'revenue' ? (
        <>
          <Heading>ARR at risk</Heading>
          <ArrAtRisk object={object} />
        </>
      ) : null}
    </Flex>
  );
}
