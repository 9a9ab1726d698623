import { Button, ButtonRow, Divider, EmptyState, Flex, Text } from '@hubspot/ui-extensions';
import { useState } from 'react';
import type { TaskBucketName, TaskBucketsResponse } from '../../api/contract';
import { BUCKET_LABELS, BUCKET_ORDER, BucketCounts, BucketTasks, PartialWarning, hasNoTasks } from '../../shared/tasks/TaskBuckets';

/** CS-SUM-2: counts and the first tasks of every bucket. */
export function TaskSummary({ response, portalId }: { response: TaskBucketsResponse; portalId: number }) {
  if (hasNoTasks(response)) {
    return (
      <Flex direction="column" gap="small">
        <PartialWarning response={response} />
        <EmptyState title="No tasks due" imageName="task" layout="horizontal">
          <Text>You have no open tasks that are overdue, due today or due tomorrow.</Text>
        </EmptyState>
      </Flex>
    );
  }
  return (
    <Flex direction="column" gap="medium">
      <PartialWarning response={response} />
      <BucketCounts response={response} />
      {BUCKET_ORDER.map((bucket) => (
        <BucketTasks key={bucket} response={response} bucket={bucket} portalId={portalId} />
      ))}
    </Flex>
  );
}

/** SW-1: pick a bucket by its count and see its tasks. */
export function TaskPicker({ response, portalId }: { response: TaskBucketsResponse; portalId: number }) {
  const [bucket, setBucket] = useState<TaskBucketName>(() =>
    response.buckets.overdue.count > 0 ? 'overdue' : 'today',
  );
  return (
    <Flex direction="column" gap="small">
      <PartialWarning response={response} />
      <ButtonRow>
        {BUCKET_ORDER.map((name) => (
          <Button
            key={name}
            testId={`bucket-${name}`}
            variant={name === bucket ? 'primary' : 'secondary'}
            onClick={() => setBucket(name)}
          >
            {`${BUCKET_LABELS[name]} (${response.buckets[name].count})`}
          </Button>
        ))}
      </ButtonRow>
      <Divider />
      <BucketTasks response={response} bucket={bucket} portalId={portalId} showHeading={false} />
    </Flex>
  );
}
