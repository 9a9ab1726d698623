import { useState } from 'react';
import { Button, ButtonRow, Checkbox, Flex, Heading, Select, Text, Tile } from '@hubspot/ui-extensions';
import type { ScheduleBrief, ScheduleDayResponse, ScheduleItem, ScheduleResponse, ScheduleViewName } from '../../api/contract';
import { useBackend } from '../../api/useBackend';
import { BackendView } from '../../shared/BackendView';
import type { WorkspaceTabProps } from '../tabs';
import { ItemSummary } from './ItemSummary';
import { dayLabel, monthLabel, timeOf, timeZoneOptions } from './format';

const VIEWS: { id: ScheduleViewName; label: string }[] = [
  { id: 'day', label: 'Day' },
  { id: 'week', label: 'Week' },
  { id: 'month', label: 'Month' },
];

type Line = ScheduleItem | ScheduleBrief;

const itemKey = (item: Line) => (item.kind === 'busy' || item.id === null ? `busy-${item.start}` : `${item.kind}-${item.id}`);

/** A day's lines with a key each (React's and the test id): two busy blocks can start together (two meetings at once). */
function keyed(items: Line[]): { item: Line; key: string }[] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const key = itemKey(item);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return { item, key: n === 0 ? key : `${key}#${n}` };
  });
}

function lineText(item: Line, timeZone: string): string {
  const time = item.kind === 'task' && item.allDay ? 'All day' : timeOf(item.start, timeZone);
  if ('brief' in item) {
    if (item.kind === 'busy') return `${time} – ${timeOf(item.end ?? item.start, timeZone)} · Busy`;
    return `${time} · ${item.kind === 'meeting' ? 'Meeting' : 'Task'}: ${item.title}`;
  }
  // The first record the item is about names it at a glance ("Discovery · Acme Inc").
  const about = item.kind !== 'busy' && item.associations[0] ? ` · ${item.associations[0].label}` : '';
  return item.kind === 'busy'
    ? `${time} – ${timeOf(item.end, timeZone)} · Busy`
    : item.kind === 'meeting'
      ? `${time} · Meeting: ${item.title}${about}`
      : `${time} · Task: ${item.title}${item.status === 'COMPLETED' ? ' (completed)' : ''}${about}`;
}

/** One line of a day: the time and what it is; a click opens its summary (a month's brief: its day, then its summary). */
function ItemLine({ item, lineKey, timeZone, onOpen }: { item: Line; lineKey: string; timeZone: string; onOpen: () => void }) {
  const text = lineText(item, timeZone);
  return (
    <Button testId={`item-${lineKey}`} variant="transparent" size="sm" onClick={onOpen}>
      {text}
    </Button>
  );
}

function Day({
  day,
  timeZone,
  onOpen,
  more,
  onMore,
}: {
  day: ScheduleDayResponse;
  timeZone: string;
  onOpen: (item: Line) => void;
  more: number;
  onMore?: () => void;
}) {
  return (
    <Tile compact>
      <Flex direction="column" gap="extra-small">
        <Text format={{ fontWeight: 'demibold' }} testId={`day-${day.date}`}>
          {day.isToday ? `${dayLabel(day.date)} (today)` : dayLabel(day.date)}
        </Text>
        {day.items.length === 0 ? <Text variant="microcopy">Nothing scheduled.</Text> : null}
        {keyed(day.items).map(({ item, key }) => (
          <ItemLine key={key} lineKey={key} item={item} timeZone={timeZone} onOpen={() => onOpen(item)} />
        ))}
        {more > 0 ? (
          onMore ? (
            <Button testId={`more-${day.date}`} variant="transparent" size="sm" onClick={onMore}>
              {`+${more} more`}
            </Button>
          ) : (
            <Text variant="microcopy" testId={`more-${day.date}`}>{`+${more} more`}</Text>
          )
        ) : null}
      </Flex>
    </Tile>
  );
}

function title(data: ScheduleResponse): string {
  if (data.view === 'month') return monthLabel(data.date);
  if (data.view === 'day') return dayLabel(data.date);
  return `Week of ${dayLabel(data.days[0]?.date ?? data.date)}`;
}

export type ScheduleShow = 'all' | 'meetings' | 'tasks';

const shows = (show: ScheduleShow, item: Line) => show === 'all' || (show === 'tasks' ? item.kind === 'task' : item.kind !== 'task');
const moreOf = (show: ScheduleShow, day: ScheduleDayResponse) =>
  show === 'all' ? day.more.tasks + day.more.meetings : show === 'tasks' ? day.more.tasks : day.more.meetings;

/**
 * The calendar of one answer: the days, and the summary of the item picked. A day lists what the
 * answer carries of it and "+N more" for the rest (`onMore` opens them: the day, or its next page);
 * a month's item (a brief) opens its day with `onOpenDay`, which shows its summary there.
 */
export function ScheduleDays({
  data,
  compact = false,
  show = 'all',
  pick,
  onMore,
  onOpenDay,
}: {
  data: ScheduleResponse;
  compact?: boolean;
  show?: ScheduleShow;
  /** The key of the item whose summary opens with the answer (a month's brief clicked). */
  pick?: string;
  onMore?: (day: ScheduleDayResponse) => void;
  onOpenDay?: (date: string, pick: string) => void;
}) {
  const [picked, setPicked] = useState<{ item: ScheduleItem; date: string } | null>(() => {
    for (const d of data.days) {
      const item = d.items.find((i) => !('brief' in i) && itemKey(i) === pick);
      if (item) return { item: item as ScheduleItem, date: d.date };
    }
    return null;
  });
  const shown = data.days.map((d) => ({ ...d, items: d.items.filter((i) => shows(show, i)) }));
  // A month shows the days that have something; a day or a week shows every day.
  const days = data.view === 'month' ? shown.filter((d) => d.items.length > 0 || moreOf(show, d) > 0) : shown;
  const open = (item: Line, date: string) => {
    if (!('brief' in item)) setPicked({ item, date });
    else onOpenDay?.(date, itemKey(item));
  };
  return (
    <Flex direction="column" gap="small">
      {data.busyOnly ? (
        <Text testId="busy-only">{"You are viewing another user's schedule: their meetings show only as busy time."}</Text>
      ) : null}
      {picked ? <ItemSummary item={picked.item} date={picked.date} timeZone={data.timeZone} onClose={() => setPicked(null)} /> : null}
      {days.length === 0 ? (
        <Text testId="schedule-empty">{compact ? 'Nothing scheduled today.' : 'No meetings or tasks in this period.'}</Text>
      ) : (
        days.map((day) => (
          <Day
            key={day.date}
            day={day}
            timeZone={data.timeZone}
            onOpen={(item) => open(item, day.date)}
            more={moreOf(show, day)}
            onMore={onMore ? () => onMore(day) : undefined}
          />
        ))
      )}
    </Flex>
  );
}

const isView = (v: string | undefined): v is ScheduleViewName => v === 'day' || v === 'week' || v === 'month';
const isShow = (v: string | undefined): v is ScheduleShow => v === 'all' || v === 'meetings' || v === 'tasks';

/**
 * CS-SCH-1..2: tasks and meetings by day, week or month, in a chosen time zone. Opened by another
 * tab with `view` and `show` (the Sales tab's insights drill down into the week's meetings or tasks).
 */
export function ScheduleTab({ params }: Partial<WorkspaceTabProps> = {}) {
  const [view, setViewState] = useState<ScheduleViewName>(isView(params?.view) ? params.view : 'week');
  const [show, setShow] = useState<ScheduleShow>(isShow(params?.show) ? params.show : 'all');
  const [date, setDateState] = useState<string | undefined>(params?.date);
  const [offset, setOffset] = useState(0);
  const [pick, setPick] = useState<string | undefined>(undefined);
  const [timeZone, setTimeZone] = useState<string | undefined>(undefined);
  const [hideWeekends, setHideWeekends] = useState(false);
  const setView = (v: ScheduleViewName) => {
    setViewState(v);
    setOffset(0);
    setPick(undefined);
  };
  const setDate = (d: string | undefined) => {
    setDateState(d);
    setOffset(0);
    setPick(undefined);
  };
  /** A day's "+N more" or a month's item: that day, from its first item (and that item's summary). */
  const openDay = (d: string, item?: string) => {
    setView('day');
    setDateState(d);
    setPick(item);
  };
  const schedule = useBackend('/api/v1/schedule', {
    view,
    date,
    timeZone,
    hideWeekends: view === 'day' ? undefined : hideWeekends,
    offset: view === 'day' && offset > 0 ? offset : undefined,
  });
  const data = schedule.status === 'success' ? schedule.data : undefined;
  const zone = timeZone ?? data?.timeZone;

  return (
    <Flex direction="column" gap="medium">
      <Flex direction="row" gap="small" wrap="wrap" align="end">
        <ButtonRow>
          {VIEWS.map((v) => (
            <Button key={v.id} testId={`view-${v.id}`} variant={v.id === view ? 'primary' : 'secondary'} onClick={() => setView(v.id)}>
              {v.label}
            </Button>
          ))}
        </ButtonRow>
        <ButtonRow>
          <Button testId="previous" disabled={!data} onClick={() => data && setDate(data.previous)}>
            Previous
          </Button>
          <Button testId="today" onClick={() => setDate(undefined)}>
            Today
          </Button>
          <Button testId="next" disabled={!data} onClick={() => data && setDate(data.next)}>
            Next
          </Button>
        </ButtonRow>
        <Select
          label="Time zone"
          name="timeZone"
          testId="time-zone"
          value={zone ?? ''}
          options={timeZoneOptions([data?.userTimeZone ?? '', zone ?? ''])}
          onChange={(v) => setTimeZone(v ? String(v) : undefined)}
        />
        <Select
          label="Show"
          name="show"
          testId="show"
          value={show}
          options={[
            { label: 'Meetings and tasks', value: 'all' },
            { label: 'Meetings', value: 'meetings' },
            { label: 'Tasks', value: 'tasks' },
          ]}
          onChange={(v) => setShow(isShow(String(v)) ? (String(v) as ScheduleShow) : 'all')}
        />
        {view !== 'day' ? (
          <Checkbox name="hideWeekends" testId="hide-weekends" checked={hideWeekends} onChange={(on) => setHideWeekends(on)}>
            Hide weekends
          </Checkbox>
        ) : null}
      </Flex>
      <BackendView
        state={schedule}
        loading="Loading your schedule"
        failed="Your schedule could not be loaded"
        retryTestId="retry-schedule"
        partial="Your schedule may be incomplete"
      >
        {(answer) => (
          <Flex direction="column" gap="small">
            <Heading testId="schedule-title">{title(answer)}</Heading>
            <Text variant="microcopy" testId="schedule-counts">
              {`${answer.counts.meetings} meetings, ${answer.counts.tasks} tasks · times in ${answer.timeZone} · data as of ${timeOf(answer.dataAsOf, answer.timeZone)}`}
            </Text>
            <ScheduleDays
              key={`${answer.view}-${answer.date}-${answer.offset}-${pick ?? ''}`}
              data={answer}
              show={show}
              pick={pick}
              onOpenDay={openDay}
              onMore={(day) => (answer.view === 'day' ? setOffset(answer.offset + answer.pageSize) : openDay(day.date))}
            />
            {answer.view === 'day' && answer.offset > 0 ? (
              <Button testId="earlier-items" size="sm" onClick={() => setOffset(Math.max(0, answer.offset - answer.pageSize))}>
                Earlier items
              </Button>
            ) : null}
          </Flex>
        )}
      </BackendView>
    </Flex>
  );
}
