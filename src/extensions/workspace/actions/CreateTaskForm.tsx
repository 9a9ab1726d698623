import { useState } from 'react';
import { Button, DateInput, Flex, Input, Select, Text, TextArea, TimeInput } from '@hubspot/ui-extensions';
import type { CreateTaskRequest } from '../../api/contract';
import { useBackendCall } from '../../api/useBackend';

type Draft = {
  subject: string;
  date: { year: number; month: number; date: number } | null;
  time: { hours: number; minutes: number } | null;
  priority: NonNullable<CreateTaskRequest['priority']>;
  type: string;
  ownerId: string;
  notes: string;
  record: string;
};

const EMPTY: Draft = { subject: '', date: null, time: null, priority: 'NONE', type: 'TODO', ownerId: '', notes: '', record: '' };
const pad = (n: number) => String(n).padStart(2, '0');

/** "contacts:123" → the associated record, or undefined when none was given. */
function parseRecord(value: string): CreateTaskRequest['associatedRecord'] | null | undefined {
  if (!value.trim()) return undefined;
  const m = /^(contacts|companies|deals):(\d+)$/.exec(value.trim());
  return m ? { objectType: m[1] as 'contacts' | 'companies' | 'deals', objectId: m[2]! } : null;
}

/** The Actions tab's task form (CS-ACT-2): due date and time in the user's zone; "create and add another". */
export function CreateTaskForm({ owners, onCreated }: { owners: { id: string; name: string }[]; onCreated: () => void }) {
  const call = useBackendCall();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));

  const submit = async (another: boolean) => {
    if (!draft.subject.trim() || !draft.date) {
      setError('A task needs a title and a due date.');
      return;
    }
    const record = parseRecord(draft.record);
    if (record === null) {
      setError('Write the associated record as contacts:ID, companies:ID or deals:ID.');
      return;
    }
    const body: CreateTaskRequest = {
      subject: draft.subject.trim(),
      dueDate: `${draft.date.year}-${pad(draft.date.month + 1)}-${pad(draft.date.date)}`,
      ...(draft.time ? { dueTime: `${pad(draft.time.hours)}:${pad(draft.time.minutes)}` } : {}),
      priority: draft.priority,
      type: draft.type,
      ...(draft.ownerId ? { ownerId: draft.ownerId } : {}),
      ...(draft.notes.trim() ? { notes: draft.notes } : {}),
      ...(record ? { associatedRecord: record } : {}),
    };
    setBusy(true);
    setError(null);
    const result = await call('POST', '/api/v1/actions/tasks', body);
    setBusy(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    setSaved(`Created "${result.data.task.subject}".`);
    onCreated();
    // "Create and add another" keeps the due date, owner and record; a plain create clears the form.
    setDraft(
      another ? { ...EMPTY, date: draft.date, time: draft.time, ownerId: draft.ownerId, record: draft.record, type: draft.type } : EMPTY,
    );
  };

  return (
    <Flex direction="column" gap="small">
      <Input label="Title" name="subject" testId="task-subject" required value={draft.subject} onChange={(v) => set({ subject: v })} />
      <Flex direction="row" gap="small">
        <DateInput
          label="Due date"
          name="dueDate"
          testId="task-date"
          required
          value={draft.date ?? undefined}
          onChange={(v) => set({ date: v ? { year: v.year, month: v.month, date: v.date } : null })}
        />
        <TimeInput
          label="Time (your time zone)"
          name="dueTime"
          testId="task-time"
          value={draft.time ?? undefined}
          onChange={(v) => set({ time: v ? { hours: v.hours, minutes: v.minutes } : null })}
        />
      </Flex>
      <Flex direction="row" gap="small">
        <Select
          label="Priority"
          name="priority"
          testId="task-priority"
          value={draft.priority}
          options={['NONE', 'LOW', 'MEDIUM', 'HIGH'].map((p) => ({
            label: p === 'NONE' ? 'None' : p.charAt(0) + p.slice(1).toLowerCase(),
            value: p,
          }))}
          onChange={(v) => set({ priority: String(v) as Draft['priority'] })}
        />
        <Select
          label="Type"
          name="type"
          testId="task-type"
          value={draft.type}
          options={[
            { label: 'To-do', value: 'TODO' },
            { label: 'Call', value: 'CALL' },
            { label: 'Email', value: 'EMAIL' },
          ]}
          onChange={(v) => set({ type: String(v) })}
        />
        <Select
          label="Assigned to"
          name="owner"
          testId="task-owner"
          value={draft.ownerId}
          options={[{ label: 'Me', value: '' }, ...owners.map((o) => ({ label: o.name, value: o.id }))]}
          onChange={(v) => set({ ownerId: String(v ?? '') })}
        />
      </Flex>
      <Input
        label="Associated record (optional)"
        name="record"
        testId="task-record"
        placeholder="contacts:123"
        value={draft.record}
        onChange={(v) => set({ record: v })}
      />
      <TextArea label="Notes (optional)" name="notes" testId="task-notes" value={draft.notes} onChange={(v) => set({ notes: v })} />
      {error ? <Text testId="task-error">{error}</Text> : null}
      {saved ? <Text testId="task-saved">{saved}</Text> : null}
      <Flex direction="row" gap="small">
        <Button testId="task-create" variant="primary" disabled={busy} onClick={() => void submit(false)}>
          Create
        </Button>
        <Button testId="task-create-another" disabled={busy} onClick={() => void submit(true)}>
          Create and add another
        </Button>
      </Flex>
    </Flex>
  );
}
