import { useState } from 'react';
import { Button, Flex, Input, Select } from '@hubspot/ui-extensions';
import type { WorkspaceFilters, WorkspaceView } from '../../api/contract';
import { workspaceViewPath, type ObjectWorkspace } from '../../api/endpoints';
import { useBackendCall } from '../../api/useBackend';
import { ConfirmDelete } from '../../shared/ConfirmDelete';

// The views of an object workspace (CS-CUS-1..2, CS-SRV-1, CS-REV-1): pick, save, edit, delete.
// Revenue keeps its views per object: `object` goes with every write.

export type Sort = { property: string; direction: 'ASC' | 'DESC' };

/** The id of "every record", no view. */
export const ALL = '';

/** The view picker: every view the user sees, with the number of customers in each. */
export function ViewPicker({
  views,
  selected,
  allLabel,
  onSelect,
}: {
  views: WorkspaceView[];
  selected: string;
  /** The button of the whole book, without a view ("All customers"). */
  allLabel: string;
  onSelect: (id: string) => void;
}) {
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
        {allLabel}
      </Button>
    </Flex>
  );
}

/** Save the current filters as a view; sharing with everyone is offered to managers only. */
export function SaveView({
  workspace,
  object,
  isManager,
  filters,
  sort,
  onSaved,
}: {
  workspace: ObjectWorkspace;
  object: string | undefined;
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
    const result = await write('POST', `/api/v1/workspace/${workspace}/views`, { name, sharing, query: { filters, sort } }, { object });
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
      {isManager ? <SharingSelect name="view-sharing" value={sharing} onChange={setSharing} /> : null}
      <Button size="sm" testId="save-view" disabled={saving || name.trim() === ''} onClick={() => void save()}>
        {saving ? 'Saving…' : 'Save as view'}
      </Button>
    </Flex>
  );
}

/** Who sees a view: only its creator, or everyone (offered to managers). */
function SharingSelect({
  name,
  value,
  onChange,
}: {
  name: string;
  value: 'private' | 'everyone';
  onChange: (sharing: 'private' | 'everyone') => void;
}) {
  return (
    <Select
      label="Share with"
      name={name}
      value={value}
      options={[
        { label: 'Only me', value: 'private' },
        { label: 'Everyone', value: 'everyone' },
      ]}
      onChange={(v) => onChange(v === 'everyone' ? 'everyone' : 'private')}
    />
  );
}

/** Rename a custom view or change who sees it (sharing with everyone: managers); its filters stay. */
export function EditView({
  workspace,
  object,
  view,
  isManager,
  onSaved,
}: {
  workspace: ObjectWorkspace;
  object: string | undefined;
  view: WorkspaceView;
  isManager: boolean;
  onSaved: () => void;
}) {
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
    const result = await write('PUT', workspaceViewPath(workspace, view.id), { name, sharing, query: view.query }, { object });
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
      {isManager || view.sharing === 'everyone' ? <SharingSelect name="edit-view-sharing" value={sharing} onChange={setSharing} /> : null}
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
export function DeleteView({
  workspace,
  object,
  view,
  onDeleted,
}: {
  workspace: ObjectWorkspace;
  object: string | undefined;
  view: WorkspaceView;
  onDeleted: () => void;
}) {
  const write = useBackendCall();
  return (
    <ConfirmDelete
      label="Delete view"
      title={`Delete "${view.name}"?`}
      body={view.sharing === 'everyone' ? 'Everyone loses this view. This cannot be undone.' : 'This cannot be undone.'}
      testIds={{ open: 'delete-view', alert: 'confirm-delete', confirm: 'confirm-delete-view', error: 'delete-error' }}
      onDelete={async () => {
        const result = await write('DELETE', workspaceViewPath(workspace, view.id), { confirm: true }, { object });
        if (!result.ok) return result.error.message;
        onDeleted();
        return null;
      }}
    />
  );
}
