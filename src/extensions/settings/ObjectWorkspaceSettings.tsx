import { useState } from 'react';
import { Alert, Button, Checkbox, Flex, Heading, Input, Select, Text } from '@hubspot/ui-extensions';
import type {
  PipelineObjectChoices,
  RevenueObjectSettings,
  RevenueSettingsResponse,
  ServicesSettingsResponse,
  SettingsChange,
} from '../api/contract';
import { useBackend, useBackendCall } from '../api/useBackend';
import { BackendView } from '../shared/BackendView';
import { formatDate } from '../shared/health/labels';

// CS-SET-2 (services) and CS-SET-3 (revenue): one form per object — CSM, renewal date, amount
// (revenue), visible pipelines, default pipeline and layout, and what each stage requires.

const NONE = '__none__';
type Draft = RevenueObjectSettings;
type Errors = Record<string, string>;

function History({ history, testId }: { history: SettingsChange[]; testId: string }) {
  if (!history.length) return null;
  return (
    <Flex direction="column" gap="extra-small" testId={testId}>
      <Text format={{ fontWeight: 'demibold' }}>Changes</Text>
      {history.map((h, i) => (
        <Text key={`${h.changedAt}-${i}`} variant="microcopy">{`${formatDate(h.changedAt)} · user ${h.userId}`}</Text>
      ))}
    </Flex>
  );
}

/** One Services or Revenue object: every choice, with the field errors the backend names (`prefix` + field). */
function ObjectForm({
  draft,
  onChange,
  objects,
  savedChoices,
  errors,
  prefix,
  withAmount,
}: {
  draft: Draft;
  onChange: (d: Draft) => void;
  objects: { objectType: string; label: string }[];
  savedChoices: PipelineObjectChoices | undefined;
  errors: Errors;
  prefix: string;
  withAmount: boolean;
}) {
  const other = useBackend(savedChoices?.objectType === draft.objectType ? null : '/api/v1/settings/customer-success/object-choices', {
    objectType: draft.objectType,
  });
  const choices = savedChoices?.objectType === draft.objectType ? savedChoices : other.data;
  const err = (f: string) => (errors[`${prefix}${f}`] ? { error: true, validationMessage: errors[`${prefix}${f}`] } : {});
  const visible = draft.visiblePipelines ?? choices?.pipelines.map((p) => p.id) ?? [];
  const shownPipelines = (choices?.pipelines ?? []).filter((p) => visible.includes(p.id));
  const opts = (list: PipelineObjectChoices['csmProperties'] | undefined) => (list ?? []).map((p) => ({ label: p.label, value: p.name }));
  return (
    <Flex direction="column" gap="small">
      <Select
        label="Object"
        name={`${prefix}object`}
        value={draft.objectType}
        options={objects.map((o) => ({ label: o.label, value: o.objectType }))}
        onChange={(v) =>
          onChange({
            ...draft,
            objectType: String(v),
            csmProperty: 'hubspot_owner_id',
            renewalDateProperty: null,
            amountProperty: null,
            visiblePipelines: null,
            defaultPipeline: null,
            stageRequirements: {},
          })
        }
        {...err('objectType')}
      />
      {!choices && other.status === 'error' ? <Text>{other.error.message}</Text> : null}
      <Select
        label="CSM property"
        name={`${prefix}csm`}
        value={draft.csmProperty}
        readOnly={!choices}
        options={opts(choices?.csmProperties)}
        onChange={(v) => onChange({ ...draft, csmProperty: String(v) })}
        {...err('csmProperty')}
      />
      <Select
        label="Renewal date property (optional)"
        name={`${prefix}renewal`}
        value={draft.renewalDateProperty ?? NONE}
        readOnly={!choices}
        options={[{ label: 'None', value: NONE }, ...opts(choices?.renewalDateProperties)]}
        onChange={(v) => onChange({ ...draft, renewalDateProperty: v === NONE ? null : String(v) })}
        {...err('renewalDateProperty')}
      />
      {withAmount ? (
        <Select
          label="Amount property (optional)"
          name={`${prefix}amount`}
          value={draft.amountProperty ?? NONE}
          readOnly={!choices}
          options={[{ label: 'None', value: NONE }, ...opts(choices?.amountProperties)]}
          onChange={(v) => onChange({ ...draft, amountProperty: v === NONE ? null : String(v) })}
          {...err('amountProperty')}
        />
      ) : null}
      <Text format={{ fontWeight: 'demibold' }}>Visible pipelines</Text>
      {(choices?.pipelines ?? []).map((p, i) => (
        <Checkbox
          key={p.id}
          name={`${prefix}pipeline-${p.id}`}
          checked={visible.includes(p.id)}
          onChange={(on) => onChange({ ...draft, visiblePipelines: on ? [...visible, p.id] : visible.filter((x) => x !== p.id) })}
          {...(errors[`${prefix}visiblePipelines.${i}`] ? { description: errors[`${prefix}visiblePipelines.${i}`] } : {})}
        >
          {p.label}
        </Checkbox>
      ))}
      {errors[`${prefix}visiblePipelines`] ? <Text>{errors[`${prefix}visiblePipelines`]}</Text> : null}
      <Select
        label="Default pipeline"
        name={`${prefix}default-pipeline`}
        value={draft.defaultPipeline ?? NONE}
        options={[{ label: 'The first one', value: NONE }, ...shownPipelines.map((p) => ({ label: p.label, value: p.id }))]}
        onChange={(v) => onChange({ ...draft, defaultPipeline: v === NONE ? null : String(v) })}
        {...err('defaultPipeline')}
      />
      <Select
        label="Default layout"
        name={`${prefix}layout`}
        value={draft.defaultLayout}
        options={[
          { label: 'Table', value: 'table' },
          { label: 'Board', value: 'board' },
        ]}
        onChange={(v) => onChange({ ...draft, defaultLayout: v === 'board' ? 'board' : 'table' })}
      />
      <Text format={{ fontWeight: 'demibold' }}>Properties each stage requires (internal names, separated by commas)</Text>
      {shownPipelines.flatMap((p) =>
        p.stages.map((s) => {
          const first = Object.keys(errors).find((k) => k.startsWith(`${prefix}stageRequirements.${s.id}`));
          return (
            <Input
              key={`${p.id}-${s.id}`}
              label={`${p.label}: ${s.label}`}
              name={`${prefix}req-${s.id}`}
              value={(draft.stageRequirements[s.id] ?? []).join(', ')}
              onChange={(v) => {
                const names = v
                  .split(',')
                  .map((x) => x.trim())
                  .filter(Boolean);
                const next = { ...draft.stageRequirements };
                if (names.length) next[s.id] = names;
                else delete next[s.id];
                onChange({ ...draft, stageRequirements: next });
              }}
              {...(first ? { error: true, validationMessage: errors[first] } : {})}
            />
          );
        }),
      )}
    </Flex>
  );
}

function useSave<T>(
  save: () => Promise<{ ok: true; data: T } | { ok: false; error: { message: string; fields?: { field: string; issue: string }[] } }>,
) {
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const run = async (onSaved: (t: T) => void) => {
    setSaving(true);
    const result = await save();
    setSaving(false);
    if (!result.ok) {
      setErrors(Object.fromEntries((result.error.fields ?? []).map((f) => [f.field, f.issue])));
      setMessage({ ok: false, text: result.error.message });
      return;
    }
    setErrors({});
    setMessage({ ok: true, text: 'Saved. The workspace uses these settings from now on.' });
    onSaved(result.data);
  };
  return { errors, message, saving, run };
}

function Message({ message, testId }: { message: { ok: boolean; text: string } | null; testId: string }) {
  return message ? (
    <Alert title={message.ok ? 'Saved' : 'Not saved'} variant={message.ok ? 'success' : 'danger'} testId={testId}>
      {message.text}
    </Alert>
  ) : null;
}

function ServicesForm({ saved, onSaved }: { saved: ServicesSettingsResponse; onSaved: (s: ServicesSettingsResponse) => void }) {
  const write = useBackendCall();
  const [draft, setDraft] = useState<Draft>({ ...saved.services, amountProperty: null });
  const { errors, message, saving, run } = useSave(() => {
    const { amountProperty: _a, ...services } = draft;
    return write('PUT', '/api/v1/settings/customer-success/services', { services });
  });
  return (
    <Flex direction="column" gap="small">
      <Message message={message} testId="services-settings-message" />
      <ObjectForm
        draft={draft}
        onChange={setDraft}
        objects={saved.objects}
        savedChoices={saved.choices}
        errors={errors}
        prefix="services."
        withAmount={false}
      />
      <Button testId="services-save" disabled={saving} onClick={() => void run(onSaved)}>
        {saving ? 'Saving…' : 'Save services settings'}
      </Button>
      <History history={saved.history} testId="services-history" />
    </Flex>
  );
}

function RevenueForm({ saved, onSaved }: { saved: RevenueSettingsResponse; onSaved: (s: RevenueSettingsResponse) => void }) {
  const write = useBackendCall();
  const [objects, setObjects] = useState<Draft[]>(saved.revenue.objects);
  const { errors, message, saving, run } = useSave(() =>
    write('PUT', '/api/v1/settings/customer-success/revenue', { revenue: { objects } }),
  );
  const blank: Draft = {
    ...saved.revenue.objects[0]!,
    objectType: saved.objects.find((o) => !objects.some((x) => x.objectType === o.objectType))?.objectType ?? 'deals',
    renewalDateProperty: null,
    amountProperty: null,
    visiblePipelines: null,
    defaultPipeline: null,
    stageRequirements: {},
  };
  return (
    <Flex direction="column" gap="small">
      <Message message={message} testId="revenue-settings-message" />
      {errors['revenue.objects'] ? <Text>{errors['revenue.objects']}</Text> : null}
      {objects.map((o, i) => (
        <Flex key={i} direction="column" gap="small" testId={`revenue-object-${i}`}>
          <Flex justify="between" align="center">
            <Text format={{ fontWeight: 'demibold' }}>{i === 0 ? 'Shown first' : 'Shown second'}</Text>
            <Flex gap="extra-small">
              {i > 0 ? (
                <Button
                  size="xs"
                  variant="secondary"
                  testId={`revenue-first-${i}`}
                  onClick={() => setObjects([o, ...objects.filter((_, j) => j !== i)])}
                >
                  Show first
                </Button>
              ) : null}
              {objects.length > 1 ? (
                <Button size="xs" variant="secondary" onClick={() => setObjects(objects.filter((_, j) => j !== i))}>
                  Remove
                </Button>
              ) : null}
            </Flex>
          </Flex>
          <ObjectForm
            draft={o}
            onChange={(d) => setObjects(objects.map((x, j) => (j === i ? d : x)))}
            objects={saved.objects}
            savedChoices={saved.choices.find((c) => c.objectType === o.objectType)}
            errors={errors}
            prefix={`revenue.objects.${i}.`}
            withAmount
          />
        </Flex>
      ))}
      {objects.length < 2 ? (
        <Button size="sm" variant="secondary" testId="revenue-add" onClick={() => setObjects([...objects, blank])}>
          Add a second object
        </Button>
      ) : null}
      <Button testId="revenue-save" disabled={saving} onClick={() => void run(onSaved)}>
        {saving ? 'Saving…' : 'Save revenue settings'}
      </Button>
      <History history={saved.history} testId="revenue-history" />
    </Flex>
  );
}

/** CS-SET-2: the Services workspace's object and its choices (managers). */
export function ServicesSettings() {
  const state = useBackend('/api/v1/settings/customer-success/services');
  const [latest, setLatest] = useState<ServicesSettingsResponse | null>(null);
  return (
    <Flex direction="column" gap="small">
      <Heading>Services</Heading>
      <Text>Which object holds your customers’ services, who is their CSM, and how the Services tab shows them.</Text>
      <BackendView
        state={state}
        loading="Loading the services settings"
        failed="The services settings could not be loaded"
        retryTestId="retry-services-settings"
      >
        {(answer) => <ServicesForm key={JSON.stringify((latest ?? answer).services)} saved={latest ?? answer} onSaved={setLatest} />}
      </BackendView>
    </Flex>
  );
}

/** CS-SET-3: up to two revenue objects, in order, each with its choices (managers). */
export function RevenueSettings() {
  const state = useBackend('/api/v1/settings/customer-success/revenue');
  const [latest, setLatest] = useState<RevenueSettingsResponse | null>(null);
  return (
    <Flex direction="column" gap="small">
      <Heading>Revenue</Heading>
      <Text>Up to two objects (deals, subscriptions…): their amount, renewal date and pipelines on the Revenue tab.</Text>
      <BackendView
        state={state}
        loading="Loading the revenue settings"
        failed="The revenue settings could not be loaded"
        retryTestId="retry-revenue-settings"
      >
        {(answer) => <RevenueForm key={JSON.stringify((latest ?? answer).revenue)} saved={latest ?? answer} onSaved={setLatest} />}
      </BackendView>
    </Flex>
  );
}
