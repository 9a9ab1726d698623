import { EmptyState, Flex, Heading, Link, StatusTag, Text, Tile, useExtensionContext } from '@hubspot/ui-extensions';
import type { HealthAlert } from '../../api/contract';
import { usePagedBackend } from '../../api/useBackend';
import { recordUrl } from '../../shared/recordUrl';
import { BackendView, LoadMore } from '../../shared/BackendView';
import { HEALTH_CATEGORY_TAGS, describeDeltas, formatDate, transition } from '../../shared/health/labels';

export const ALERTS_PAGE_SIZE = 25;

function AlertLine({ alert, portalId, timeZone }: { alert: HealthAlert; portalId: number; timeZone: string }) {
  const href = recordUrl(portalId, alert.record);
  const why = describeDeltas(alert.deltas);
  return (
    <Tile compact testId={`alert-${alert.id}`}>
      <Flex direction="column" gap="flush">
        <Flex direction="row" gap="small" align="center">
          {href ? <Link href={href}>{alert.record.label}</Link> : <Text format={{ fontWeight: 'demibold' }}>{alert.record.label}</Text>}
          <StatusTag variant={HEALTH_CATEGORY_TAGS[alert.to]}>{transition(alert.from, alert.to)}</StatusTag>
        </Flex>
        {why ? <Text>{why}</Text> : null}
        <Text variant="microcopy">{`Raised ${formatDate(alert.raisedAt, timeZone)}, expires ${formatDate(alert.expiresAt, timeZone)}.`}</Text>
      </Flex>
    </Tile>
  );
}

/** CS-SUM-1: active health alerts of the user's customers, newest first, paged with "load more". */
export function AlertsList() {
  const context = useExtensionContext();
  const list = usePagedBackend('/api/v1/health/alerts', { limit: ALERTS_PAGE_SIZE });
  return (
    <Flex direction="column" gap="small">
      <Heading>Alerts</Heading>
      <BackendView
        state={list.state}
        loading="Loading alerts"
        failed="Alerts could not be loaded"
        retryTestId="retry-alerts"
        partial="Some alerts may be missing"
        partialTestId="alerts-partial"
      >
        {(pages) => {
          const alerts = pages.flatMap((page) => page.alerts);
          return (
            <Flex direction="column" gap="extra-small">
              {alerts.length === 0 ? (
                <EmptyState title="No alerts" imageName="customerExperience" layout="horizontal" testId="alerts-empty">
                  <Text>None of your customers changed health category in the last 14 days.</Text>
                </EmptyState>
              ) : (
                alerts.map((alert) => (
                  <AlertLine key={alert.id} alert={alert} portalId={context.portal.id} timeZone={context.portal.timezone} />
                ))
              )}
              <LoadMore list={list} what="alerts" testId="alerts-more" />
            </Flex>
          );
        }}
      </BackendView>
    </Flex>
  );
}
