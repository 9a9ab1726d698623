import { useState } from 'react';
import {
  Accordion,
  Alert,
  Button,
  EmptyState,
  Flex,
  Heading,
  Input,
  Link,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
} from '@hubspot/ui-extensions';
import type { WorkspaceFilters, WorkspaceRecordsResponse, WorkspaceView } from '../../api/contract';
import { customerViewPath } from '../../api/endpoints';
import { useBackend, useBackendCall, usePagedBackend } from '../../api/useBackend';
import { BackendView, LoadMore } from '../../shared/BackendView';
import { formatDate } from '../../shared/health/labels';
import type { WorkspaceTabProps } from '../tabs';
import { CustomerFilters } from './CustomerFilters';
import { CustomerPreview } from './CustomerPreview';
import { DefaultViewsEditor } from './DefaultViewsEditor';

const PAGE_SIZE = 25;
const ALL = '';

type Sort = { property: string; direction: 'ASC' | 'DESC' };

function cell(value: string | number | boolean | null | undefined, type: string): string {
  if (value === null || value === undefined || value === '') return '—';
  if ((type === 'datetime' || type === 'date') && typeof value === 'string') return formatDate(value, type === 'date' ? 'UTC' : undefined);
  return String(value);
}

const hasFilters = (f: WorkspaceFilters) => Boolean(f.createDate || f.lastActivity || f.owner || f.properties?.length);

/** The view picker: every view the user sees, with the number of customers in each. */
function ViewPicker({ views, selected, onSelect }: { views: WorkspaceView[]; selected: string; onSelect: (id: string) => void }) {
  return (
    <Flex gap="extra-small" wrap="wrap">
      {views.map((v) => (
        <Button
          key={v.id}
          size="sm"
          variant={v.id === selected ? 'primary' : 'secondary'}
          testId={`view-${v.id}`}
          onClick={() => onSelect(v.id)}
        >
          {`${v.name} (${v.count})`}
        </Button>
      ))}
      <Button size="sm" variant={selected === ALL ? 'primary' : 'secondary'} testId="view-all" onClick={() => onSelect(ALL)}>
        All customers
      </Button>
    </Flex>
  );
}

/** Save the current filters as a view; sharing with everyone is offered to managers only. */
function SaveView({
  isManager,
  filters,
  sort,
  onSaved,
}: {
  isManager: boolean;
  filters: WorkspaceFilters;
  sort: Sort;
  onSaved: (v: WorkspaceView) => void;
}) {
  const write = useBackendCall();
  const [name, setName] = useState('');
  const [sharing, setSharing] = useState<'private' | 'everyone'>('private');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    const result = await write('POST', '/api/v1/workspace/customers/views', { name, sharing, query: { filters, sort } });
    setSaving(false);
    if (!result.ok) return setError(result.error.message);
    setError(null);
    setName('');
    onSaved(result.data.view);
  };
  return (
    <Flex gap="small" align="end" wrap="wrap">
      <Input
        label="New view name"
        name="view-name"
        value={name}
        onChange={setName}
        error={Boolean(error)}
        validationMessage={error ?? undefined}
      />
      {isManager ? (
        <Select
          label="Share with"
          name="view-sharing"
          value={sharing}
          options={[
            { label: 'Only me', value: 'private' },
            { label: 'Everyone', value: 'everyone' },
          ]}
          onChange={(v) => setSharing(v === 'everyone' ? 'everyone' : 'private')}
        />
      ) : null}
      <Button size="sm" testId="save-view" disabled={saving || name.trim() === ''} onClick={() => void save()}>
        {saving ? 'Saving…' : 'Save as view'}
      </Button>
    </Flex>
  );
}

/** Rename a custom view or change who sees it (sharing with everyone: managers); its filters stay. */
function EditView({ view, isManager, onSaved }: { view: WorkspaceView; isManager: boolean; onSaved: () => void }) {
  const write = useBackendCall();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(view.name);
  const [sharing, setSharing] = useState(view.sharing);
  const [error, setError] = useState<string | null>(null);
  if (!open) {
    return (
      <Button size="sm" variant="secondary" testId="edit-view" onClick={() => setOpen(true)}>
        Edit view
      </Button>
    );
  }
  const save = async () => {
    const result = await write('PUT', customerViewPath(view.id), { name, sharing, query: view.query });
    if (!result.ok) return setError(result.error.message);
    setError(null);
    setOpen(false);
    onSaved();
  };
  return (
    <Flex gap="small" align="end" wrap="wrap">
      <Input
        label="View name"
        name="edit-view-name"
        value={name}
        onChange={setName}
        error={Boolean(error)}
        validationMessage={error ?? undefined}
      />
      {isManager || view.sharing === 'everyone' ? (
        <Select
          label="Share with"
          name="edit-view-sharing"
          value={sharing}
          options={[
            { label: 'Only me', value: 'private' },
            { label: 'Everyone', value: 'everyone' },
          ]}
          onChange={(v) => setSharing(v === 'everyone' ? 'everyone' : 'private')}
        />
      ) : null}
      <Button size="sm" testId="save-edit-view" disabled={name.trim() === ''} onClick={() => void save()}>
        Save
      </Button>
      <Button size="sm" variant="secondary" onClick={() => setOpen(false)}>
        Cancel
      </Button>
    </Flex>
  );
}

/** Deleting a view asks first; nothing is deleted until the user confirms. */
function DeleteView({ view, onDeleted }: { view: WorkspaceView; onDeleted: () => void }) {
  const write = useBackendCall();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!asking) {
    return (
      <Button size="sm" variant="destructive" testId="delete-view" onClick={() => setAsking(true)}>
        Delete view
      </Button>
    );
  }
  const remove = async () => {
    const result = await write('DELETE', customerViewPath(view.id), { confirm: true });
    if (!result.ok) return setError(result.error.message);
    onDeleted();
  };
  return (
    <Alert title={`Delete "${view.name}"?`} variant="warning" testId="confirm-delete">
      <Text>{view.sharing === 'everyone' ? 'Everyone loses this view. This cannot be undone.' : 'This cannot be undone.'}</Text>
      {error ? <Text testId="delete-error">{error}</Text> : null}
      <Flex gap="small">
        <Button size="sm" variant="destructive" testId="confirm-delete-view" onClick={() => void remove()}>
          Delete
        </Button>
        <Button size="sm" variant="secondary" onClick={() => setAsking(false)}>
          Keep it
        </Button>
      </Flex>
    </Alert>
  );
}

function CustomersTable({
  pages,
  sort,
  onSort,
  onOpen,
}: {
  pages: WorkspaceRecordsResponse[];
  sort: Sort;
  onSort: (s: Sort) => void;
  onOpen: (id: string) => void;
}) {
  const first = pages[0]!;
  const rows = pages.flatMap((p) => p.rows);
  return (
    <Table bordered testId="customers-table">
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
        {rows.map((r) => (
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
              <Link href={{ url: r.url, external: true }}>Open in HubSpot</Link>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** CS-CUS-1..3: the user's customers by view, filtered and sorted, a page at a time, with a preview. */
export function CustomersTab({ isManager, params }: WorkspaceTabProps) {
  // The Summary's view cards (CS-SUM-3) open this tab on a view.
  const [viewId, setViewId] = useState(params?.view ?? 'owned-by-me');
  const [filters, setFilters] = useState<WorkspaceFilters>({});
  const [sort, setSort] = useState<Sort>({ property: 'name', direction: 'ASC' });
  const [openId, setOpenId] = useState<string | null>(null);
  const views = useBackend('/api/v1/workspace/customers/views');
  const list = usePagedBackend('/api/v1/workspace/customers', {
    view: viewId === ALL ? undefined : viewId,
    filters: hasFilters(filters) ? JSON.stringify(filters) : undefined,
    sort: sort.property,
    direction: sort.direction,
    limit: PAGE_SIZE,
  });
  const selectedView = views.data?.views.find((v) => v.id === viewId);
  const pickView = (id: string) => {
    setViewId(id);
    const v = views.data?.views.find((x) => x.id === id);
    if (v?.query.sort) setSort({ property: v.query.sort.property, direction: v.query.sort.direction });
  };
  return (
    <Flex direction="column" gap="medium">
      <Heading>Customers</Heading>
      <BackendView state={views} loading="Loading your views" failed="Your views could not be loaded" retryTestId="retry-views">
        {(answer) => (
          <>
            {answer.syncing ? (
              <Alert title="Still loading your portal" variant="info" testId="syncing">
                {`Tiller has copied ${answer.syncing.percent}% of your CRM so far: counts and lists grow until it is done.`}
              </Alert>
            ) : null}
            <ViewPicker views={answer.views} selected={viewId} onSelect={pickView} />
            {isManager ? (
              <Accordion title="Default views" size="small" testId="defaults-accordion">
                <DefaultViewsEditor views={answer.views} onSaved={views.reload} />
              </Accordion>
            ) : null}
          </>
        )}
      </BackendView>
      <CustomerFilters filters={filters} onChange={setFilters} />
      <Flex gap="small" align="end" wrap="wrap">
        <SaveView
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
          <EditView key={selectedView.id} view={selectedView} isManager={isManager} onSaved={views.reload} />
        ) : null}
        {selectedView?.editable ? (
          <DeleteView
            view={selectedView}
            onDeleted={() => {
              views.reload();
              setViewId('owned-by-me');
            }}
          />
        ) : null}
      </Flex>
      {openId ? <CustomerPreview recordId={openId} onClose={() => setOpenId(null)} onChanged={list.state.reload} /> : null}
      <BackendView
        state={list.state}
        loading="Loading customers"
        failed="Customers could not be loaded"
        retryTestId="retry-customers"
        isEmpty={(pages) => pages[0]!.total === 0}
        empty={
          <EmptyState title="No customers here" imageName="customerExperience" testId="customers-empty">
            <Text>No customer matches this view and these filters.</Text>
          </EmptyState>
        }
      >
        {(pages) => (
          <>
            <Text variant="microcopy" testId="customers-count">
              {`${pages.reduce((n, p) => n + p.rows.length, 0)} of ${pages[0]!.total} customers · data as of ${formatDate(pages[0]!.dataAsOf)}`}
            </Text>
            <CustomersTable pages={pages} sort={sort} onSort={setSort} onOpen={setOpenId} />
            <LoadMore list={list} what="customers" testId="more-customers" />
          </>
        )}
      </BackendView>
    </Flex>
  );
}
