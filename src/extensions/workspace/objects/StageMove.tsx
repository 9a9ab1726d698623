import { useState } from 'react';
import { Alert, Button, Flex, Text } from '@hubspot/ui-extensions';
import type { WorkspaceEditInput, WorkspaceStage } from '../../api/contract';
import { stagePath } from '../../api/endpoints';
import { useBackendCall } from '../../api/useBackend';
import { ValueInput } from './PropertyEditor';

/**
 * A stage change (CS-SRV-2): asks for the properties the target stage requires, then moves the
 * record in one call. HubSpot's or Tiller's refusal shows on the field it names; nothing moves.
 */
export function StageMove({
  workspace,
  object,
  recordId,
  recordName,
  stage,
  onDone,
  onCancel,
}: {
  workspace: 'services' | 'revenue';
  object?: string | undefined;
  recordId: string;
  recordName: string;
  stage: WorkspaceStage;
  onDone: () => void;
  onCancel: () => void;
}) {
  const write = useBackendCall();
  const [values, setValues] = useState<Record<string, WorkspaceEditInput['value']>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const move = async () => {
    setSaving(true);
    const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null && v !== ''));
    const result = await write('POST', stagePath(workspace, recordId, object), {
      stageId: stage.id,
      ...(Object.keys(given).length ? { properties: given } : {}),
    });
    setSaving(false);
    if (!result.ok) {
      const byField: Record<string, string> = {};
      for (const f of result.error.fields ?? [])
        if (f.field.startsWith('properties.')) byField[f.field.slice('properties.'.length)] = f.issue;
      setErrors(byField);
      setMessage(result.error.message);
      return;
    }
    onDone();
  };
  return (
    <Alert title={`Move "${recordName}" to ${stage.label}`} variant="info" testId="stage-move">
      <Flex direction="column" gap="small">
        {stage.requiredProperties.length ? (
          <Text>{`${stage.label} needs ${stage.requiredProperties.map((p) => p.label).join(', ')}.`}</Text>
        ) : null}
        {stage.requiredProperties.map((p) => (
          <ValueInput
            key={p.name}
            property={p}
            value={values[p.name] ?? null}
            onChange={(v) => setValues((x) => ({ ...x, [p.name]: v }))}
            error={errors[p.name]}
          />
        ))}
        {message ? <Text testId="stage-move-error">{message}</Text> : null}
        <Flex gap="small">
          <Button size="sm" testId="confirm-move" disabled={saving} onClick={() => void move()}>
            {saving ? 'Moving…' : 'Move'}
          </Button>
          <Button size="sm" variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
        </Flex>
      </Flex>
    </Alert>
  );
}
