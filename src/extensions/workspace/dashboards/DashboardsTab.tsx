import { useState } from 'react';
import { Alert, Button, EmptyState, Flex, Heading, Text, Tile } from '@hubspot/ui-extensions';
import type { Dashboard } from '../../api/contract';
import { dashboardPath } from '../../api/endpoints';
import { useBackend, useBackendCall, useViewAs } from '../../api/useBackend';
import { BackendView } from '../../shared/BackendView';
import { ConfirmDelete } from '../../shared/ConfirmDelete';
import { formatDate } from '../../shared/health/labels';
import { HubSpotLinks, ReportChart } from '../../shared/reports/ReportChart';
import type { WorkspaceTabProps } from '../tabs';
import { AddDashboard } from './AddDashboard';

const accessOf = (d: Dashboard) =>
  d.access.kind === 'everyone' ? 'Shared with everyone' : `Shared with ${d.access.teamIds.length} team(s)`;

/** Deleting asks first; nothing is deleted until the user confirms. */
function DeleteDashboard({ dashboard, onDeleted }: { dashboard: Dashboard; onDeleted: () => void }) {
  const write = useBackendCall();
  return (
    <ConfirmDelete
      label="Delete dashboard"
      title={`Delete "${dashboard.name}"?`}
      body="Everyone it is shared with loses it. Its reports stay in the gallery."
      testIds={{
        open: 'delete-dashboard',
        alert: 'confirm-delete-dashboard-alert',
        confirm: 'confirm-delete-dashboard',
        error: 'delete-dashboard-error',
      }}
      onDelete={async () => {
        const result = await write('DELETE', dashboardPath(dashboard.id), { confirm: true });
        if (!result.ok) return result.error.message;
        onDeleted();
        return null;
      }}
    />
  );
}

/** One dashboard, its reports computed for the user shown. */
function DashboardView({ id, onBack, onDeleted }: { id: string; onBack: () => void; onDeleted: () => void }) {
  const answer = useBackend(dashboardPath(id));
  return (
    <Flex direction="column" gap="small" testId="dashboard-view">
      <Button size="sm" variant="transparent" testId="dashboards-back" onClick={onBack}>
        All dashboards
      </Button>
      <BackendView
        state={answer}
        loading="Loading the dashboard"
        failed="The dashboard could not be loaded"
        retryTestId="retry-dashboard"
        partial="Some reports may be incomplete"
        partialTestId="dashboard-partial"
      >
        {({ dashboard, reports }) => (
          <Flex direction="column" gap="small">
            <Heading>{dashboard.name}</Heading>
            <Text variant="microcopy">{`${accessOf(dashboard)} · added by ${dashboard.createdBy.name} on ${formatDate(dashboard.createdAt)}`}</Text>
            <HubSpotLinks links={dashboard.hubspotLinks} testId="dashboard-hubspot-links" />
            <Flex direction="row" gap="small" wrap="wrap">
              {reports.map((r) => (
                <ReportChart key={r.id} report={r} />
              ))}
            </Flex>
            {dashboard.deletable ? <DeleteDashboard dashboard={dashboard} onDeleted={onDeleted} /> : null}
          </Flex>
        )}
      </BackendView>
    </Flex>
  );
}

/** CS-DASH-1 / SW-5: the dashboards shared with the user shown; add, open, delete. */
export function DashboardsTab(_props: WorkspaceTabProps) {
  const list = useBackend('/api/v1/dashboards');
  const viewingAs = useViewAs() !== null;
  const [openId, setOpenId] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  if (openId)
    return (
      <DashboardView
        id={openId}
        onBack={() => setOpenId(null)}
        onDeleted={() => {
          setOpenId(null);
          setNotice('The dashboard was deleted.');
          list.reload();
        }}
      />
    );
  return (
    <Flex direction="column" gap="medium" testId="dashboards">
      <Flex direction="row" gap="small" align="center" justify="between">
        <Heading>Dashboards</Heading>
        {!adding && !viewingAs && list.status === 'success' ? (
          <Button size="sm" variant="primary" testId="add-dashboard-open" onClick={() => setAdding(true)}>
            Add dashboard
          </Button>
        ) : null}
      </Flex>
      {notice ? (
        <Alert title="Done" variant="success" testId="dashboards-notice">
          {notice}
        </Alert>
      ) : null}
      <BackendView
        state={list}
        loading="Loading your dashboards"
        failed="Your dashboards could not be loaded"
        retryTestId="retry-dashboards"
      >
        {(answer) =>
          adding ? (
            <AddDashboard
              gallery={answer.gallery}
              onCancel={() => setAdding(false)}
              onAdded={(d) => {
                setAdding(false);
                setNotice(`"${d.name}" was added.`);
                list.reload();
              }}
            />
          ) : answer.dashboards.length === 0 ? (
            <EmptyState title="No dashboards yet" imageName="emptyStateCharts" layout="horizontal" testId="dashboards-empty">
              <Text>
                {viewingAs
                  ? 'No dashboard is shared with this user.'
                  : 'No dashboard is shared with you. Add one from the report gallery and your HubSpot dashboards.'}
              </Text>
            </EmptyState>
          ) : (
            <Flex direction="column" gap="extra-small">
              {answer.dashboards.map((d) => (
                <Tile key={d.id} compact testId={`dashboard-${d.id}`}>
                  <Flex direction="row" gap="small" align="center" justify="between">
                    <Flex direction="column" gap="flush">
                      <Text format={{ fontWeight: 'demibold' }}>{d.name}</Text>
                      <Text variant="microcopy">{`${d.reportIds.length} reports, ${d.hubspotLinks.length} HubSpot links · ${accessOf(d)} · added by ${d.createdBy.name}`}</Text>
                    </Flex>
                    <Button size="sm" testId={`open-dashboard-${d.id}`} onClick={() => setOpenId(d.id)}>
                      Open
                    </Button>
                  </Flex>
                </Tile>
              ))}
            </Flex>
          )
        }
      </BackendView>
    </Flex>
  );
}
