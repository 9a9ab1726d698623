// HTTP contract of the Customer Success Summary's own reads (today's schedule, reports) and of
// the dashboards (issues 15 and 16). The UI imports only these types.
import type { Freshness, ObjectRef, PartialResult } from './api';

/** One item of today's schedule (CS-SUM-4). */
export type ScheduleItem = {
  kind: 'meeting' | 'task';
  id: string;
  title: string;
  /** When it starts (a meeting) or is due (a task); an all-day task: the start of its day in the user's zone. */
  startsAt: string;
  /** Meetings: when they end, when HubSpot knows. */
  endsAt: string | null;
  allDay: boolean;
  /** Tasks: hs_task_status; meetings: hs_meeting_outcome (null when not set). */
  status: string | null;
  /** Tasks: COMPLETED; meetings: never. */
  done: boolean;
  /** The contacts, companies and deals it is about. */
  associations: ObjectRef[];
};

/** GET /api/v1/summary/schedule — today's meetings and tasks of the user shown, in time order. */
export type TodayScheduleResponse = Freshness &
  PartialResult & {
    /** Today in the user's zone (YYYY-MM-DD). */
    date: string;
    timeZone: string;
    /** The first SCHEDULE_LIMITS.dayPage items of the day. */
    items: ScheduleItem[];
    /** When the day has more: what the Schedule's day view pages through. */
    more?: { tasks: number; meetings: number };
  };

/** The reports of the gallery (CS-SUM-6): each is computed from the portal copy. */
export const REPORT_IDS = [
  'customers-by-health',
  'health-trend-30-days',
  'renewals-by-month',
  'tasks-completed-per-week',
  'activity-per-csm',
  'meetings-per-week',
] as const;
export type ReportId = (typeof REPORT_IDS)[number];

export type ReportChart = 'bar' | 'line';

/** A report as the gallery lists it. */
export type ReportDefinition = { id: ReportId; title: string; description: string; chart: ReportChart };

/** A computed report: rows for BarChart / LineChart, with the axes they are drawn on. */
export type ReportData = ReportDefinition & {
  x: { field: string; label: string; type: 'category' | 'datetime' };
  y: { field: string; label: string };
  rows: Record<string, string | number>[];
  /** A sentence when the report has nothing to show yet (why). */
  empty?: string;
};

/** A link to a report or a dashboard in HubSpot (CrmReport is not offered on app pages). */
export type HubSpotLink = { label: string; url: string };

/** GET /api/v1/summary/reports — the user's chosen reports, computed, and their HubSpot links. */
export type SummaryReportsResponse = Freshness &
  PartialResult & {
    /** Every report the gallery offers. */
    gallery: ReportDefinition[];
    /** The user's choice, in order (at most five). */
    chosen: ReportId[];
    reports: ReportData[];
    hubspotLinks: HubSpotLink[];
  };

/** PUT /api/v1/summary/reports — the user's choice (at most five reports, ten links). */
export type SummaryReportsInput = { chosen: ReportId[]; hubspotLinks: HubSpotLink[] };

/** Who sees a dashboard: everyone in the portal, or the members of chosen teams. */
export type DashboardAccess = { kind: 'everyone' } | { kind: 'teams'; teamIds: string[] };

export type Dashboard = {
  id: string;
  name: string;
  reportIds: ReportId[];
  hubspotLinks: HubSpotLink[];
  access: DashboardAccess;
  createdBy: { userId: number; name: string };
  createdAt: string;
  /** Whether the caller may delete it (its creator, or a manager). */
  deletable: boolean;
};

/** GET /api/v1/dashboards — the dashboards the user shown sees, and the reports a new one can hold. */
export type DashboardsResponse = { dashboards: Dashboard[]; gallery: ReportDefinition[] };

/** GET /api/v1/teams — the teams access can be given to, with their members. */
export type DashboardTeamsResponse = { teams: { id: string; name: string; members: { userId: number; name: string }[] }[] };

/** POST /api/v1/dashboards — `confirmViewAccess` says the adder agreed those users get view access. */
export type DashboardInput = {
  name: string;
  reportIds: ReportId[];
  hubspotLinks: HubSpotLink[];
  access: DashboardAccess;
  confirmViewAccess: boolean;
};

/** POST /api/v1/dashboards (201) — the dashboard created. */
export type DashboardCreatedResponse = { dashboard: Dashboard };

/** GET /api/v1/dashboards/{id} — the dashboard with its reports computed for the user shown. */
export type DashboardResponse = Freshness & PartialResult & { dashboard: Dashboard; reports: ReportData[] };
