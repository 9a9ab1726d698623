import {
  Button,
  DescriptionList,
  DescriptionListItem,
  Divider,
  Flex,
  Heading,
  Link,
  Select,
  StatusTag,
  Text,
  Tile,
} from '@hubspot/ui-extensions';
import type { WorkspacePipeline, WorkspacePreviewResponse } from '../../api/contract';
import { recordPath, type ObjectWorkspace } from '../../api/endpoints';
import { useBackend } from '../../api/useBackend';
import { BackendView } from '../../shared/BackendView';
import { HEALTH_CATEGORY_LABELS, HEALTH_CATEGORY_TAGS, formatDate } from '../../shared/health/labels';
import { PropertyEditor } from './PropertyEditor';

type Value = WorkspacePreviewResponse['properties'][number];

/** A property value as people read it: dates as days, booleans as Yes/No. */
function displayValue(p: Pick<Value, 'type' | 'value'>): string {
  if (p.value === null) return '—';
  if (typeof p.value === 'boolean') return p.value ? 'Yes' : 'No';
  if (p.type === 'date' && typeof p.value === 'number') return formatDate(new Date(p.value).toISOString(), 'UTC');
  return String(p.value);
}

/** A customer's stored health score and its drivers (CS-CUS-3). */
function Health({ health }: { health: WorkspacePreviewResponse['health'] }) {
  return (
    <>
      <Text format={{ fontWeight: 'demibold' }}>Health</Text>
      {health ? (
        <Flex direction="column" gap="extra-small" testId="preview-health">
          <Text>
            {`Score ${health.score} `}
            <StatusTag variant={HEALTH_CATEGORY_TAGS[health.category]}>{HEALTH_CATEGORY_LABELS[health.category]}</StatusTag>
            {` — scored ${formatDate(health.computedAt)}`}
          </Text>
          {health.drivers.map((d) => (
            <Text key={d.label} variant="microcopy">{`${d.label}: ${d.points} of ${d.maxPoints} points`}</Text>
          ))}
        </Flex>
      ) : (
        <Text variant="microcopy" testId="preview-no-health">
          No health score yet: the next scoring run scores this customer.
        </Text>
      )}
    </>
  );
}

/**
 * One record at a glance (CS-CUS-3, CS-SRV-3, CS-REV-1): its properties edited in place, its stage
 * with a stage picker where the object has pipelines, a customer's health, activities,
 * associations and a link to the record in HubSpot.
 */
export function RecordPreview({
  workspace,
  recordId,
  object,
  pipelines,
  onClose,
  onChanged,
  onMove,
}: {
  workspace: ObjectWorkspace;
  recordId: string;
  object?: string | undefined;
  /** The object's pipelines (none for Customers): the stage picker's choices. */
  pipelines: WorkspacePipeline[];
  onClose: () => void;
  onChanged: () => void;
  onMove?: (stageId: string) => void;
}) {
  const path = recordPath(workspace, recordId, object);
  const state = useBackend(path);
  const saved = () => {
    state.reload();
    onChanged();
  };
  return (
    <Tile testId="record-preview">
      <BackendView state={state} loading="Loading the record" failed="This record could not be loaded" retryTestId="retry-preview">
        {(r) => {
          const pipeline = pipelines.find((p) => p.id === r.stage?.pipelineId);
          return (
            <Flex direction="column" gap="small">
              <Flex justify="between" align="center">
                <Heading>{r.name}</Heading>
                <Button size="sm" variant="secondary" onClick={onClose} testId="close-preview">
                  Close
                </Button>
              </Flex>
              <Link href={{ url: r.url, external: true }} testId="open-in-hubspot">
                Open in HubSpot
              </Link>
              {r.stage && pipelines.length && onMove ? (
                <Select
                  label={pipeline ? `Stage (${pipeline.label})` : 'Stage'}
                  name="preview-stage"
                  value={r.stage.stageId ?? undefined}
                  options={pipelines.flatMap((p) =>
                    p.stages.map((s) => ({ label: pipelines.length > 1 ? `${p.label}: ${s.label}` : s.label, value: s.id })),
                  )}
                  onChange={(v) => (v && v !== r.stage?.stageId ? onMove(String(v)) : undefined)}
                />
              ) : null}
              <DescriptionList direction="row">
                {r.properties.map((p) => (
                  <DescriptionListItem key={p.name} label={p.label}>
                    <Flex direction="column" gap="extra-small">
                      <Text testId={`value-${p.name}`}>{displayValue(p)}</Text>
                      <PropertyEditor property={p} path={path} onSaved={saved} />
                    </Flex>
                  </DescriptionListItem>
                ))}
              </DescriptionList>
              <Divider />
              {workspace === 'customers' ? <Health health={r.health} /> : null}
              <Text format={{ fontWeight: 'demibold' }}>Recent activities</Text>
              {r.activities.length ? (
                r.activities.map((a) => <Text key={`${a.objectType}-${a.id}`}>{`${a.at ? `${formatDate(a.at)} · ` : ''}${a.title}`}</Text>)
              ) : (
                <Text variant="microcopy">No activity in the last 120 days.</Text>
              )}
              <Text format={{ fontWeight: 'demibold' }}>Associated records</Text>
              {r.associations.length ? (
                r.associations.map((a) => (
                  <Link key={`${a.objectType}-${a.id}`} href={{ url: a.url, external: true }}>
                    {a.labels.length ? `${a.name} (${a.labels.join(', ')})` : a.name}
                  </Link>
                ))
              ) : (
                <Text variant="microcopy">No associated contacts, companies, deals or tickets.</Text>
              )}
              <Text variant="microcopy">{`Data as of ${formatDate(r.dataAsOf)}.`}</Text>
            </Flex>
          );
        }}
      </BackendView>
    </Tile>
  );
}
