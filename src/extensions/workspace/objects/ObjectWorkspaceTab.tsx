import { useState } from 'react';
import {
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
import type { WorkspaceBoardResponse, WorkspacePipelinesResponse, WorkspaceRow, WorkspaceStage } from '../../api/contract';
import { useBackend, usePagedBackend } from '../../api/useBackend';
import { BackendView, LoadMore } from '../../shared/BackendView';
import { formatDate } from '../../shared/health/labels';
import { RecordPreview } from './RecordPreview';
import { StageMove } from './StageMove';

const PAGE_SIZE = 25;
const ALL = '';

type Sort = { property: string; direction: 'ASC' | 'DESC' };
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

/**
 * The Services and Revenue tabs (CS-SRV-1..3, CS-REV-1): one configuration of the object-workspace
 * core each. Pipeline picker, views with counts, table or board, stage change asking for what the
 * stage requires, preview with inline edit.
 */
export function ObjectWorkspaceTab({ workspace, title }: { workspace: 'services' | 'revenue'; title: string }) {
  const [object, setObject] = useState<string | undefined>(undefined);
  const pipelines = useBackend(`/api/v1/workspace/${workspace}/pipelines`, { object });
  return (
    <Flex direction="column" gap="medium">
      <Heading>{title}</Heading>
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
        {(p) => <Book key={`${p.objectType}`} workspace={workspace} meta={p} object={object} onObject={setObject} />}
      </BackendView>
    </Flex>
  );
}

function Book({
  workspace,
  meta,
  object,
  onObject,
}: {
  workspace: 'services' | 'revenue';
  meta: WorkspacePipelinesResponse;
  object: string | undefined;
  onObject: (o: string) => void;
}) {
  const [pipeline, setPipeline] = useState<string>(meta.defaultPipeline ?? meta.pipelines[0]!.id);
  const [layout, setLayout] = useState<'table' | 'board'>(meta.defaultLayout);
  const [viewId, setViewId] = useState('owned-by-me');
  const [sort, setSort] = useState<Sort>({ property: 'name', direction: 'ASC' });
  const [openId, setOpenId] = useState<string | null>(null);
  const [moving, setMoving] = useState<Moving | null>(null);
  const current = meta.pipelines.find((x) => x.id === pipeline) ?? meta.pipelines[0]!;
  const allStages = meta.pipelines.flatMap((x) => x.stages);
  const views = useBackend(`/api/v1/workspace/${workspace}/views`, { object });
  const query = { view: viewId === ALL ? undefined : viewId, pipeline: current.id, object };
  const list = usePagedBackend(layout === 'table' ? `/api/v1/workspace/${workspace}` : null, {
    ...query,
    sort: sort.property,
    direction: sort.direction,
    limit: PAGE_SIZE,
  });
  const board = useBackend(layout === 'board' ? `/api/v1/workspace/${workspace}/board` : null, query);
  const reload = () => (layout === 'table' ? list.state.reload() : board.reload());
  const what = workspace === 'services' ? 'services' : 'records';
  return (
    <Flex direction="column" gap="small">
      <Flex gap="small" align="end" wrap="wrap">
        {meta.objects.length > 1 ? (
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
      <BackendView state={views} loading="Loading your views" failed="Your views could not be loaded" retryTestId="retry-views">
        {(answer) => (
          <Flex gap="extra-small" wrap="wrap">
            {answer.syncing ? (
              <Alert title="Still loading your portal" variant="info">
                {`Tiller has copied ${answer.syncing.percent}% of your CRM so far: counts and lists grow until it is done.`}
              </Alert>
            ) : null}
            {answer.views.map((v) => (
              <Button
                key={v.id}
                size="sm"
                variant={v.id === viewId ? 'primary' : 'secondary'}
                testId={`view-${v.id}`}
                onClick={() => setViewId(v.id)}
              >
                {`${v.name} (${v.count})`}
              </Button>
            ))}
            <Button size="sm" variant={viewId === ALL ? 'primary' : 'secondary'} testId="view-all" onClick={() => setViewId(ALL)}>
              {`All ${what}`}
            </Button>
          </Flex>
        )}
      </BackendView>
      {moving ? (
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
          pipelines={meta.pipelines}
          onClose={() => setOpenId(null)}
          onChanged={reload}
          onMove={(stageId) => {
            const stage = allStages.find((s) => s.id === stageId);
            if (stage) setMoving({ recordId: openId, name: 'this record', stage });
          }}
        />
      ) : null}
      {layout === 'board' ? (
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
          loading={`Loading ${what}`}
          failed={`The ${what} could not be loaded`}
          retryTestId="retry-list"
          isEmpty={(pages) => pages[0]!.total === 0}
          empty={
            <EmptyState title="Nothing here" imageName="building" testId="list-empty">
              <Text>{`No ${what} match this view in this pipeline.`}</Text>
            </EmptyState>
          }
        >
          {(pages) => (
            <>
              <Text variant="microcopy" testId="list-count">
                {`${pages.reduce((n, pg) => n + pg.rows.length, 0)} of ${pages[0]!.total} ${what} · data as of ${formatDate(pages[0]!.dataAsOf)}`}
              </Text>
              <Table bordered testId="records-table">
                <TableHead>
                  <TableRow>
                    {pages[0]!.columns.map((c) => (
                      <TableHeader
                        key={c.key}
                        sortDirection={sort.property === c.key ? (sort.direction === 'ASC' ? 'ascending' : 'descending') : 'none'}
                        onSortChange={() =>
                          setSort({ property: c.key, direction: sort.property === c.key && sort.direction === 'ASC' ? 'DESC' : 'ASC' })
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
                        {pages[0]!.columns.map((c) => (
                          <TableCell key={c.key}>
                            {c.key === 'name' ? (
                              <Button variant="transparent" size="sm" testId={`open-${r.id}`} onClick={() => setOpenId(r.id)}>
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
          )}
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
