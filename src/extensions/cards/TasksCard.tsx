import { EmptyState, Flex, Text, useExtensionContext } from '@hubspot/ui-extensions';
import type { TaskBucketsResponse } from '../api/contract';
import { useBackend } from '../api/useBackend';
import { objectTypeNameOf } from '../shared/recordUrl';
import { BUCKET_ORDER, BucketTasks, PartialWarning, hasNoTasks } from '../shared/tasks/TaskBuckets';
import { LoadFailed, Loading } from '../shared/BackendView';
import { TASK_BUCKETS_PATH } from '../workspace/WorkspaceHome';

const CARD_TASK_LIMIT = 5;
// The object types listed in src/app/cards/tasks-card-hsmeta.json.
const CARD_OBJECT_TYPES = new Set(['contacts', 'companies', 'deals']);

function RecordTasks({ objectType, objectId, portalId }: { objectType: string; objectId: string; portalId: number }) {
  const tasks = useBackend<TaskBucketsResponse>(TASK_BUCKETS_PATH, { objectType, objectId, limit: CARD_TASK_LIMIT });
  if (tasks.status === 'loading') return <Loading label="Loading this record's tasks" />;
  if (tasks.status === 'error') {
    return <LoadFailed title="Tasks could not be loaded" error={tasks.error} onRetry={tasks.reload} />;
  }
  const response = tasks.data;
  if (hasNoTasks(response)) {
    return (
      <Flex direction="column" gap="small">
        <PartialWarning response={response} />
        <EmptyState title="No tasks due" imageName="task" layout="vertical">
          <Text>This record has no open tasks that are overdue, due today or due tomorrow.</Text>
        </EmptyState>
      </Flex>
    );
  }
  return (
    <Flex direction="column" gap="small">
      <PartialWarning response={response} />
      {BUCKET_ORDER.map((bucket) => (
        <BucketTasks key={bucket} response={response} bucket={bucket} portalId={portalId} />
      ))}
    </Flex>
  );
}

/** CARD-3: the open tasks of the record the card sits on, in the three buckets. */
export function TasksCard() {
  const context = useExtensionContext<'crm.record.sidebar'>();
  const objectType = objectTypeNameOf(context.crm.objectTypeId);
  if (!objectType || !CARD_OBJECT_TYPES.has(objectType)) {
    return <Text>This card shows tasks on contacts, companies and deals.</Text>;
  }
  return <RecordTasks objectType={objectType} objectId={String(context.crm.objectId)} portalId={context.portal.id} />;
}
