import { Flex } from '@hubspot/ui-extensions';
import type { WorkspaceTabProps } from '../tabs';
import { AlertsList } from './AlertsList';
import { CustomerViewCards } from './CustomerViewCards';
import { HealthSummarySection } from './HealthSummarySection';
import { ReportsSection } from './ReportsSection';
import { TaskSummary } from './TaskSummary';
import { TodaySchedule } from './TodaySchedule';

/**
 * The Customer Success Summary tab: alerts (CS-SUM-1), tasks (CS-SUM-2), customer view cards
 * (CS-SUM-3), today's schedule (CS-SUM-4), health (CS-SUM-5) and reports (CS-SUM-6). Everything is
 * read for the user shown (CS-SUM-7: the shell's view-as picker sets who that is).
 */
export function SummaryTab({ isManager, open }: WorkspaceTabProps) {
  return (
    <Flex direction="column" gap="large">
      <AlertsList />
      <TaskSummary onShowAll={open ? (view) => open('actions', { view }) : undefined} />
      <TodaySchedule />
      <CustomerViewCards onOpenView={open ? (view) => open('customers', { view }) : undefined} />
      <HealthSummarySection isManager={isManager} />
      <ReportsSection />
    </Flex>
  );
}
