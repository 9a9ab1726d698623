import { useState } from 'react';
import { Alert, Button, Flex, Heading, Select, Text } from '@hubspot/ui-extensions';
import type { CustomerSettingsChoices, CustomerSuccessSettingsResponse, CustomersSettings } from '../api/contract';
import { useBackend, useBackendCall } from '../api/useBackend';
import { BackendView } from '../shared/BackendView';
import { formatDate } from '../shared/health/labels';

const NONE = '__none__';

function describe(value: unknown): string {
  if (typeof value !== 'object' || value === null) return 'defaults';
  const v = value as Partial<CustomersSettings>;
  return `${v.objectType ?? '?'}, CSM ${v.csmProperty ?? '?'}, renewal ${v.renewalDateProperty ?? 'none'}`;
}

function CustomersForm({
  saved,
  onSaved,
}: {
  saved: CustomerSuccessSettingsResponse;
  onSaved: (s: CustomerSuccessSettingsResponse) => void;
}) {
  const write = useBackendCall();
  const [draft, setDraft] = useState<CustomersSettings>(saved.customers);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  // Another object's pickers come from the backend; the saved object's came with the settings.
  const other = useBackend(draft.objectType === saved.customers.objectType ? null : '/api/v1/settings/customer-success/choices', {
    objectType: draft.objectType,
  });
  const choices: CustomerSettingsChoices | undefined = draft.objectType === saved.customers.objectType ? saved.choices : other.data;
  const save = async () => {
    setSaving(true);
    const result = await write('PUT', '/api/v1/settings/customer-success', { customers: draft });
    setSaving(false);
    if (!result.ok) {
      setErrors(Object.fromEntries((result.error.fields ?? []).map((f) => [f.field.replace(/^customers\./, ''), f.issue])));
      setMessage({ ok: false, text: result.error.message });
      return;
    }
    setErrors({});
    setMessage({ ok: true, text: 'Saved. Every screen, health run and alert now uses these settings.' });
    onSaved(result.data);
  };
  const fieldError = (name: string) => (errors[name] ? { error: true, validationMessage: errors[name] } : {});
  return (
    <Flex direction="column" gap="small">
      {message ? (
        <Alert title={message.ok ? 'Saved' : 'Not saved'} variant={message.ok ? 'success' : 'danger'} testId="cs-settings-message">
          {message.text}
        </Alert>
      ) : null}
      <Select
        label="Customer object"
        name="cs-object"
        value={draft.objectType}
        options={(saved.choices.objects ?? []).map((o) => ({ label: o.label, value: o.objectType }))}
        onChange={(v) => setDraft({ objectType: String(v), csmProperty: 'hubspot_owner_id', renewalDateProperty: null })}
        {...fieldError('objectType')}
      />
      {!choices && other.status === 'error' ? <Text testId="cs-choices-error">{other.error.message}</Text> : null}
      <Select
        label="CSM property (HubSpot user properties)"
        name="cs-csm"
        value={draft.csmProperty}
        readOnly={!choices}
        options={(choices?.csmProperties ?? []).map((p) => ({ label: p.label, value: p.name }))}
        onChange={(v) => setDraft({ ...draft, csmProperty: String(v) })}
        {...fieldError('csmProperty')}
      />
      <Select
        label="Renewal date property (optional, date properties)"
        name="cs-renewal"
        value={draft.renewalDateProperty ?? NONE}
        readOnly={!choices}
        options={[
          { label: 'None', value: NONE },
          ...(choices?.renewalDateProperties ?? []).map((p) => ({ label: p.label, value: p.name })),
        ]}
        onChange={(v) => setDraft({ ...draft, renewalDateProperty: v === NONE ? null : String(v) })}
        {...fieldError('renewalDateProperty')}
      />
      <Button testId="cs-save" disabled={saving} onClick={() => void save()}>
        {saving ? 'Saving…' : 'Save'}
      </Button>
      {saved.history.length ? (
        <Flex direction="column" gap="extra-small" testId="cs-history">
          <Text format={{ fontWeight: 'demibold' }}>Changes</Text>
          {saved.history.map((h, i) => (
            <Text
              key={`${h.changedAt}-${i}`}
              variant="microcopy"
            >{`${formatDate(h.changedAt)} · user ${h.userId}: ${describe(h.before)} → ${describe(h.after)}`}</Text>
          ))}
        </Flex>
      ) : null}
    </Flex>
  );
}

/** CS-SET-1: which object is a customer, which property holds its CSM, which its renewal date (managers). */
export function CustomerSuccessSettings() {
  const state = useBackend('/api/v1/settings/customer-success');
  const [latest, setLatest] = useState<CustomerSuccessSettingsResponse | null>(null);
  return (
    <Flex direction="column" gap="small">
      <Heading>Customers</Heading>
      <Text>Which records are your customers, and which of their properties names the customer success manager.</Text>
      <BackendView
        state={state}
        loading="Loading the customer settings"
        failed="The customer settings could not be loaded"
        retryTestId="retry-cs-settings"
      >
        {(answer) => {
          const shown = latest ?? answer;
          return <CustomersForm saved={shown} onSaved={setLatest} />;
        }}
      </BackendView>
    </Flex>
  );
}
