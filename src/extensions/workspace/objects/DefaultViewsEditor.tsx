import { useState } from 'react';
import { Alert, Button, Flex, Input, Select, Text } from '@hubspot/ui-extensions';
import type { WorkspaceView } from '../../api/contract';
import type { ObjectWorkspace } from '../../api/endpoints';
import { useBackendCall } from '../../api/useBackend';

const MAX_DEFAULTS = 6;

type Entry = { viewId: string; description: string };

/**
 * Managers: which views are everyone's defaults, in order, with a description; at most six. The
 * Customers defaults are the Summary's view cards (CS-SUM-3); Revenue keeps defaults per object.
 */
export function DefaultViewsEditor({
  workspace,
  object,
  views,
  onSaved,
}: {
  workspace: ObjectWorkspace;
  object?: string | undefined;
  views: WorkspaceView[];
  onSaved: () => void;
}) {
  const write = useBackendCall();
  const initial = views
    .filter((v) => v.default)
    .sort((a, b) => a.default!.position - b.default!.position)
    .map((v) => ({ viewId: v.id, description: v.default!.description }));
  const [entries, setEntries] = useState<Entry[]>(initial);
  const [adding, setAdding] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const nameOf = (id: string) => views.find((v) => v.id === id)?.name ?? id;
  const eligible = views.filter((v) => (v.kind === 'builtin' || v.sharing === 'everyone') && !entries.some((e) => e.viewId === v.id));
  const move = (i: number, by: number) => {
    const next = [...entries];
    const [item] = next.splice(i, 1);
    next.splice(i + by, 0, item!);
    setEntries(next);
  };
  const save = async () => {
    const result = await write('PUT', `/api/v1/workspace/${workspace}/defaults`, { defaults: entries }, { object });
    if (!result.ok) {
      const detail = result.error.fields?.map((f) => f.issue).join('; ');
      return setMessage({ ok: false, text: detail ? `${result.error.message} ${detail}` : result.error.message });
    }
    setMessage({ ok: true, text: 'Everyone’s default views are saved.' });
    onSaved();
  };
  return (
    <Flex direction="column" gap="small" testId="default-views">
      <Text format={{ fontWeight: 'demibold' }}>
        {workspace === 'customers'
          ? 'Default views (shown on everyone’s Summary, at most six)'
          : 'Default views for everyone (at most six)'}
      </Text>
      {message ? (
        <Alert title={message.ok ? 'Saved' : 'Not saved'} variant={message.ok ? 'success' : 'danger'} testId="defaults-message">
          {message.text}
        </Alert>
      ) : null}
      {entries.map((e, i) => (
        <Flex key={e.viewId} gap="small" align="end" wrap="wrap">
          <Text>{`${i + 1}. ${nameOf(e.viewId)}`}</Text>
          <Input
            label="Description"
            name={`default-description-${e.viewId}`}
            value={e.description}
            onChange={(d) => setEntries(entries.map((x, j) => (j === i ? { ...x, description: d } : x)))}
          />
          <Button size="sm" variant="secondary" disabled={i === 0} onClick={() => move(i, -1)} testId={`default-up-${e.viewId}`}>
            Up
          </Button>
          <Button size="sm" variant="secondary" disabled={i === entries.length - 1} onClick={() => move(i, 1)}>
            Down
          </Button>
          <Button
            size="sm"
            variant="secondary"
            onClick={() => setEntries(entries.filter((_, j) => j !== i))}
            testId={`default-remove-${e.viewId}`}
          >
            Remove
          </Button>
        </Flex>
      ))}
      {entries.length < MAX_DEFAULTS && eligible.length ? (
        <Flex gap="small" align="end">
          <Select
            label="Add a view"
            name="default-add"
            value={adding}
            options={eligible.map((v) => ({ label: v.name, value: v.id }))}
            onChange={(v) => setAdding(String(v))}
          />
          <Button
            size="sm"
            disabled={!adding}
            testId="default-add"
            onClick={() => {
              setEntries([...entries, { viewId: adding, description: '' }]);
              setAdding('');
            }}
          >
            Add
          </Button>
        </Flex>
      ) : null}
      <Button size="sm" testId="save-defaults" disabled={entries.some((e) => e.description.trim() === '')} onClick={() => void save()}>
        Save default views
      </Button>
    </Flex>
  );
}
