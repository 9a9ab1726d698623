import { EmptyState, Flex, Heading, Link, StatusTag, Text, Tile, useExtensionContext } from '@hubspot/ui-extensions';
import type { TodayScheduleItem as ScheduleItem } from '../../api/contract';
import { useBackend } from '../../api/useBackend';
import { BackendView } from '../../shared/BackendView';
import { recordUrl } from '../../shared/recordUrl';

/** "09:30–10:00", "All day" or "14:00" in the user's zone. */
export function timeOf(item: ScheduleItem, timeZone: string): string {
  if (item.allDay) return 'All day';
  const fmt = (iso: string) => {
    try {
      return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(iso));
    } catch {
      return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
    }
  };
  return item.endsAt ? `${fmt(item.startsAt)}–${fmt(item.endsAt)}` : fmt(item.startsAt);
}

function ScheduleLine({ item, timeZone, portalId }: { item: ScheduleItem; timeZone: string; portalId: number }) {
  return (
    <Tile compact testId={`schedule-${item.kind}-${item.id}`}>
      <Flex direction="row" gap="small" align="center" wrap="wrap">
        <Text format={{ fontWeight: 'demibold' }}>{timeOf(item, timeZone)}</Text>
        <StatusTag variant={item.kind === 'meeting' ? 'info' : item.done ? 'success' : 'default'}>
          {item.kind === 'meeting' ? 'Meeting' : item.done ? 'Task done' : 'Task'}
        </StatusTag>
        <Text format={item.done ? { lineDecoration: 'strikethrough' } : undefined}>{item.title}</Text>
        {item.associations.map((a) => {
          const href = recordUrl(portalId, a);
          return href ? (
            <Link key={`${a.objectType}-${a.objectId}`} href={href}>
              {a.label}
            </Link>
          ) : (
            <Text key={`${a.objectType}-${a.objectId}`}>{a.label}</Text>
          );
        })}
      </Flex>
    </Tile>
  );
}

/** CS-SUM-4: today's meetings and tasks of the user shown, in time order, in their zone. */
export function TodaySchedule() {
  const context = useExtensionContext();
  const schedule = useBackend('/api/v1/summary/schedule');
  return (
    <Flex direction="column" gap="small" testId="today-schedule">
      <Heading>Today</Heading>
      {schedule.status === 'success' ? (
        <Text variant="microcopy">{`${schedule.data.date}, times in ${schedule.data.timeZone}.`}</Text>
      ) : null}
      <BackendView
        state={schedule}
        loading="Loading today's schedule"
        failed="Today's schedule could not be loaded"
        retryTestId="retry-schedule"
        partial="Your schedule may be incomplete"
        partialTestId="schedule-partial"
        isEmpty={(answer) => answer.items.length === 0}
        empty={
          <EmptyState title="Nothing scheduled today" imageName="task" layout="horizontal" testId="schedule-empty">
            <Text>You have no meetings and no tasks due today.</Text>
          </EmptyState>
        }
      >
        {(answer) => (
          <Flex direction="column" gap="extra-small">
            {answer.items.map((item) => (
              <ScheduleLine key={`${item.kind}-${item.id}`} item={item} timeZone={answer.timeZone} portalId={context.portal.id} />
            ))}
            {answer.more ? (
              <Text
                variant="microcopy"
                testId="schedule-more"
              >{`+${answer.more.tasks + answer.more.meetings} more in the Schedule tab`}</Text>
            ) : null}
          </Flex>
        )}
      </BackendView>
    </Flex>
  );
}
