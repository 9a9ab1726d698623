import { Button, EmptyState, Flex, Text, useExtensionContext } from '@hubspot/ui-extensions';
import type { TaskBucketName } from '../../api/contract';
import { BUCKET_ORDER, BucketCounts, BucketTasks, hasNoTasks } from '../../shared/tasks/TaskBuckets';
import { TasksSection } from '../TasksSection';

/** The Actions tab's view for each bucket (the same filter: open tasks of the user, in their zone). */
const ACTIONS_VIEW: Record<TaskBucketName, string> = { overdue: 'overdue', today: 'due-today', tomorrow: 'due-tomorrow' };

/** CS-SUM-2: counts and the first tasks of every bucket; "show all" opens the bucket in the Actions tab. */
export function TaskSummary({ onShowAll }: { onShowAll?: (view: string) => void } = {}) {
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
            <Flex key={bucket} direction="column" gap="extra-small">
              <BucketTasks response={response} bucket={bucket} portalId={context.portal.id} />
              {onShowAll && response.buckets[bucket].count > 0 ? (
                <Button testId={`show-all-${bucket}`} size="sm" variant="transparent" onClick={() => onShowAll(ACTIONS_VIEW[bucket])}>
                  Show all in Actions
                </Button>
              ) : null}
            </Flex>
          ))}
        </Flex>
      )}
    </TasksSection>
  );
}
