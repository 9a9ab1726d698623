import { EmptyState, Text } from '@hubspot/ui-extensions';
import { PageLink, PageRoutes, createPageRouter } from '@hubspot/ui-extensions/pages';
import { WorkspaceHome } from './WorkspaceHome';

function PageNotFound() {
  return (
    <EmptyState title="This page does not exist" imageName="cone">
      <Text>The link may be old.</Text>
      <PageLink to="/">Go to your workspace</PageLink>
    </EmptyState>
  );
}

/** The app pages: the index route is the workspace home. */
export const WorkspacePages = createPageRouter(
  <PageRoutes>
    <PageRoutes.IndexRoute component={WorkspaceHome} id="home" />
    <PageRoutes.AnyRoute component={PageNotFound} />
  </PageRoutes>,
);
