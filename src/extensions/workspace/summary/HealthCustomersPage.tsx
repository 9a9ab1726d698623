import {
  EmptyState,
  Flex,
  Heading,
  Link,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
  useExtensionContext,
} from '@hubspot/ui-extensions';
import { PageLink, usePageRoute } from '@hubspot/ui-extensions/pages';
import type { HealthCategory, HealthCustomersResponse } from '../../api/contract';
import { ViewAsProvider, usePagedBackend, type PagedBackendState } from '../../api/useBackend';
import { recordUrl } from '../../shared/recordUrl';
import { BackendView, LoadMore } from '../../shared/BackendView';
import { HEALTH_CATEGORY_LABELS, HEALTH_CATEGORY_ORDER, HEALTH_CATEGORY_TAGS, formatDate } from '../../shared/health/labels';

function isCategory(value: string | undefined): value is HealthCategory {
  return HEALTH_CATEGORY_ORDER.includes(value as HealthCategory);
}

function CustomerTable({ pages, list }: { pages: HealthCustomersResponse[]; list: PagedBackendState<HealthCustomersResponse> }) {
  const context = useExtensionContext();
  const customers = pages.flatMap((page) => page.customers);
  return (
    <>
      <Table bordered testId="customers-table">
        <TableHead>
          <TableRow>
            <TableHeader>Customer</TableHeader>
            <TableHeader>Score</TableHeader>
            <TableHeader>Category</TableHeader>
            <TableHeader>Scored</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {customers.map((customer) => {
            const href = recordUrl(context.portal.id, customer);
            return (
              <TableRow key={`${customer.objectType}-${customer.objectId}`}>
                <TableCell>{href ? <Link href={href}>{customer.label}</Link> : customer.label}</TableCell>
                <TableCell>{customer.score}</TableCell>
                <TableCell>
                  <StatusTag variant={HEALTH_CATEGORY_TAGS[customer.category]}>{HEALTH_CATEGORY_LABELS[customer.category]}</StatusTag>
                </TableCell>
                <TableCell>{formatDate(customer.computedAt, context.portal.timezone)}</TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <LoadMore list={list} what="customers" testId="customers-more" />
    </>
  );
}

function CustomerList({ category, profileId, scope }: { category: HealthCategory; profileId?: string; scope?: string }) {
  const list = usePagedBackend('/api/v1/health/customers', { profileId, category, scope });
  return (
    <BackendView
      state={list.state}
      loading="Loading customers"
      failed="Customers could not be loaded"
      partial="Some customers may be missing"
      isEmpty={(pages) => pages.every((page) => page.customers.length === 0)}
      empty={
        <EmptyState
          title={`No customers ${HEALTH_CATEGORY_LABELS[category].toLowerCase()}`}
          imageName="customerExperience"
          testId="customers-empty"
        >
          <Text>No customer is in this category right now.</Text>
        </EmptyState>
      }
    >
      {(pages) => <CustomerTable pages={pages} list={list} />}
    </BackendView>
  );
}

/** The drill-down behind a health summary count: the customers of one category (route /customers). */
export function HealthCustomersPage() {
  const { params } = usePageRoute();
  const category = params.category;
  const asUserId = params.asUserId && /^\d+$/.test(params.asUserId) ? Number(params.asUserId) : null;
  return (
    <Flex direction="column" gap="medium">
      <PageLink to="/">Back to your workspace</PageLink>
      {isCategory(category) ? (
        <>
          <Heading>{`Customers ${HEALTH_CATEGORY_LABELS[category].toLowerCase()}`}</Heading>
          <ViewAsProvider value={asUserId}>
            <CustomerList category={category} profileId={params.profileId} scope={params.scope === 'portal' ? 'portal' : undefined} />
          </ViewAsProvider>
        </>
      ) : (
        <EmptyState title="Pick a category" imageName="customerExperience">
          <Text>Open this list from a count on the health summary.</Text>
        </EmptyState>
      )}
    </Flex>
  );
}
