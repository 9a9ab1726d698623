import { DateTime } from 'luxon';
import type { WorkspaceDateRange, WorkspaceFilters, WorkspaceViewQuery } from '../../contract/workspace';
import type { ResolvedFilters, TimeRange } from './query';
import { DAY_MS } from './query';

// The built-in views every object workspace has, and how a view's filters become concrete for
// one viewer at one moment.

export const BUILTIN_VIEWS = [
  // CS-CUS-1: the viewed user's records.
  { id: 'owned-by-me', name: 'Owned by me', query: { filters: { owner: 'me' } } },
  // CS-CUS-1: theirs since the CSM property was last set, at most 30 days ago.
  { id: 'assigned-last-30-days', name: 'Assigned in the last 30 days', query: { filters: { owner: 'me', assignedWithinDays: 30 } } },
] as const satisfies readonly { id: string; name: string; query: { filters: BuiltinFilters } }[];

/** Built-in views may also say "assigned within N days", which custom views cannot (yet). */
export type BuiltinFilters = WorkspaceFilters & { assignedWithinDays?: number };

export type BuiltinViewId = (typeof BUILTIN_VIEWS)[number]['id'];

export function builtinView(id: string): (typeof BUILTIN_VIEWS)[number] | undefined {
  return BUILTIN_VIEWS.find((v) => v.id === id);
}

/** The owner value of "me" for a viewer who is no HubSpot owner: no record holds it. */
export const NOT_AN_OWNER = 'not-an-owner';

export type ResolveContext = {
  /** The viewed user's owner id; null when they are not a HubSpot owner. */
  meOwnerId: string | null;
  now: number;
  /** The portal's time zone: date filters are whole days there. */
  timeZone: string;
};

/** An ISO day range as instants: from the start of `from` to the end of `to`, in the time zone. */
export function dayRange(range: WorkspaceDateRange | undefined, timeZone: string): TimeRange | undefined {
  if (!range || (!range.from && !range.to)) return undefined;
  const start = (day: string) => DateTime.fromISO(day, { zone: timeZone }).startOf('day');
  const out: TimeRange = {};
  if (range.from) out.from = start(range.from).toMillis();
  if (range.to) out.to = start(range.to).plus({ days: 1 }).toMillis();
  return out;
}

/**
 * A view's filters for one viewer: "me" is their owner id (a viewer who is not an owner owns
 * nothing: the owner filter then matches no record), "none" means unassigned.
 */
export function resolveFilters(filters: BuiltinFilters, ctx: ResolveContext): ResolvedFilters {
  const out: ResolvedFilters = {};
  if (filters.owner !== undefined) {
    if (filters.owner === 'me') out.owner = ctx.meOwnerId ?? NOT_AN_OWNER;
    else if (filters.owner === 'none') out.owner = null;
    else out.owner = filters.owner;
  }
  const created = dayRange(filters.createDate, ctx.timeZone);
  if (created) out.createdAt = created;
  const activity = dayRange(filters.lastActivity, ctx.timeZone);
  if (activity) out.lastActivityAt = activity;
  if (filters.assignedWithinDays !== undefined) out.assignedAt = { from: ctx.now - filters.assignedWithinDays * DAY_MS };
  if (filters.properties?.length) out.properties = filters.properties;
  return out;
}

/** A request's filters on top of a view's: owner and date ranges replace the view's, property filters add to them. */
export function combineFilters(view: BuiltinFilters, extra: WorkspaceFilters | undefined): BuiltinFilters {
  if (!extra) return view;
  return {
    ...view,
    ...(extra.owner !== undefined ? { owner: extra.owner } : {}),
    ...(extra.createDate ? { createDate: extra.createDate } : {}),
    ...(extra.lastActivity ? { lastActivity: extra.lastActivity } : {}),
    properties: [...(view.properties ?? []), ...(extra.properties ?? [])],
  };
}

export type ViewQuery = WorkspaceViewQuery & { filters: BuiltinFilters };
