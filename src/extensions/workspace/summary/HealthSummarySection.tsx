import { useState } from 'react';
import {
  BarChart,
  EmptyState,
  Flex,
  Heading,
  LineChart,
  ScoreCircle,
  Select,
  Statistics,
  StatisticsItem,
  Text,
} from '@hubspot/ui-extensions';
import { PageLink } from '@hubspot/ui-extensions/pages';
import type { HealthSummaryResponse } from '../../api/contract';
import { useBackend, useViewAs } from '../../api/useBackend';
import { BackendView } from '../../shared/BackendView';
import { HEALTH_CATEGORY_LABELS, HEALTH_CATEGORY_ORDER } from '../../shared/health/labels';

export type HealthScope = 'mine' | 'portal';

export const CUSTOMERS_ROUTE = '/customers';

/** Route params of the drill-down list behind a summary count (strings only: they travel in the page URL). */
export function drillDownParams(input: {
  category: string;
  profileId: string;
  scope: HealthScope;
  asUserId: number | null;
}): Record<string, string> {
  const params: Record<string, string> = { category: input.category, profileId: input.profileId };
  if (input.scope === 'portal') params.scope = 'portal';
  if (input.asUserId !== null) params.asUserId = String(input.asUserId);
  return params;
}

function NoScores({ scope }: { scope: HealthScope }) {
  return (
    <EmptyState title="No scored customers yet" imageName="customerExperience" layout="horizontal" testId="health-empty">
      <Text>
        {scope === 'portal'
          ? 'No customer in this portal has a health score under this profile yet.'
          : 'None of your customers has a health score under this profile yet. Scores appear after the next scoring run.'}
      </Text>
    </EmptyState>
  );
}

function SummaryBody({ summary, scope }: { summary: HealthSummaryResponse; scope: HealthScope }) {
  const asUserId = useViewAs();
  const distribution = summary.distribution.map((bin) => ({ range: `${bin.from}–${bin.to}`, customers: bin.count }));
  const history = summary.history.map((point) => ({ date: point.date, average: point.average }));
  return (
    <Flex direction="column" gap="medium">
      <Flex direction="row" gap="large" align="center" wrap="wrap">
        {summary.average === null ? null : <ScoreCircle score={Math.round(summary.average)} testId="health-average" />}
        <Statistics testId="health-statistics">
          <StatisticsItem id="average" label="Average score" number={summary.average === null ? '–' : summary.average.toFixed(1)}>
            <Text variant="microcopy">{`${summary.customers} customers`}</Text>
          </StatisticsItem>
          {HEALTH_CATEGORY_ORDER.map((category) => {
            const { count, percent } = summary.categories[category];
            return (
              <StatisticsItem key={category} id={category} label={HEALTH_CATEGORY_LABELS[category]} number={count}>
                <Text variant="microcopy">{`${percent.toFixed(1)}% of customers`}</Text>
                <PageLink
                  to={CUSTOMERS_ROUTE}
                  params={drillDownParams({ category, profileId: summary.profileId, scope, asUserId })}
                  testId={`drill-${category}`}
                >
                  {`See the ${count} ${HEALTH_CATEGORY_LABELS[category].toLowerCase()}`}
                </PageLink>
              </StatisticsItem>
            );
          })}
        </Statistics>
      </Flex>
      <Text variant="microcopy">
        {`At risk below ${summary.thresholds.atRiskBelow}, Good from ${summary.thresholds.goodFrom}. Profile version ${summary.profileVersion}.`}
      </Text>
      <BarChart
        testId="health-distribution"
        data={distribution}
        axes={{
          x: { field: 'range', fieldType: 'category', label: 'Score' },
          y: { field: 'customers', fieldType: 'linear', label: 'Customers' },
        }}
        options={{ title: 'Distribution of scores', showTooltips: true }}
      />
      {history.length >= 2 ? (
        <LineChart
          testId="health-history"
          data={history}
          axes={{
            x: { field: 'date', fieldType: 'datetime', label: 'Date' },
            y: { field: 'average', fieldType: 'linear', label: 'Average score' },
          }}
          options={{ title: 'Average score over time', showTooltips: true }}
        />
      ) : (
        <Text variant="microcopy" testId="health-history-empty">
          The average over time appears once there are scores from two different days.
        </Text>
      )}
    </Flex>
  );
}

/** CS-SUM-5: the health of the viewing user's customers (managers: also the whole portal). */
export function HealthSummarySection({ isManager = false }: { isManager?: boolean }) {
  const [profileId, setProfileId] = useState<string | undefined>(undefined);
  const [scope, setScope] = useState<HealthScope>('mine');
  // The picker is a convenience: without the list (error, or only one profile) the default profile is shown.
  const profiles = useBackend('/api/v1/health/profiles');
  const summary = useBackend('/api/v1/health/summary', { profileId, scope });
  const choices = profiles.status === 'success' ? profiles.data.profiles : [];
  const shownProfile = summary.status === 'success' ? summary.data.profileId : profileId;
  return (
    <Flex direction="column" gap="small">
      <Heading>Health summary</Heading>
      <Flex direction="row" gap="small" wrap="wrap">
        {choices.length > 1 ? (
          <Select
            label="Health score"
            name="profile"
            testId="profile-picker"
            value={shownProfile}
            options={choices.map((p) => ({ label: p.isDefault ? `${p.name} (default)` : p.name, value: p.id }))}
            onChange={(value) => setProfileId(String(value))}
          />
        ) : null}
        {isManager ? (
          <Select
            label="Customers"
            name="scope"
            testId="scope-picker"
            value={scope}
            options={[
              { label: 'Assigned to this user', value: 'mine' },
              { label: 'Whole portal', value: 'portal' },
            ]}
            onChange={(value) => setScope(value === 'portal' ? 'portal' : 'mine')}
          />
        ) : null}
      </Flex>
      <BackendView
        state={summary}
        loading="Loading the health of your customers"
        failed="The health summary could not be loaded"
        retryTestId="retry-health"
        partial="Some customers may be missing"
        partialTestId="health-partial"
        isEmpty={(answer) => answer.customers === 0}
        empty={<NoScores scope={scope} />}
      >
        {(answer) => <SummaryBody summary={answer} scope={scope} />}
      </BackendView>
    </Flex>
  );
}
