import { useState } from 'react';
import { Button, DateInput, Flex, Input, NumberInput, Select, Text } from '@hubspot/ui-extensions';
import type { WorkspaceEditInput, WorkspacePreviewResponse } from '../../api/contract';
import { useBackendCall } from '../../api/useBackend';

type Property = WorkspacePreviewResponse['properties'][number];
type DateValue = { year: number; month: number; date: number };

const NONE = '__none__';
const pad = (n: number) => String(n).padStart(2, '0');
const dayOf = (d: DateValue | null | undefined) => (d ? `${d.year}-${pad(d.month + 1)}-${pad(d.date)}` : null);
const dateValueOf = (raw: string | null | undefined): DateValue | undefined => {
  const m = raw ? /^(\d{4})-(\d{2})-(\d{2})/.exec(raw) : null;
  return m ? { year: Number(m[1]), month: Number(m[2]) - 1, date: Number(m[3]) } : undefined;
};

/** Where an edit goes: the PATCH path of the record in its workspace. */
export type EditPath = `/api/v1/workspace/${'customers' | 'services' | 'revenue'}/records/${string}`;

/** The input for one property, typed by the property: choices, number, day, yes/no or text. */
export function ValueInput({
  property,
  value,
  onChange,
  error,
}: {
  property: Pick<Property, 'name' | 'label' | 'type' | 'fieldType' | 'options'>;
  value: WorkspaceEditInput['value'];
  onChange: (v: WorkspaceEditInput['value']) => void;
  error?: string | undefined;
}) {
  const common = { label: property.label, name: `edit-${property.name}`, error: Boolean(error), validationMessage: error };
  if (property.options?.length && property.fieldType !== 'checkbox') {
    return (
      <Select
        {...common}
        value={value === null || value === '' ? NONE : String(value)}
        options={[{ label: '— None —', value: NONE }, ...property.options]}
        onChange={(v) => onChange(v === NONE || v === undefined ? null : String(v))}
      />
    );
  }
  if (property.type === 'bool') {
    return (
      <Select
        {...common}
        value={value === null || value === '' ? NONE : String(value)}
        options={[
          { label: '— None —', value: NONE },
          { label: 'Yes', value: 'true' },
          { label: 'No', value: 'false' },
        ]}
        onChange={(v) => onChange(v === NONE || v === undefined ? null : v === 'true')}
      />
    );
  }
  if (property.type === 'number') {
    return (
      <NumberInput
        {...common}
        value={typeof value === 'number' ? value : value === null || value === '' ? undefined : Number(value)}
        onChange={(v) => onChange(typeof v === 'number' && Number.isFinite(v) ? v : null)}
      />
    );
  }
  if (property.type === 'date' && property.fieldType === 'date' && !String(value ?? '').includes('T')) {
    return <DateInput {...common} value={dateValueOf(value === null ? null : String(value))} onChange={(d) => onChange(dayOf(d))} />;
  }
  return (
    <Input
      {...common}
      value={value === null ? '' : String(value)}
      description={property.fieldType === 'checkbox' ? 'Options separated by ;' : undefined}
      onChange={(v) => onChange(v)}
    />
  );
}

/**
 * One property of the preview, editable in place (CS-CUS-3): the new value goes to HubSpot and the
 * copy in one call; HubSpot's refusal shows on the field, and nothing changes.
 */
export function PropertyEditor({
  property,
  path,
  onSaved,
}: {
  property: Property;
  path: EditPath;
  onSaved: (preview: WorkspacePreviewResponse) => void;
}) {
  const write = useBackendCall();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState<WorkspaceEditInput['value']>(property.raw ?? null);
  const [error, setError] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  if (!property.editable) return null;
  if (!editing) {
    return (
      <Button
        size="xs"
        variant="transparent"
        testId={`edit-${property.name}`}
        onClick={() => {
          setValue(property.raw ?? null);
          setError(undefined);
          setEditing(true);
        }}
      >
        Edit
      </Button>
    );
  }
  const save = async () => {
    setSaving(true);
    const result = await write('PATCH', path, { property: property.name, value });
    setSaving(false);
    if (!result.ok) {
      // The field's own issue when the backend names one (HubSpot's sentence on a refusal), else the message.
      setError(result.error.fields?.[0]?.issue ?? result.error.message);
      return;
    }
    setEditing(false);
    onSaved(result.data);
  };
  return (
    <Flex direction="column" gap="extra-small" testId={`editor-${property.name}`}>
      <ValueInput property={property} value={value} onChange={setValue} error={error} />
      {error ? <Text variant="microcopy" testId={`edit-error-${property.name}`}>{`Not saved: ${error}`}</Text> : null}
      <Flex gap="extra-small">
        <Button size="xs" testId={`save-${property.name}`} disabled={saving} onClick={() => void save()}>
          {saving ? 'Saving…' : 'Save'}
        </Button>
        <Button size="xs" variant="secondary" onClick={() => setEditing(false)}>
          Cancel
        </Button>
      </Flex>
    </Flex>
  );
}
