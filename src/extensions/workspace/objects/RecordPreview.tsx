import { Button, DescriptionList, DescriptionListItem, Divider, Flex, Heading, Link, Select, Text, Tile } from '@hubspot/ui-extensions';
import type { WorkspacePipeline } from '../../api/contract';
import { recordPath, type ObjectWorkspace } from '../../api/endpoints';
import { useBackend } from '../../api/useBackend';
import { BackendView } from '../../shared/BackendView';
import { formatDate } from '../../shared/health/labels';
import { displayValue } from '../customers/CustomerPreview';
import { PropertyEditor } from './PropertyEditor';

/**
 * CS-SRV-3 / CS-REV-1: a service's or revenue record's properties (edited in place), its stage
 * (with a stage picker), activities and associations, and a link to the record in HubSpot.
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
  pipelines: WorkspacePipeline[];
  onClose: () => void;
  onChanged: () => void;
  onMove: (stageId: string) => void;
}) {
  const state = useBackend(recordPath(workspace, recordId, object));
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
              {r.stage ? (
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
                      <PropertyEditor property={p} path={recordPath(workspace, recordId, object)} onSaved={saved} />
                    </Flex>
                  </DescriptionListItem>
                ))}
              </DescriptionList>
              <Divider />
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
