import { EmptyState, Text, useExtensionContext } from '@hubspot/ui-extensions';
import { useBackend } from '../api/useBackend';
import { objectTypeNameOf } from '../shared/recordUrl';
import { BUCKET_ORDER, BucketTasks, hasNoTasks } from '../shared/tasks/TaskBuckets';
import { BackendView } from '../shared/BackendView';

const CARD_TASK_LIMIT = 5;
// The object types listed in src/app/cards/tasks-card-hsmeta.json.
const CARD_OBJECT_TYPES = new Set(['contacts', 'companies', 'deals']);

function RecordTasks({ objectType, objectId, portalId }: { objectType: string; objectId: string; portalId: number }) {
  const tasks = useBackend('/api/v1/tasks/buckets', { objectType, objectId, limit: CARD_TASK_LIMIT });
  return (
    <BackendView
      state={tasks}
      loading="Loading this record's tasks"
      failed="Tasks could not be loaded"
      partial="Some tasks may be missing"
      isEmpty={hasNoTasks}
      empty={
        <EmptyState title="No tasks due" imageName="task" layout="vertical">
          <Text>This record has no open tasks that are overdue, due today or due tomorrow.</Text>
        </EmptyState>
      }
    >
      {(response) => BUCKET_ORDER.map((bucket) => <BucketTasks key={bucket} response={response} bucket={bucket} portalId={portalId} />)}
    </BackendView>
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
