import { useState } from 'react';
import { Button, ButtonRow, Divider, Flex, Link, useExtensionContext } from '@hubspot/ui-extensions';
import type { TaskBucketName, TaskBucketsResponse } from '../../api/contract';
import { BUCKET_LABELS, BUCKET_ORDER, BucketTasks } from '../../shared/tasks/TaskBuckets';
import { TasksSection } from '../TasksSection';
import { taskListUrl } from '../../shared/recordUrl';

function BucketPicker({ response, portalId }: { response: TaskBucketsResponse; portalId: number }) {
  const [bucket, setBucket] = useState<TaskBucketName>(() => (response.buckets.overdue.count > 0 ? 'overdue' : 'today'));
  return (
    <Flex direction="column" gap="small">
      <ButtonRow>
        {BUCKET_ORDER.map((name) => (
          <Button key={name} testId={`bucket-${name}`} variant={name === bucket ? 'primary' : 'secondary'} onClick={() => setBucket(name)}>
            {`${BUCKET_LABELS[name]} (${response.buckets[name].count})`}
          </Button>
        ))}
      </ButtonRow>
      {response.buckets[bucket].count > 0 ? (
        // The queue starts at the bucket's first task (oldest due), opened in HubSpot's task list.
        <Link testId="start-queue" href={{ url: taskListUrl(portalId, response.buckets[bucket].tasks[0]?.id), external: true }}>
          {`Start the task queue in HubSpot (${response.buckets[bucket].count} ${BUCKET_LABELS[bucket].toLowerCase()})`}
        </Link>
      ) : null}
      <Divider />
      <BucketTasks response={response} bucket={bucket} portalId={portalId} showHeading={false} />
    </Flex>
  );
}

/** SW-1: pick a bucket by its count and see its tasks. */
export function TaskPicker() {
  const context = useExtensionContext();
  return <TasksSection name="picker">{(response) => <BucketPicker response={response} portalId={context.portal.id} />}</TasksSection>;
}
