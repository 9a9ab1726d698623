import { useState } from 'react';
import { Button, DateInput, Flex, Input, Select, Text } from '@hubspot/ui-extensions';
import type { WorkspaceFilterOperator, WorkspaceFilters, WorkspaceMetaResponse, WorkspacePropertyFilter } from '../../api/contract';
import type { ObjectWorkspace } from '../../api/endpoints';
import { useBackend } from '../../api/useBackend';

type DateValue = { year: number; month: number; date: number };

const ANY = '__view__';

const pad = (n: number) => String(n).padStart(2, '0');
/** DateInput's value (month from 0) as an ISO day, and back. */
export const toDay = (d: DateValue | null | undefined): string | undefined =>
  d ? `${d.year}-${pad(d.month + 1)}-${pad(d.date)}` : undefined;
const fromDay = (day: string | undefined): DateValue | undefined => {
  if (!day) return undefined;
  const [year, month, date] = day.split('-').map(Number);
  return { year: year!, month: month! - 1, date: date! };
};

export const OPERATOR_LABELS: Record<WorkspaceFilterOperator, string> = {
  EQ: 'is',
  NEQ: 'is not',
  LT: 'is less than',
  LTE: 'is at most',
  GT: 'is greater than',
  GTE: 'is at least',
  BETWEEN: 'is between',
  IN: 'is any of',
  NOT_IN: 'is none of',
  HAS_PROPERTY: 'is known',
  NOT_HAS_PROPERTY: 'is unknown',
  CONTAINS_TOKEN: 'contains',
  NOT_CONTAINS_TOKEN: 'does not contain',
};

/** One sentence for an advanced filter: "Industry is Software". */
export function describeFilter(f: WorkspacePropertyFilter, meta: WorkspaceMetaResponse | undefined): string {
  const p = meta?.properties.find((x) => x.name === f.propertyName);
  const label = (v: string | number | boolean) => p?.options?.find((o) => o.value === String(v))?.label ?? String(v);
  const value = f.values ? f.values.map(label).join(', ') : f.value !== undefined ? label(f.value) : '';
  const high = f.highValue !== undefined ? ` and ${label(f.highValue)}` : '';
  return `${p?.label ?? f.propertyName} ${OPERATOR_LABELS[f.operator]}${value ? ` ${value}` : ''}${high}`;
}

function AdvancedFilter({ meta, onAdd }: { meta: WorkspaceMetaResponse; onAdd: (f: WorkspacePropertyFilter) => void }) {
  const [name, setName] = useState<string>('');
  const [operator, setOperator] = useState<WorkspaceFilterOperator | ''>('');
  const [value, setValue] = useState('');
  const property = meta.properties.find((p) => p.name === name);
  const operators = property ? (meta.operatorsByType[property.type] ?? []) : [];
  const needsValue = operator !== '' && operator !== 'HAS_PROPERTY' && operator !== 'NOT_HAS_PROPERTY';
  const add = () => {
    if (!property || operator === '') return;
    const typed = property.type === 'number' ? Number(value) : property.type === 'bool' ? value === 'true' : value;
    const f: WorkspacePropertyFilter = { propertyName: property.name, operator };
    if (operator === 'IN' || operator === 'NOT_IN')
      f.values = value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
    else if (needsValue) f.value = typed;
    onAdd(f);
    setName('');
    setOperator('');
    setValue('');
  };
  return (
    <Flex gap="small" align="end" wrap="wrap">
      <Select
        label="Property"
        name="filter-property"
        value={name}
        options={meta.properties.map((p) => ({ label: p.label, value: p.name }))}
        onChange={(v) => {
          setName(String(v));
          setOperator('');
          setValue('');
        }}
      />
      <Select
        label="Condition"
        name="filter-operator"
        value={operator}
        readOnly={!property}
        options={operators.map((o) => ({ label: OPERATOR_LABELS[o], value: o }))}
        onChange={(v) => setOperator(v as WorkspaceFilterOperator)}
      />
      {needsValue && property?.options?.length && operator !== 'IN' && operator !== 'NOT_IN' ? (
        <Select label="Value" name="filter-value" value={value} options={property.options} onChange={(v) => setValue(String(v))} />
      ) : needsValue ? (
        <Input
          label={
            operator === 'IN' || operator === 'NOT_IN'
              ? 'Values (comma-separated)'
              : property?.type === 'date'
                ? 'Value (YYYY-MM-DD)'
                : 'Value'
          }
          name="filter-value"
          value={value}
          onChange={setValue}
        />
      ) : null}
      <Button size="sm" testId="add-filter" disabled={!property || operator === '' || (needsValue && value.trim() === '')} onClick={add}>
        Add filter
      </Button>
    </Flex>
  );
}

/** Is any filter set (the list then sends `filters`)? */
export const hasFilters = (f: WorkspaceFilters) => Boolean(f.createDate || f.lastActivity || f.owner || f.properties?.length);

/**
 * Create date, last activity, owner and advanced property filters typed by the object's properties
 * (CS-CUS-1, CS-SRV-1, CS-REV-1); Revenue's `object` picks whose properties.
 */
export function RecordFilters({
  workspace,
  object,
  ownerLabel,
  filters,
  onChange,
}: {
  workspace: ObjectWorkspace;
  object?: string | undefined;
  /** What the owner (the CSM property) is called on this tab. */
  ownerLabel: string;
  filters: WorkspaceFilters;
  onChange: (f: WorkspaceFilters) => void;
}) {
  const [advanced, setAdvanced] = useState(false);
  const properties = filters.properties ?? [];
  // The property list is loaded only once advanced filters are wanted (or shown).
  const meta = useBackend(advanced || properties.length > 0 ? `/api/v1/workspace/${workspace}/meta` : null, { object });
  const range = (key: 'createDate' | 'lastActivity', end: 'from' | 'to', d: DateValue | null) => {
    const next = { ...filters[key], [end]: toDay(d) };
    if (!next.from) delete next.from;
    if (!next.to) delete next.to;
    const out = { ...filters, [key]: next };
    if (!next.from && !next.to) delete out[key];
    onChange(out);
  };
  return (
    <Flex direction="column" gap="small">
      <Flex gap="small" wrap="wrap" align="end">
        <DateInput
          label="Created from"
          name="created-from"
          value={fromDay(filters.createDate?.from)}
          onChange={(d) => range('createDate', 'from', d)}
        />
        <DateInput
          label="Created to"
          name="created-to"
          value={fromDay(filters.createDate?.to)}
          onChange={(d) => range('createDate', 'to', d)}
        />
        <DateInput
          label="Last activity from"
          name="activity-from"
          value={fromDay(filters.lastActivity?.from)}
          onChange={(d) => range('lastActivity', 'from', d)}
        />
        <DateInput
          label="Last activity to"
          name="activity-to"
          value={fromDay(filters.lastActivity?.to)}
          onChange={(d) => range('lastActivity', 'to', d)}
        />
        <Button size="sm" variant="secondary" testId="toggle-advanced" onClick={() => setAdvanced(!advanced)}>
          {advanced ? 'Hide advanced filters' : 'Advanced filters'}
        </Button>
      </Flex>
      {properties.length ? (
        <Flex gap="extra-small" wrap="wrap">
          {properties.map((f, i) => (
            <Button
              key={`${f.propertyName}-${i}`}
              size="sm"
              variant="secondary"
              testId={`filter-${i}`}
              onClick={() => onChange({ ...filters, properties: properties.filter((_, j) => j !== i) })}
            >
              {`${describeFilter(f, meta.data)} ✕`}
            </Button>
          ))}
        </Flex>
      ) : null}
      {advanced ? (
        meta.status === 'success' ? (
          <>
            <Select
              label={ownerLabel}
              name="filter-owner"
              value={filters.owner ?? ANY}
              options={[
                { label: 'As the view says', value: ANY },
                { label: 'Me', value: 'me' },
                { label: 'Unassigned', value: 'none' },
                ...meta.data.owners.map((o) => ({ label: o.name, value: o.id })),
              ]}
              onChange={(v) => {
                const { owner: _owner, ...rest } = filters;
                onChange(v === ANY ? rest : { ...rest, owner: String(v) });
              }}
            />
            <AdvancedFilter meta={meta.data} onAdd={(f) => onChange({ ...filters, properties: [...properties, f] })} />
          </>
        ) : (
          <Text variant="microcopy">{meta.status === 'error' ? meta.error.message : 'Loading the properties…'}</Text>
        )
      ) : null}
    </Flex>
  );
}
