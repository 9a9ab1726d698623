import type { ComponentType } from 'react';
import { SummaryTab } from './summary/SummaryTab';
import { SalesTab } from './sales/SalesTab';
import { ActionsTab } from './actions/ActionsTab';
import { CustomersTab } from './customers/CustomersTab';
import { DashboardsTab } from './dashboards/DashboardsTab';
import { ScheduleTab } from './schedule/ScheduleTab';
import { FeedTab } from './feed/FeedTab';
import { ServicesTab } from './services/ServicesTab';
import { RevenueTab } from './revenue/RevenueTab';

/** What every tab is given by the shell. */
export type WorkspaceTabProps = {
  /** Whether the viewing user is a Tiller manager (false until /me answers, and when it fails). */
  isManager: boolean;
  /** Shows another tab, opened with `params` (e.g. the Summary's "show all" opens Actions on a view). */
  open?: (tabId: string, params?: Record<string, string>) => void;
  /** What this tab was opened with by `open` ({} when the user picked the tab). */
  params?: Record<string, string>;
};

export type WorkspaceTab = {
  /** The `Tab`'s id; also names the tab's folder under workspace/. */
  id: string;
  title: string;
  /** Mounted only while the tab is selected: it loads its own data, and only then. */
  Content: ComponentType<WorkspaceTabProps>;
};

/**
 * The workspace's tabs, in order; the first is shown on open. A new tab (the spec's Customers,
 * Services, Revenue, Actions, Schedule, Feed, Dashboards) is one entry here and a folder beside
 * summary/ and sales/.
 */
export const WORKSPACE_TABS = [
  // The Customer Success Summary (CS-SUM-*); it keeps the workspace's name until the other CS tabs exist.
  { id: 'summary', title: 'Customer Success', Content: SummaryTab },
  // CS-CUS-1..3: the customers of the Customer Success settings' object.
  { id: 'customers', title: 'Customers', Content: CustomersTab },
  // CS-SRV-1..3 and CS-REV-1: the same core over the Services and Revenue objects of the settings.
  { id: 'services', title: 'Services', Content: ServicesTab },
  { id: 'revenue', title: 'Revenue', Content: RevenueTab },
  // The Actions tab (CS-ACT-*): tasks in views, filters, bulk actions, the task form.
  { id: 'actions', title: 'Actions', Content: ActionsTab },
  // The Sales workspace (SW-*).
  { id: 'sales', title: 'Sales', Content: SalesTab },
  // CS-SCH-1..2: tasks and meetings by day, week or month.
  { id: 'schedule', title: 'Schedule', Content: ScheduleTab },
  // CS-FEED-1..4: what the contacts of the user's companies just did.
  { id: 'feed', title: 'Feed', Content: FeedTab },
  // CS-DASH-1 / SW-5: dashboards of gallery reports and HubSpot links, shared with everyone or teams.
  { id: 'dashboards', title: 'Dashboards', Content: DashboardsTab },
] as const satisfies readonly WorkspaceTab[];

export type WorkspaceTabId = (typeof WORKSPACE_TABS)[number]['id'];

/** The tab with this id, or undefined for an id that is not one of ours. */
export function workspaceTab(id: string | number): (typeof WORKSPACE_TABS)[number] | undefined {
  return WORKSPACE_TABS.find((tab) => tab.id === id);
}
