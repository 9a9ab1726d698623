import { Flex } from '@hubspot/ui-extensions';
import { useBackend } from '../../api/useBackend';
import { MissingScopesNotice } from '../../shared/InstallNotices';
import { GuidedActionsSection } from './GuidedActionsSection';
import { TaskPicker } from './TaskPicker';
import { SalesPreviews } from './SalesPreviews';
import { SequencesSection } from './SequencesSection';
import type { WorkspaceTabProps } from '../tabs';

/**
 * The Sales workspace tab: guided actions (SW-4), the task picker (SW-1), the sequence cards (SW-2). An optional scope the
 * portal declined (leads) is named above them with the feature it would enable.
 */
export function SalesTab({ open }: Partial<WorkspaceTabProps> = {}) {
  const install = useBackend('/api/v1/install');
  return (
    <Flex direction="column" gap="large">
      {install.status === 'success' ? <MissingScopesNotice install={install.data} /> : null}
      <GuidedActionsSection />
      <TaskPicker />
      <SequencesSection open={open} />
      <SalesPreviews open={open} />
    </Flex>
  );
}
