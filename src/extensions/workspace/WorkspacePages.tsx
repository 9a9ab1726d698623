import { EmptyState, Text } from '@hubspot/ui-extensions';
import { PageLink, PageRoutes, createPageRouter } from '@hubspot/ui-extensions/pages';
import { WorkspaceHome } from './WorkspaceHome';
import { HealthCustomersPage } from './summary/HealthCustomersPage';
import { CUSTOMERS_ROUTE } from './summary/HealthSummarySection';

function PageNotFound() {
  return (
    <EmptyState title="This page does not exist" imageName="cone">
      <Text>The link may be old.</Text>
      <PageLink to="/">Go to your workspace</PageLink>
    </EmptyState>
  );
}

/** The app pages: the index route is the workspace home; /customers is the health drill-down. */
export const WorkspacePages = createPageRouter(
  <PageRoutes>
    <PageRoutes.IndexRoute component={WorkspaceHome} id="home" />
    <PageRoutes.Route path={CUSTOMERS_ROUTE} component={HealthCustomersPage} id="customers" />
    <PageRoutes.AnyRoute component={PageNotFound} />
  </PageRoutes>,
);
