import { Flex } from '@hubspot/ui-extensions';
import type { WorkspaceTabProps } from '../tabs';
import { AlertsList } from './AlertsList';
import { HealthSummarySection } from './HealthSummarySection';
import { TaskSummary } from './TaskSummary';

/** The Customer Success Summary tab: alerts (CS-SUM-1), tasks (CS-SUM-2) and health (CS-SUM-5). */
export function SummaryTab({ isManager }: WorkspaceTabProps) {
  return (
    <Flex direction="column" gap="large">
      <AlertsList />
      <TaskSummary />
      <HealthSummarySection isManager={isManager} />
    </Flex>
  );
}
