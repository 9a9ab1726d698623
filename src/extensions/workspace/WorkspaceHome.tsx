import { useState } from 'react';
import { Flex, Heading, Tab, Tabs, Text, useExtensionContext } from '@hubspot/ui-extensions';
import type { MeResponse, TaskBucketsResponse } from '../api/contract';
import { ViewAsProvider, useBackend, type BackendState } from '../api/useBackend';
import { LoadFailed, Loading } from '../shared/BackendView';
import { TaskPicker, TaskSummary } from './summary/TaskSummary';
import { GuidedActionsSection } from './sales/GuidedActionsSection';
import { HealthSummarySection } from './summary/HealthSummarySection';
import { AlertsList } from './summary/AlertsList';
import { ME_PATH, ViewAsPicker } from './ViewAsPicker';

export const TASK_BUCKETS_PATH = '/api/v1/tasks/buckets';
const HOME_TASK_LIMIT = 5;

function TasksSection({ tasks, layout }: { tasks: BackendState<TaskBucketsResponse>; layout: 'summary' | 'picker' }) {
  const context = useExtensionContext();
  let body;
  if (tasks.status === 'loading') body = <Loading label="Loading your tasks" />;
  else if (tasks.status === 'error') {
    body = <LoadFailed title="Your tasks could not be loaded" error={tasks.error} onRetry={tasks.reload} testId={`retry-${layout}`} />;
  } else if (layout === 'summary') body = <TaskSummary response={tasks.data} portalId={context.portal.id} />;
  else body = <TaskPicker response={tasks.data} portalId={context.portal.id} />;
  return (
    <Flex direction="column" gap="small" testId={`tasks-${layout}`}>
      <Heading>Tasks</Heading>
      {tasks.status === 'success' ? <Text variant="microcopy">{`Times in ${tasks.data.timeZone}.`}</Text> : null}
      {body}
    </Flex>
  );
}

function WorkspaceTabs({ isManager }: { isManager: boolean }) {
  // One request feeds both tabs: the host renders every tab's content, not only the selected one.
  const tasks = useBackend<TaskBucketsResponse>(TASK_BUCKETS_PATH, { limit: HOME_TASK_LIMIT });
  return (
    <Tabs defaultSelected="customer-success" variant="enclosed">
      <Tab tabId="customer-success" title="Customer Success">
        <Flex direction="column" gap="large">
          <AlertsList />
          <TasksSection tasks={tasks} layout="summary" />
          <HealthSummarySection isManager={isManager} />
        </Flex>
      </Tab>
      <Tab tabId="sales" title="Sales">
        <Flex direction="column" gap="large">
          <GuidedActionsSection />
          <TasksSection tasks={tasks} layout="picker" />
        </Flex>
      </Tab>
    </Tabs>
  );
}

/** The workspace home: one tab per workspace; managers may view it as another user. */
export function WorkspaceHome() {
  // Who is looking: decides the "View as" picker. A failure here only hides manager tools.
  const me = useBackend<MeResponse>(ME_PATH);
  const [asUserId, setAsUserId] = useState<number | null>(null);
  const isManager = me.status === 'success' && me.data.isManager;
  return (
    <Flex direction="column" gap="medium">
      {isManager ? <ViewAsPicker selfUserId={me.data.userId} value={asUserId} onChange={setAsUserId} /> : null}
      {/* Keyed by the user shown: nothing of one user's workspace (pages, answers) survives a switch. */}
      <ViewAsProvider value={asUserId} key={asUserId ?? 'self'}>
        <WorkspaceTabs isManager={isManager} />
      </ViewAsProvider>
    </Flex>
  );
}
