import { Button, DescriptionList, DescriptionListItem, Divider, Flex, Heading, Link, StatusTag, Text, Tile } from '@hubspot/ui-extensions';
import type { WorkspacePreviewResponse } from '../../api/contract';
import { customerPreviewPath } from '../../api/endpoints';
import { useBackend } from '../../api/useBackend';
import { BackendView } from '../../shared/BackendView';
import { HEALTH_CATEGORY_LABELS, HEALTH_CATEGORY_TAGS, formatDate } from '../../shared/health/labels';
import { PropertyEditor } from '../objects/PropertyEditor';

type Value = WorkspacePreviewResponse['properties'][number];

/** A property value as people read it: dates as days, booleans as Yes/No. */
export function displayValue(p: Pick<Value, 'type' | 'value'>): string {
  if (p.value === null) return '—';
  if (typeof p.value === 'boolean') return p.value ? 'Yes' : 'No';
  if (p.type === 'date' && typeof p.value === 'number') return formatDate(new Date(p.value).toISOString(), 'UTC');
  return String(p.value);
}

/** CS-CUS-3: one customer at a glance, from the copy and the stored health score; its properties edited in place. */
export function CustomerPreview({ recordId, onClose, onChanged }: { recordId: string; onClose: () => void; onChanged?: () => void }) {
  const state = useBackend(customerPreviewPath(recordId));
  const saved = () => {
    state.reload();
    onChanged?.();
  };
  return (
    <Tile testId="customer-preview">
      <BackendView state={state} loading="Loading the customer" failed="This customer could not be loaded" retryTestId="retry-preview">
        {(c) => (
          <Flex direction="column" gap="small">
            <Flex justify="between" align="center">
              <Heading>{c.name}</Heading>
              <Button size="sm" variant="secondary" onClick={onClose} testId="close-preview">
                Close
              </Button>
            </Flex>
            <Link href={{ url: c.url, external: true }} testId="open-in-hubspot">
              Open in HubSpot
            </Link>
            <DescriptionList direction="row">
              {c.properties.map((p) => (
                <DescriptionListItem key={p.name} label={p.label}>
                  <Flex direction="column" gap="extra-small">
                    <Text testId={`value-${p.name}`}>{displayValue(p)}</Text>
                    <PropertyEditor property={p} path={customerPreviewPath(recordId)} onSaved={saved} />
                  </Flex>
                </DescriptionListItem>
              ))}
            </DescriptionList>
            <Divider />
            <Text format={{ fontWeight: 'demibold' }}>Health</Text>
            {c.health ? (
              <Flex direction="column" gap="extra-small" testId="preview-health">
                <Text>
                  {`Score ${c.health.score} `}
                  <StatusTag variant={HEALTH_CATEGORY_TAGS[c.health.category]}>{HEALTH_CATEGORY_LABELS[c.health.category]}</StatusTag>
                  {` — scored ${formatDate(c.health.computedAt)}`}
                </Text>
                {c.health.drivers.map((d) => (
                  <Text key={d.label} variant="microcopy">{`${d.label}: ${d.points} of ${d.maxPoints} points`}</Text>
                ))}
              </Flex>
            ) : (
              <Text variant="microcopy" testId="preview-no-health">
                No health score yet: the next scoring run scores this customer.
              </Text>
            )}
            <Text format={{ fontWeight: 'demibold' }}>Recent activities</Text>
            {c.activities.length ? (
              c.activities.map((a) => <Text key={`${a.objectType}-${a.id}`}>{`${a.at ? `${formatDate(a.at)} · ` : ''}${a.title}`}</Text>)
            ) : (
              <Text variant="microcopy">No activity in the last 120 days.</Text>
            )}
            <Text format={{ fontWeight: 'demibold' }}>Associated records</Text>
            {c.associations.length ? (
              c.associations.map((a) => (
                <Link key={`${a.objectType}-${a.id}`} href={{ url: a.url, external: true }}>
                  {a.labels.length ? `${a.name} (${a.labels.join(', ')})` : a.name}
                </Link>
              ))
            ) : (
              <Text variant="microcopy">No associated contacts, companies, deals or tickets.</Text>
            )}
            <Text variant="microcopy">{`Data as of ${formatDate(c.dataAsOf)}.`}</Text>
          </Flex>
        )}
      </BackendView>
    </Tile>
  );
}
