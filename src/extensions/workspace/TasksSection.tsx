import type { ReactNode } from 'react';
import { Flex, Heading, Text } from '@hubspot/ui-extensions';
import type { TaskBucketsResponse } from '../api/contract';
import { useBackend } from '../api/useBackend';
import { BackendView } from '../shared/BackendView';

const HOME_TASK_LIMIT = 5;

/** The workspace's "Tasks" section: the viewing user's first tasks of each bucket, laid out by `children`. */
export function TasksSection({
  name,
  isEmpty,
  empty,
  children,
}: {
  /** Names the section's test ids: `tasks-<name>`, `retry-<name>`. */
  name: string;
  isEmpty?: (response: TaskBucketsResponse) => boolean;
  empty?: ReactNode;
  children: (response: TaskBucketsResponse) => ReactNode;
}) {
  const tasks = useBackend('/api/v1/tasks/buckets', { limit: HOME_TASK_LIMIT });
  return (
    <Flex direction="column" gap="small" testId={`tasks-${name}`}>
      <Heading>Tasks</Heading>
      {tasks.status === 'success' ? <Text variant="microcopy">{`Times in ${tasks.data.timeZone}.`}</Text> : null}
      <BackendView
        state={tasks}
        loading="Loading your tasks"
        failed="Your tasks could not be loaded"
        retryTestId={`retry-${name}`}
        partial="Some tasks may be missing"
        isEmpty={isEmpty}
        empty={empty}
      >
        {children}
      </BackendView>
    </Flex>
  );
}
