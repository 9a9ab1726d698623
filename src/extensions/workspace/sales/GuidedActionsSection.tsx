import { Flex, Heading, Text, useExtensionContext } from '@hubspot/ui-extensions';
import type { GuidedActionsResponse } from '../../api/contract';
import { useBackend } from '../../api/useBackend';
import { LoadFailed, Loading, PartialNotice } from '../../shared/BackendView';
import { GUIDED_ACTIONS_PATH, GuidedActionList, GuidedActionsHelp } from '../../shared/guided-actions/GuidedActionList';

/** SW-4 on the workspace home: the viewing user's guided actions, filterable by category. */
export function GuidedActionsSection() {
  const context = useExtensionContext();
  // category=all: the counts of every category come from this one request; the filter is local.
  const state = useBackend<GuidedActionsResponse>(GUIDED_ACTIONS_PATH, { category: 'all' });
  let body;
  if (state.status === 'loading') body = <Loading label="Loading your guided actions" />;
  else if (state.status === 'error') {
    body = <LoadFailed title="Guided actions could not be loaded" error={state.error} onRetry={state.reload} testId="retry-guided-actions" />;
  } else {
    body = (
      <>
        <PartialNotice result={state.data} title="Some guided actions may be missing" testId="guided-actions-partial" />
        {state.data.total !== undefined && state.data.total > state.data.actions.length ? (
          <Text variant="microcopy" testId="guided-actions-truncated">
            {`Showing the ${state.data.actions.length} most urgent of ${state.data.total} actions.`}
          </Text>
        ) : null}
        <GuidedActionList actions={state.data.actions} portalId={context.portal.id} counts={state.data.counts} />
      </>
    );
  }
  return (
    <Flex direction="column" gap="small">
      <Heading>Guided actions</Heading>
      <GuidedActionsHelp />
      {body}
    </Flex>
  );
}
