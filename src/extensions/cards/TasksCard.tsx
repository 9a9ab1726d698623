import { useState } from 'react';
import { Button, EmptyState, Flex, Text, useExtensionContext } from '@hubspot/ui-extensions';
import type { TaskBucketsResponse } from '../api/contract';
import { completeTaskPath } from '../api/endpoints';
import { useBackend, useBackendCall } from '../api/useBackend';
import { objectTypeNameOf } from '../shared/recordUrl';
import { BUCKET_ORDER, BucketTasks, hasNoTasks } from '../shared/tasks/TaskBuckets';
import { BackendView } from '../shared/BackendView';

const CARD_TASK_LIMIT = 5;
// The object types listed in src/app/cards/tasks-card-hsmeta.json.
const CARD_OBJECT_TYPES = new Set(['contacts', 'companies', 'deals']);

/** The answer without the tasks completed here (HubSpot's search shows a change only after a moment). */
function withoutCompleted(response: TaskBucketsResponse, done: Set<string>): TaskBucketsResponse {
  if (done.size === 0) return response;
  const buckets = { ...response.buckets };
  for (const name of BUCKET_ORDER) {
    const kept = buckets[name].tasks.filter((t) => !done.has(t.id));
    buckets[name] = { count: buckets[name].count - (buckets[name].tasks.length - kept.length), tasks: kept };
  }
  return { ...response, buckets };
}

function RecordTasks({ objectType, objectId, portalId }: { objectType: string; objectId: string; portalId: number }) {
  const tasks = useBackend('/api/v1/tasks/buckets', { objectType, objectId, limit: CARD_TASK_LIMIT });
  const call = useBackendCall();
  const [done, setDone] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const complete = async (taskId: string, subject: string) => {
    setBusy(taskId);
    const result = await call('POST', completeTaskPath(taskId), {});
    setBusy(null);
    if (result.ok) {
      setDone((d) => new Set([...d, taskId]));
      setMessage(`Completed "${subject}".`);
    } else setMessage(result.error.message);
  };
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
      {(answer) => {
        const response = withoutCompleted(answer, done);
        return (
          <>
            {message ? <Text testId="card-task-message">{message}</Text> : null}
            {BUCKET_ORDER.map((bucket) => (
              <Flex key={bucket} direction="column" gap="extra-small">
                <BucketTasks response={response} bucket={bucket} portalId={portalId} />
                {/* CARD-3: complete in place, written through to HubSpot and the portal copy. */}
                {response.buckets[bucket].tasks.map((t) => (
                  <Button
                    key={t.id}
                    testId={`complete-${t.id}`}
                    size="xs"
                    disabled={busy !== null}
                    onClick={() => void complete(t.id, t.subject)}
                  >
                    {busy === t.id ? 'Completing…' : `Complete "${t.subject}"`}
                  </Button>
                ))}
              </Flex>
            ))}
          </>
        );
      }}
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
