import { useState } from 'react';
import { Button, Checkbox, Flex, Input, Text } from '@hubspot/ui-extensions';
import type { ActionsFilters, ActionsSort, ActionsView } from '../../api/contract';
import { actionsViewPath } from '../../api/endpoints';
import { useBackendCall } from '../../api/useBackend';

/**
 * Custom views (CS-ACT-3): save the current filters under a name, private or (managers) shared with
 * everyone; delete the chosen view after an explicit confirmation.
 */
export function SaveViewForm({
  filters,
  sort,
  isManager,
  current,
  onSaved,
  onDeleted,
}: {
  filters: ActionsFilters;
  sort: ActionsSort | undefined;
  isManager: boolean;
  /** The custom view shown now, if any. */
  current: ActionsView | undefined;
  onSaved: (view: ActionsView) => void;
  onDeleted: () => void;
}) {
  const call = useBackendCall();
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async () => {
    if (!name.trim()) {
      setError('Give the view a name.');
      return;
    }
    const result = await call('POST', '/api/v1/actions/views', { name: name.trim(), shared, filters, ...(sort ? { sort } : {}) });
    if (!result.ok) return setError(result.error.message);
    setError(null);
    setName('');
    onSaved(result.data);
  };

  const remove = async () => {
    if (!current) return;
    const result = await call('DELETE', actionsViewPath(current.id), { confirm: true });
    setConfirming(false);
    if (!result.ok) return setError(result.error.message);
    onDeleted();
  };

  return (
    <Flex direction="row" gap="small" align="end" wrap="wrap">
      <Input
        label="Save these filters as a view"
        name="view-name"
        testId="view-name"
        placeholder="View name"
        value={name}
        onChange={setName}
      />
      {isManager ? (
        <Checkbox name="view-shared" testId="view-shared" checked={shared} onChange={setShared}>
          Share with everyone
        </Checkbox>
      ) : null}
      <Button testId="view-save" onClick={() => void save()}>
        Save view
      </Button>
      {current?.editable ? (
        confirming ? (
          <>
            <Button testId="view-delete-confirm" variant="destructive" onClick={() => void remove()}>
              {`Delete "${current.name}" for everyone who sees it`}
            </Button>
            <Button testId="view-delete-cancel" onClick={() => setConfirming(false)}>
              Keep it
            </Button>
          </>
        ) : (
          <Button testId="view-delete" variant="destructive" onClick={() => setConfirming(true)}>
            Delete this view…
          </Button>
        )
      ) : null}
      {error ? <Text testId="view-error">{error}</Text> : null}
    </Flex>
  );
}
