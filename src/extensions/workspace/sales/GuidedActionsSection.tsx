import { Flex, Heading, Text, useExtensionContext } from '@hubspot/ui-extensions';
import { useBackend } from '../../api/useBackend';
import { BackendView } from '../../shared/BackendView';
import { GuidedActionList, GuidedActionsHelp } from '../../shared/guided-actions/GuidedActionList';

/** SW-4 on the workspace home: the viewing user's guided actions, filterable by category. */
export function GuidedActionsSection() {
  const context = useExtensionContext();
  // category=all: the counts of every category come from this one request; the filter is local.
  const state = useBackend('/api/v1/guided-actions', { category: 'all' });
  return (
    <Flex direction="column" gap="small">
      <Heading>Guided actions</Heading>
      <GuidedActionsHelp />
      <BackendView
        state={state}
        loading="Loading your guided actions"
        failed="Guided actions could not be loaded"
        retryTestId="retry-guided-actions"
        partial="Some guided actions may be missing"
        partialTestId="guided-actions-partial"
      >
        {(answer) => (
          <>
            {answer.total !== undefined && answer.total > answer.actions.length ? (
              <Text variant="microcopy" testId="guided-actions-truncated">
                {`Showing the ${answer.actions.length} most urgent of ${answer.total} actions.`}
              </Text>
            ) : null}
            <GuidedActionList actions={answer.actions} portalId={context.portal.id} counts={answer.counts} />
          </>
        )}
      </BackendView>
    </Flex>
  );
}
