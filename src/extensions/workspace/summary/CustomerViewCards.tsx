import { Button, EmptyState, Flex, Heading, Statistics, StatisticsItem, Text, Tile } from '@hubspot/ui-extensions';
import type { WorkspaceView } from '../../api/contract';
import { useBackend } from '../../api/useBackend';
import { BackendView } from '../../shared/BackendView';

/** The portal's default views, in the managers' order (at most six). */
export function defaultViews(views: readonly WorkspaceView[]): (WorkspaceView & { default: NonNullable<WorkspaceView['default']> })[] {
  return views
    .filter((v): v is WorkspaceView & { default: NonNullable<WorkspaceView['default']> } => v.default !== undefined)
    .sort((a, b) => a.default.position - b.default.position);
}

/**
 * CS-SUM-3: one card per default Customers view (managers choose and order them), with the number
 * of customers it holds for the user shown and a link that opens the Customers tab on that view.
 */
export function CustomerViewCards({ onOpenView }: { onOpenView?: (viewId: string) => void }) {
  const views = useBackend('/api/v1/workspace/customers/views');
  return (
    <Flex direction="column" gap="small" testId="customer-view-cards">
      <Heading>Customer views</Heading>
      <BackendView
        state={views}
        loading="Loading your customer views"
        failed="Your customer views could not be loaded"
        retryTestId="retry-view-cards"
        isEmpty={(answer) => defaultViews(answer.views).length === 0}
        empty={
          <EmptyState title="No default views" imageName="building" layout="horizontal" testId="view-cards-empty">
            <Text>Your managers have not chosen any default customer views. They can mark views as defaults on the Customers tab.</Text>
          </EmptyState>
        }
      >
        {(answer) => (
          <Flex direction="column" gap="extra-small">
            {answer.syncing ? (
              <Text
                variant="microcopy"
                testId="view-cards-syncing"
              >{`Counts grow while Tiller copies your portal (${answer.syncing.percent}% so far).`}</Text>
            ) : null}
            <Flex direction="row" gap="small" wrap="wrap">
              {defaultViews(answer.views).map((view) => (
                <Tile key={view.id} compact testId={`view-card-${view.id}`}>
                  <Flex direction="column" gap="extra-small">
                    <Statistics>
                      <StatisticsItem id={view.id} label={view.name} number={view.count}>
                        <Text variant="microcopy">{view.default.description}</Text>
                      </StatisticsItem>
                    </Statistics>
                    {onOpenView ? (
                      <Button size="sm" variant="transparent" testId={`open-view-${view.id}`} onClick={() => onOpenView(view.id)}>
                        {`Open ${view.name}`}
                      </Button>
                    ) : null}
                  </Flex>
                </Tile>
              ))}
            </Flex>
          </Flex>
        )}
      </BackendView>
    </Flex>
  );
}
