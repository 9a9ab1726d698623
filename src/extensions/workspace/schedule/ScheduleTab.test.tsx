import { afterEach, describe, expect, it, vi } from 'vitest';
import { Button, Checkbox, ErrorState, LoadingSpinner, Select, Text, hubspot } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import type { ScheduleResponse } from '../../api/contract';
import { ORIGIN, backendAnswering, callsOf, json } from '../../shared/testing/fixtures';
import { ScheduleTab } from './ScheduleTab';

function week(overrides: Partial<ScheduleResponse> = {}): ScheduleResponse {
  const day = (date: string, weekday: number, items: ScheduleResponse['days'][number]['items'] = []) => ({
    date,
    weekday,
    start: `${date}T04:00:00.000Z`,
    end: `${date}T04:00:00.000Z`,
    isToday: date === '2026-03-10',
    more: { tasks: 0, meetings: 0 },
    items,
  });
  return {
    view: 'week',
    timeZone: 'America/New_York',
    userTimeZone: 'America/New_York',
    date: '2026-03-10',
    previous: '2026-03-02',
    next: '2026-03-16',
    today: '2026-03-10',
    start: '2026-03-09T04:00:00.000Z',
    end: '2026-03-16T04:00:00.000Z',
    hideWeekends: false,
    busyOnly: false,
    offset: 0,
    pageSize: 12,
    dataAsOf: '2026-03-10T14:59:30.000Z',
    counts: { meetings: 1, tasks: 1 },
    days: [
      day('2026-03-09', 1),
      day('2026-03-10', 2, [
        {
          kind: 'meeting',
          id: '11',
          title: 'Discovery with Acme',
          start: '2026-03-10T17:00:00.000Z',
          end: '2026-03-10T17:30:00.000Z',
          outcome: 'SCHEDULED',
          location: null,
          videoUrl: 'https://zoom.us/j/123',
          description: 'Agenda: pricing',
          associations: [{ objectType: 'contacts', objectId: '21', label: 'Ann Acme' }],
        },
        {
          kind: 'task',
          id: '1',
          title: 'Late call',
          start: '2026-03-11T03:30:00.000Z',
          allDay: false,
          status: 'NOT_STARTED',
          priority: 'HIGH',
          type: 'CALL',
          associations: [],
        },
      ]),
    ],
    ...overrides,
  };
}

function renderTab(params?: Record<string, string>) {
  const renderer = createRenderer('pages');
  renderer.mocks.context.variables = { BACKEND_ORIGIN: ORIGIN };
  renderer.render(<ScheduleTab isManager={false} params={params} />);
  return renderer;
}

afterEach(() => vi.restoreAllMocks());

describe('Schedule tab', () => {
  it("shows this week's days and items in the schedule's zone, and an item's summary with 'start meeting'", async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/schedule': week() }));
    const r = renderTab();
    expect(r.maybeFind(LoadingSpinner)).not.toBeNull();
    await r.waitFor(() => expect(r.findByTestId(Button, 'item-meeting-11').text).toBe('1:00 PM · Meeting: Discovery with Acme · Ann Acme'));
    // 03:30 UTC on Wednesday is 11:30 PM on Tuesday in New York.
    expect(r.findByTestId(Button, 'item-task-1').text).toBe('11:30 PM · Task: Late call');
    expect(r.findByTestId(Text, 'day-2026-03-10').text).toBe('Tue, Mar 10 (today)');
    expect(r.findByTestId(Text, 'schedule-counts').text).toMatch(/^1 meetings, 1 tasks · times in America\/New_York/);
    expect(callsOf(fetch)[0]?.query).toMatchObject({ view: 'week', hideWeekends: 'false' });

    r.findByTestId(Button, 'item-meeting-11').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'summary-when').text).toBe('Tue, Mar 10, 1:00 PM – 1:30 PM'));
    expect(r.findByTestId(Text, 'summary-description').text).toBe('Agenda: pricing');
    expect(r.findByTestId(Button, 'start-meeting').props.href).toEqual({ url: 'https://zoom.us/j/123', external: true });
    r.findByTestId(Button, 'summary-close').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Button, 'start-meeting')).toBeNull());

    r.findByTestId(Button, 'item-task-1').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'summary-when').text).toBe('Tue, Mar 10, 11:30 PM'));
    expect(r.maybeFindByTestId(Button, 'start-meeting')).toBeNull();
  });

  it('asks for the next and previous range, another view, another zone and weekends hidden', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/schedule': week() }));
    const r = renderTab();
    await r.waitFor(() => expect(r.findByTestId(Button, 'next').props.disabled).toBe(false));
    r.findByTestId(Button, 'next').trigger('onClick');
    await r.waitFor(() => expect(callsOf(fetch).some((c) => c.query.date === '2026-03-16')).toBe(true));
    await r.waitFor(() => expect(r.findByTestId(Button, 'previous').props.disabled).toBe(false));
    r.findByTestId(Button, 'previous').trigger('onClick');
    await r.waitFor(() => expect(callsOf(fetch).some((c) => c.query.date === '2026-03-02')).toBe(true));
    r.findByTestId(Button, 'view-month').trigger('onClick');
    r.findByTestId(Checkbox, 'hide-weekends').trigger('onChange', true as never);
    r.findByTestId(Select, 'time-zone').trigger('onChange', 'Asia/Tokyo' as never);
    await r.waitFor(() =>
      expect(callsOf(fetch).pop()?.query).toMatchObject({
        view: 'month',
        hideWeekends: 'true',
        timeZone: 'Asia/Tokyo',
        date: '2026-03-02',
      }),
    );
    r.findByTestId(Button, 'view-day').trigger('onClick');
    await r.waitFor(() => expect(r.maybeFindByTestId(Checkbox, 'hide-weekends')).toBeNull());
    await r.waitFor(() => expect(callsOf(fetch).pop()?.query.view).toBe('day'));
    expect(callsOf(fetch).pop()?.query.hideWeekends).toBeUndefined();
  });

  /** Tuesday, March 10 (today), seen by a manager as another user's busy time. */
  const busyTuesday = (items: { kind: 'busy'; start: string; end: string }[]) => ({
    date: '2026-03-10',
    weekday: 2,
    start: '2026-03-10T04:00:00.000Z',
    end: '2026-03-11T04:00:00.000Z',
    isToday: true,
    more: { tasks: 0, meetings: 0 },
    items,
  });

  it("says when it shows another user's meetings as busy time, and what a busy block is", async () => {
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/schedule': week({
          busyOnly: true,
          days: [busyTuesday([{ kind: 'busy', start: '2026-03-10T17:00:00.000Z', end: '2026-03-10T17:30:00.000Z' }])],
        }),
      }),
    );
    const r = renderTab();
    await r.waitFor(() => expect(r.findByTestId(Text, 'busy-only')).toBeTruthy());
    const block = r.findByTestId(Button, 'item-busy-2026-03-10T17:00:00.000Z');
    expect(block.text).toBe('1:00 PM – 1:30 PM · Busy');
    block.trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'summary-when').text).toBe('Tue, Mar 10, 1:00 PM – 1:30 PM'));
    expect(r.maybeFindByTestId(Button, 'start-meeting')).toBeNull();
  });

  it('shows two busy blocks that start together (two meetings at once), each its own line', async () => {
    const errors = vi.spyOn(console, 'error');
    const at = { start: '2026-03-10T17:00:00.000Z' };
    vi.spyOn(hubspot, 'fetch').mockImplementation(
      backendAnswering({
        '/api/v1/schedule': week({
          busyOnly: true,
          days: [
            busyTuesday([
              { kind: 'busy', ...at, end: '2026-03-10T17:30:00.000Z' },
              { kind: 'busy', ...at, end: '2026-03-10T18:00:00.000Z' },
            ]),
          ],
        }),
      }),
    );
    const r = renderTab();
    await r.waitFor(() => expect(r.findByTestId(Text, 'busy-only')).toBeTruthy());
    expect(r.findByTestId(Button, 'item-busy-2026-03-10T17:00:00.000Z').text).toBe('1:00 PM – 1:30 PM · Busy');
    expect(r.findByTestId(Button, 'item-busy-2026-03-10T17:00:00.000Z#1').text).toBe('1:00 PM – 2:00 PM · Busy');
    // React warns (console.error) when two children of a list share a key.
    expect(errors.mock.calls.filter((c) => String(c[0]).includes('same key'))).toEqual([]);
  });

  it("opens on the view and kind of item another tab asked for (the Sales tab's drill-down), and switches back to everything", async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/schedule': week() }));
    const r = renderTab({ view: 'day', show: 'tasks' });
    await r.waitFor(() => expect(r.findByTestId(Button, 'item-task-1')).toBeTruthy());
    expect(r.maybeFindByTestId(Button, 'item-meeting-11')).toBeNull();
    expect(callsOf(fetch)[0]?.query.view).toBe('day');
    r.findByTestId(Select, 'show').trigger('onChange', 'all' as never);
    await r.waitFor(() => expect(r.findByTestId(Button, 'item-meeting-11')).toBeTruthy());
  });

  // A big book: Tuesday has 300 items; the month carries 8 briefs of it, the day pages of 50.
  function bigBook(url: URL): ScheduleResponse {
    const view = url.searchParams.get('view');
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const tuesday = week().days[1]!;
    if (view === 'month') {
      return week({
        view: 'month',
        pageSize: 8,
        counts: { meetings: 150, tasks: 150 },
        days: [
          {
            ...tuesday,
            items: [
              {
                brief: true,
                kind: 'meeting',
                id: '11',
                title: 'Discovery with Acme',
                start: '2026-03-10T17:00:00.000Z',
                end: '2026-03-10T17:30:00.000Z',
                allDay: false,
              },
              { brief: true, kind: 'task', id: '1', title: 'Late call', start: '2026-03-11T03:30:00.000Z', end: null, allDay: false },
            ],
            more: { tasks: 149, meetings: 149 },
          },
        ],
      });
    }
    if (view === 'day') {
      const rest = Math.max(0, 300 - offset - 50);
      return week({ view: 'day', offset, pageSize: 50, days: [{ ...tuesday, more: { tasks: rest / 2, meetings: rest / 2 } }] });
    }
    return week();
  }

  it('shows a month\'s day with "+N more" that opens the day, and a brief item that opens the day with its summary', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/schedule': bigBook }));
    const r = renderTab({ view: 'month' });
    await r.waitFor(() => expect(r.findByTestId(Button, 'more-2026-03-10').text).toBe('+298 more'));
    expect(r.findByTestId(Button, 'item-meeting-11').text).toBe('1:00 PM · Meeting: Discovery with Acme');
    expect(r.findByTestId(Button, 'item-task-1').text).toBe('11:30 PM · Task: Late call');

    r.findByTestId(Button, 'more-2026-03-10').trigger('onClick');
    await r.waitFor(() => expect(callsOf(fetch).pop()?.query).toMatchObject({ view: 'day', date: '2026-03-10' }));
    await r.waitFor(() => expect(r.findByTestId(Button, 'more-2026-03-10').text).toBe('+250 more'));
    expect(r.maybeFindByTestId(Button, 'start-meeting')).toBeNull();

    r.findByTestId(Button, 'view-month').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Button, 'more-2026-03-10').text).toBe('+298 more'));
    r.findByTestId(Button, 'item-meeting-11').trigger('onClick');
    await r.waitFor(() =>
      expect(r.findByTestId(Button, 'start-meeting').props.href).toEqual({ url: 'https://zoom.us/j/123', external: true }),
    );
    expect(callsOf(fetch).pop()?.query).toMatchObject({ view: 'day', date: '2026-03-10' });
    expect(r.findByTestId(Text, 'summary-when').text).toBe('Tue, Mar 10, 1:00 PM – 1:30 PM');
  });

  it('pages through a long day: "+N more" asks for the next 50, "Earlier items" goes back', async () => {
    const fetch = vi.spyOn(hubspot, 'fetch').mockImplementation(backendAnswering({ '/api/v1/schedule': bigBook }));
    const r = renderTab({ view: 'day' });
    await r.waitFor(() => expect(r.findByTestId(Button, 'more-2026-03-10').text).toBe('+250 more'));
    expect(callsOf(fetch).pop()?.query.offset).toBeUndefined();
    expect(r.maybeFindByTestId(Button, 'earlier-items')).toBeNull();
    r.findByTestId(Button, 'more-2026-03-10').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Button, 'more-2026-03-10').text).toBe('+200 more'));
    expect(callsOf(fetch).pop()?.query).toMatchObject({ view: 'day', offset: '50' });
    r.findByTestId(Button, 'earlier-items').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Button, 'more-2026-03-10').text).toBe('+250 more'));
    expect(r.maybeFindByTestId(Button, 'earlier-items')).toBeNull();
  });

  it('says plainly when the schedule could not be loaded, and tries again', async () => {
    const fetch = vi
      .spyOn(hubspot, 'fetch')
      .mockImplementation(async () => json({ error: { code: 'UNAVAILABLE', message: 'Tiller is briefly unavailable.' } }, 503));
    const r = renderTab();
    await r.waitFor(() => expect(r.find(ErrorState).props.title).toBe('Your schedule could not be loaded'));
    fetch.mockImplementation(backendAnswering({ '/api/v1/schedule': week({ days: [], counts: { meetings: 0, tasks: 0 } }) }));
    r.findByTestId(Button, 'retry-schedule').trigger('onClick');
    await r.waitFor(() => expect(r.findByTestId(Text, 'schedule-empty').text).toBe('No meetings or tasks in this period.'));
  });
});
