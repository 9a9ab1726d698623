import type { WorkspaceTabProps } from '../tabs';
import { ObjectWorkspaceTab } from '../objects/ObjectWorkspaceTab';

/** CS-SRV-1..3: the Services object of the settings on the object-workspace core. */
export function ServicesTab(props: WorkspaceTabProps) {
  return <ObjectWorkspaceTab workspace="services" {...props} />;
}
