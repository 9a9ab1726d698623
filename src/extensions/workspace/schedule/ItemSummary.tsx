import { Button, DescriptionList, DescriptionListItem, Flex, Heading, Link, Text, Tile, useExtensionContext } from '@hubspot/ui-extensions';
import type { ObjectRef, ScheduleItem } from '../../api/contract';
import { recordUrl } from '../../shared/recordUrl';
import { dayLabel, timeOf } from './format';

const words = (value: string) => value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, ' ');

function Records({ refs, portalId }: { refs: ObjectRef[]; portalId: number }) {
  if (refs.length === 0) return <Text>None</Text>;
  return (
    <Flex direction="column" gap="extra-small">
      {refs.map((r) => {
        const url = recordUrl(portalId, r);
        return url ? (
          <Link key={`${r.objectType}-${r.objectId}`} href={{ url, external: true }}>
            {r.label}
          </Link>
        ) : (
          <Text key={`${r.objectType}-${r.objectId}`}>{r.label}</Text>
        );
      })}
    </Flex>
  );
}

/** CS-SCH-2: the summary of the item clicked in the schedule, and "start meeting" when it has a video link. */
export function ItemSummary({
  item,
  date,
  timeZone,
  onClose,
}: {
  item: ScheduleItem;
  date: string;
  timeZone: string;
  onClose: () => void;
}) {
  const portalId = useExtensionContext().portal.id;
  const when =
    item.kind === 'task'
      ? item.allDay
        ? `${dayLabel(item.start.slice(0, 10))}, all day`
        : `${dayLabel(date)}, ${timeOf(item.start, timeZone)}`
      : `${dayLabel(date)}, ${timeOf(item.start, timeZone)} – ${timeOf(item.end, timeZone)}`;
  return (
    <Tile>
      <Flex direction="column" gap="small">
        <Heading>{item.kind === 'busy' ? 'Busy' : item.title}</Heading>
        <Text testId="summary-when">{when}</Text>
        {item.kind === 'busy' ? (
          <Text>This is another user's meeting: only the time it takes is shown.</Text>
        ) : item.kind === 'task' ? (
          <DescriptionList direction="row">
            <DescriptionListItem label="Task">
              <Text>{`${words(item.type)} · ${words(item.status)} · ${words(item.priority)} priority`}</Text>
            </DescriptionListItem>
            <DescriptionListItem label="About">
              <Records refs={item.associations} portalId={portalId} />
            </DescriptionListItem>
          </DescriptionList>
        ) : (
          <>
            <DescriptionList direction="row">
              <DescriptionListItem label="Outcome">
                <Text>{item.outcome ? words(item.outcome) : 'Not set'}</Text>
              </DescriptionListItem>
              <DescriptionListItem label="Where">
                <Text>{item.location ?? (item.videoUrl ? 'Video call' : 'Not set')}</Text>
              </DescriptionListItem>
              <DescriptionListItem label="With">
                <Records refs={item.associations} portalId={portalId} />
              </DescriptionListItem>
            </DescriptionList>
            {item.description ? <Text testId="summary-description">{item.description}</Text> : null}
            {item.videoUrl ? (
              <Button testId="start-meeting" variant="primary" href={{ url: item.videoUrl, external: true }}>
                Start meeting
              </Button>
            ) : (
              <Text testId="no-video-link">This meeting has no video link.</Text>
            )}
          </>
        )}
        <Button testId="summary-close" size="sm" onClick={onClose}>
          Close
        </Button>
      </Flex>
    </Tile>
  );
}
