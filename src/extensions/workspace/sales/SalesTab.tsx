import { Flex } from '@hubspot/ui-extensions';
import { GuidedActionsSection } from './GuidedActionsSection';
import { TaskPicker } from './TaskPicker';

/** The Sales workspace tab: guided actions (SW-4) and the task picker (SW-1). */
export function SalesTab() {
  return (
    <Flex direction="column" gap="large">
      <GuidedActionsSection />
      <TaskPicker />
    </Flex>
  );
}
