import { Flex, Heading, Link, List, Statistics, StatisticsItem, Text } from '@hubspot/ui-extensions';
import type { Task, TaskBucketName, TaskBucketsResponse } from '../../api/contract';
import { recordUrl } from '../recordUrl';

export const BUCKET_ORDER: readonly TaskBucketName[] = ['overdue', 'today', 'tomorrow'];

export const BUCKET_LABELS: Record<TaskBucketName, string> = {
  overdue: 'Overdue',
  today: 'Due today',
  tomorrow: 'Due tomorrow',
};

const EMPTY_BUCKET_TEXT: Record<TaskBucketName, string> = {
  overdue: 'Nothing overdue.',
  today: 'Nothing due today.',
  tomorrow: 'Nothing due tomorrow.',
};

/** Whether every bucket is empty. */
export function hasNoTasks(response: TaskBucketsResponse): boolean {
  return BUCKET_ORDER.every((name) => response.buckets[name].count === 0);
}

/** "Mar 3, 9:30 AM" in the time zone the buckets were computed in. */
export function formatDue(dueAt: string, timeZone: string, bucket: TaskBucketName): string {
  const date = new Date(dueAt);
  if (Number.isNaN(date.getTime())) return dueAt;
  const options: Intl.DateTimeFormatOptions = bucket === 'overdue' ? { dateStyle: 'medium', timeStyle: 'short' } : { timeStyle: 'short' };
  try {
    return new Intl.DateTimeFormat('en-US', { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat('en-US', options).format(date);
  }
}

export function BucketCounts({ response }: { response: TaskBucketsResponse }) {
  return (
    <Statistics>
      {BUCKET_ORDER.map((name) => (
        <StatisticsItem key={name} id={name} label={BUCKET_LABELS[name]} number={response.buckets[name].count} />
      ))}
    </Statistics>
  );
}

function TaskLine({ task, bucket, portalId, timeZone }: { task: Task; bucket: TaskBucketName; portalId: number; timeZone: string }) {
  const record = task.associations.find((ref) => recordUrl(portalId, ref) !== null);
  const href = record ? recordUrl(portalId, record) : null;
  const due = formatDue(task.dueAt, timeZone, bucket);
  const subject = task.subject.trim() || 'Untitled task';
  return (
    <Flex direction="column" gap="flush">
      {href ? <Link href={href}>{subject}</Link> : <Text format={{ fontWeight: 'demibold' }}>{subject}</Text>}
      <Text variant="microcopy">{record?.label ? `${due} · ${record.label}` : due}</Text>
    </Flex>
  );
}

/** The first tasks of one bucket, with a sentence when there are none and a note when more exist. */
export function BucketTasks({
  response,
  bucket,
  portalId,
  showHeading = true,
}: {
  response: TaskBucketsResponse;
  bucket: TaskBucketName;
  portalId: number;
  showHeading?: boolean;
}) {
  const { count, tasks } = response.buckets[bucket];
  const more = count - tasks.length;
  return (
    <Flex direction="column" gap="extra-small">
      {showHeading ? <Heading>{`${BUCKET_LABELS[bucket]} (${count})`}</Heading> : null}
      {tasks.length === 0 ? (
        <Text>{EMPTY_BUCKET_TEXT[bucket]}</Text>
      ) : (
        <List variant="unordered">
          {tasks.map((task) => (
            <TaskLine key={task.id} task={task} bucket={bucket} portalId={portalId} timeZone={response.timeZone} />
          ))}
        </List>
      )}
      {more > 0 ? <Text variant="microcopy">{`And ${more} more.`}</Text> : null}
    </Flex>
  );
}
