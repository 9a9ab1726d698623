import { afterEach, describe, expect, it, vi } from 'vitest';
import { Button, ErrorState, StatisticsItem, Text, hubspot } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { FeedResponse, ScheduleResponse } from '../../api/contract';
import { ORIGIN, backendAnswering, json } from '../../shared/testing/fixtures';
import { SalesPreviews } from './SalesPreviews';

const schedule = (view: 'day' | 'week', busyOnly = false): ScheduleResponse => ({
  view,
  timeZone: 'Europe/Paris',
  userTimeZone: 'Europe/Paris',
  date: '2026-03-10',
  previous: '2026-03-09',
  next: '2026-03-11',
  today: '2026-03-10',
  start: '2026-03-09T23:00:00.000Z',
  end: '2026-03-10T23:00:00.000Z',
  hideWeekends: false,
  busyOnly,
  offset: 0,
  pageSize: 12,
  dataAsOf: '2026-03-10T10:00:00.000Z',
  counts: view === 'day' ? { meetings: 1, tasks: 0 } : { meetings: 7, tasks: 12 },
  days: [
    {
      date: '2026-03-10',
      weekday: 2,
      start: '2026-03-09T23:00:00.000Z',
      end: '2026-03-10T23:00:00.000Z',
      isToday: true,
      more: { tasks: 0, meetings: 0 },
      items: busyOnly
        ? [{ kind: 'busy', start: '2026-03-10T09:00:00.000Z', end: '2026-03-10T10:00:00.000Z' }]
        : [
            {
              kind: 'meeting',
              id: '11',
              title: 'QBR',
              start: '2026-03-10T09:00:00.000Z',
              end: '2026-03-10T10:00:00.000Z',
              outcome: null,
              location: null,
              videoUrl: null,
              description: null,
              associations: [],
            },
          ],
    },
  ],
});

const feed: FeedResponse = {
  items: [
    {
      id: 'call:3',
      type: 'call',
      occurredAt: '2026-03-10T08:00:00.000Z',
      title: 'Ann Lee called',
      detail: null,
      contact: { objectType: 'contacts', objectId: '1', label: 'Ann Lee' },
      company: { objectType: 'companies', objectId: '2', label: 'Acme Inc' },
      inSequence: false,
    },
  ],
  total: 1,
  contacts: 4,
  dataAsOf: '2026-03-10T10:00:00.000Z',
};

function render(open = vi.fn()) {
  const renderer = createRenderer('pages');
  renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
  renderer.render(<SalesPreviews open={open} />);
  return { renderer, open };
}

afterEach(() => vi.restoreAllMocks());

describe('Sales tab previews (SW-3)', () => {
  it("shows today's schedule, this week's numbers and the newest feed items, each opening its tab", async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/schedule': (url: URL) => schedule(url.searchParams.get('view') === 'day' ? 'day' : 'week'),
        '/api/v1/feed': feed,
      }),
    );
    const { renderer: r, open } = render();
    await r.waitFor(() => expect(r.findByTestId(Button, 'item-meeting-11').text).toBe('10:00 AM · Meeting: QBR'));
    await r.waitFor(() =>
      expect(r.findAll(StatisticsItem).map((s) => [s.props.label, s.props.number])).toEqual([
        ['Meetings', '7'],
        ['Tasks', '12'],
      ]),
    );
    await r.waitFor(() => expect(r.findByTestId(Text, 'feed-preview-call:3').text).toBe('Ann Lee called · Acme Inc'));
    r.findByTestId(Button, 'drill-meetings').trigger('onClick');
    expect(open).toHaveBeenLastCalledWith('schedule', { view: 'week', show: 'meetings' });
    r.findByTestId(Button, 'drill-tasks').trigger('onClick');
    expect(open).toHaveBeenLastCalledWith('schedule', { view: 'week', show: 'tasks' });
    r.findByTestId(Button, 'open-feed').trigger('onClick');
    expect(open).toHaveBeenLastCalledWith('feed');
  });

  it('shows how many more items today has than the preview carries, opening the day in the schedule', async () => {
    const day = schedule('day');
    day.days[0]!.more = { tasks: 40, meetings: 9 };
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/schedule': (url: URL) => (url.searchParams.get('view') === 'day' ? day : schedule('week')),
        '/api/v1/feed': feed,
      }),
    );
    const { renderer: r, open } = render();
    await r.waitFor(() => expect(r.findByTestId(Button, 'more-2026-03-10').text).toBe('+49 more'));
    r.findByTestId(Button, 'more-2026-03-10').trigger('onClick');
    expect(open).toHaveBeenLastCalledWith('schedule', { view: 'day', date: '2026-03-10' });
  });

  it("shows a manager viewing as a rep that rep's meetings as busy time only", async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/schedule': (url: URL) => schedule(url.searchParams.get('view') === 'day' ? 'day' : 'week', true),
        '/api/v1/feed': feed,
      }),
    );
    const { renderer: r } = render();
    await r.waitFor(() => expect(r.findByTestId(Button, 'item-busy-2026-03-10T09:00:00.000Z').text).toBe('10:00 AM – 11:00 AM · Busy'));
    expect(r.findByTestId(Text, 'busy-only')).toBeTruthy();
  });

  it('says which part could not be loaded and keeps the others', async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/schedule': (url: URL) => schedule(url.searchParams.get('view') === 'day' ? 'day' : 'week'),
        '/api/v1/feed': json({ error: { code: 'INTERNAL', message: 'Something went wrong in Tiller.' } }, 500),
      }),
    );
    const { renderer: r } = render();
    await r.waitFor(() => expect(r.find(ErrorState).props.title).toBe('Your feed could not be loaded'));
    expect(r.findByTestId(Button, 'item-meeting-11')).toBeTruthy();
  });
});
