import type { WorkspaceTabProps } from '../tabs';
import { ObjectWorkspaceTab } from '../objects/ObjectWorkspaceTab';

/** CS-CUS-1..3: the customer object of the settings on the object-workspace core. */
export function CustomersTab(props: WorkspaceTabProps) {
  return <ObjectWorkspaceTab workspace="customers" {...props} />;
}
