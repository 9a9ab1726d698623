import type { WorkspaceTabProps } from '../tabs';
import { ObjectWorkspaceTab } from '../objects/ObjectWorkspaceTab';

/** CS-REV-1: the revenue objects of the settings (deals, subscriptions…) on the object-workspace core. */
export function RevenueTab(props: WorkspaceTabProps) {
  return <ObjectWorkspaceTab workspace="revenue" {...props} />;
}
