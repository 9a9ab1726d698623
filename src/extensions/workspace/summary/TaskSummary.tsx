import { EmptyState, Flex, Text, useExtensionContext } from '@hubspot/ui-extensions';
import { BUCKET_ORDER, BucketCounts, BucketTasks, hasNoTasks } from '../../shared/tasks/TaskBuckets';
import { TasksSection } from '../TasksSection';

/** CS-SUM-2: counts and the first tasks of every bucket. */
export function TaskSummary() {
  const context = useExtensionContext();
  return (
    <TasksSection
      name="summary"
      isEmpty={hasNoTasks}
      empty={
        <EmptyState title="No tasks due" imageName="task" layout="horizontal">
          <Text>You have no open tasks that are overdue, due today or due tomorrow.</Text>
        </EmptyState>
      }
    >
      {(response) => (
        <Flex direction="column" gap="medium">
          <BucketCounts response={response} />
          {BUCKET_ORDER.map((bucket) => (
            <BucketTasks key={bucket} response={response} bucket={bucket} portalId={context.portal.id} />
          ))}
        </Flex>
      )}
    </TasksSection>
  );
}
