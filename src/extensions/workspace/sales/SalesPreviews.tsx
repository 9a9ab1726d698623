import { Button, Flex, Heading, Statistics, StatisticsItem, Text } from '@hubspot/ui-extensions';
import { useBackend } from '../../api/useBackend';
import { BackendView } from '../../shared/BackendView';
import { ScheduleDays } from '../schedule/ScheduleTab';
import type { WorkspaceTabProps } from '../tabs';

const FEED_PREVIEW = 5;

/** SW-3: today's schedule (busy blocks only when a manager views as someone else). */
function TodaySchedule({ open }: Pick<WorkspaceTabProps, 'open'>) {
  const today = useBackend('/api/v1/schedule', { view: 'day' });
  return (
    <Flex direction="column" gap="small" testId="sales-today">
      <Heading>Today</Heading>
      <BackendView state={today} loading="Loading today's schedule" failed="Today's schedule could not be loaded" retryTestId="retry-today">
        {(data) => (
          <ScheduleDays data={data} compact onMore={open ? (day) => open('schedule', { view: 'day', date: day.date }) : undefined} />
        )}
      </BackendView>
      {open ? (
        <Button size="sm" testId="open-schedule" onClick={() => open('schedule', { view: 'week' })}>
          Open the schedule
        </Button>
      ) : null}
    </Flex>
  );
}

/** SW-3: this week's meetings and tasks, each count drilling down into the schedule. */
function Insights({ open }: Pick<WorkspaceTabProps, 'open'>) {
  const week = useBackend('/api/v1/schedule', { view: 'week' });
  return (
    <Flex direction="column" gap="small" testId="sales-insights">
      <Heading>This week</Heading>
      <BackendView
        state={week}
        loading="Loading this week's numbers"
        failed="This week's numbers could not be loaded"
        retryTestId="retry-insights"
      >
        {(data) => (
          <Flex direction="column" gap="small">
            <Statistics>
              <StatisticsItem label="Meetings" number={String(data.counts.meetings)} />
              <StatisticsItem label="Tasks" number={String(data.counts.tasks)} />
            </Statistics>
            {open ? (
              <Flex direction="row" gap="small">
                <Button size="sm" testId="drill-meetings" onClick={() => open('schedule', { view: 'week', show: 'meetings' })}>
                  {`See the ${data.counts.meetings} meetings`}
                </Button>
                <Button size="sm" testId="drill-tasks" onClick={() => open('schedule', { view: 'week', show: 'tasks' })}>
                  {`See the ${data.counts.tasks} tasks`}
                </Button>
              </Flex>
            ) : null}
          </Flex>
        )}
      </BackendView>
    </Flex>
  );
}

/** SW-3: the newest items of the feed. */
function FeedPreview({ open }: Pick<WorkspaceTabProps, 'open'>) {
  const feed = useBackend('/api/v1/feed', { limit: FEED_PREVIEW });
  return (
    <Flex direction="column" gap="small" testId="sales-feed">
      <Heading>Feed</Heading>
      <BackendView
        state={feed}
        loading="Loading your feed"
        failed="Your feed could not be loaded"
        retryTestId="retry-feed-preview"
        partial="Your feed may be incomplete"
        isEmpty={(data) => data.items.length === 0}
        empty={<Text>No recent activity from the contacts of your companies.</Text>}
      >
        {(data) => (
          <Flex direction="column" gap="extra-small">
            {data.items.map((item) => (
              <Text key={item.id} testId={`feed-preview-${item.id}`}>{`${item.title} · ${item.company.label}`}</Text>
            ))}
          </Flex>
        )}
      </BackendView>
      {open ? (
        <Button size="sm" testId="open-feed" onClick={() => open('feed')}>
          Open the feed
        </Button>
      ) : null}
    </Flex>
  );
}

/** SW-3: the Sales tab's previews of the schedule, the week's numbers and the feed. */
export function SalesPreviews({ open }: Pick<WorkspaceTabProps, 'open'>) {
  return (
    <Flex direction="column" gap="large">
      <TodaySchedule open={open} />
      <Insights open={open} />
      <FeedPreview open={open} />
    </Flex>
  );
}
