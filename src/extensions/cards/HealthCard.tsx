import {
  EmptyState,
  Flex,
  List,
  ScoreCircle,
  Statistics,
  StatisticsItem,
  StatisticsTrend,
  StatusTag,
  Text,
  useExtensionContext,
} from '@hubspot/ui-extensions';
import type { HealthRecordResponse } from '../api/contract';
import { useBackend } from '../api/useBackend';
import { healthRecordPath } from '../api/endpoints';
import { objectTypeNameOf } from '../shared/recordUrl';
import { HEALTH_CATEGORY_LABELS, HEALTH_CATEGORY_TAGS, describeDeltas, formatDate, signed, transition } from '../shared/health/labels';
import { BackendView } from '../shared/BackendView';

// The object types listed in src/app/cards/health-card-hsmeta.json.
const CARD_OBJECT_TYPES = new Set(['companies', 'contacts']);
const TOP_DRIVERS = 3;

/**
 * The record's score as the card reads it. `previous` (the snapshot before the latest) is not in
 * the contract yet; until the backend sends it, the trend falls back to the last category change.
 */
export type HealthRecordView = HealthRecordResponse & { previous?: { score: number; computedAt: string } | null };

type Criterion = HealthRecordResponse['criteria'][number];

/** The criteria that move the score most (largest absolute points), and those without data. */
export function topDrivers(criteria: readonly Criterion[], limit = TOP_DRIVERS): { drivers: Criterion[]; noData: Criterion[] } {
  const drivers = criteria
    .filter((c) => !c.noData && c.points !== 0)
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || a.label.localeCompare(b.label))
    .slice(0, limit);
  return { drivers, noData: criteria.filter((c) => c.noData) };
}

function Trend({ record, timeZone }: { record: HealthRecordView; timeZone: string }) {
  const previous = record.previous;
  if (!previous)
    return (
      <Text variant="microcopy" testId="health-trend">
        No earlier score to compare with.
      </Text>
    );
  const delta = record.score - previous.score;
  if (delta === 0)
    return <Text variant="microcopy" testId="health-trend">{`Unchanged since ${formatDate(previous.computedAt, timeZone)}.`}</Text>;
  return (
    <StatisticsTrend
      testId="health-trend"
      value={`${signed(delta)} since ${formatDate(previous.computedAt, timeZone)}`}
      direction={delta > 0 ? 'increase' : 'decrease'}
      color={delta > 0 ? 'green' : 'red'}
    />
  );
}

function RecordScore({ record }: { record: HealthRecordView }) {
  const context = useExtensionContext();
  const timeZone = context.portal.timezone;
  const { drivers, noData } = topDrivers(record.criteria);
  return (
    <>
      <Flex direction="row" gap="medium" align="center">
        <ScoreCircle score={record.score} testId="health-score" />
        <Statistics>
          <StatisticsItem id="score" label="Health score" number={record.score}>
            <StatusTag variant={HEALTH_CATEGORY_TAGS[record.category]} testId="health-category">
              {HEALTH_CATEGORY_LABELS[record.category]}
            </StatusTag>
            <Trend record={record} timeZone={timeZone} />
          </StatisticsItem>
        </Statistics>
      </Flex>
      <Text format={{ fontWeight: 'demibold' }}>Top drivers</Text>
      {drivers.length === 0 && noData.length === 0 ? <Text>No criterion moved this score.</Text> : null}
      <List variant="unordered" testId="health-drivers">
        {[
          ...drivers.map((c) => <Text key={c.id}>{`${c.label} ${signed(c.points)}`}</Text>),
          ...noData.map((c) => <Text key={c.id}>{`${c.label}: no data`}</Text>),
        ]}
      </List>
      <Text format={{ fontWeight: 'demibold' }}>Score by group</Text>
      <List variant="unordered" testId="health-groups">
        {record.groups.map((g) => (
          <Text key={g.id}>
            {g.excluded ? `${g.label}: no data, its points are shared among the other groups` : `${g.label} ${g.score} / ${g.maxPoints}`}
          </Text>
        ))}
      </List>
      {record.change ? (
        <Text testId="health-last-alert">
          {`Last alert ${formatDate(record.change.at, timeZone)}: ${transition(record.change.from, record.change.to)}`}
          {record.change.deltas.length ? ` (${describeDeltas(record.change.deltas)})` : ''}
        </Text>
      ) : (
        <Text variant="microcopy" testId="health-last-alert">
          No category change yet.
        </Text>
      )}
      <Text variant="microcopy">{`Scored ${formatDate(record.computedAt, timeZone)} with profile version ${record.profileVersion}.`}</Text>
    </>
  );
}

function RecordHealth({ objectType, objectId }: { objectType: string; objectId: string }) {
  const state = useBackend(healthRecordPath(objectType, objectId));
  // Not found is an answer here: the record has no score yet.
  if (state.status === 'error' && state.error.code === 'NOT_FOUND') {
    return (
      <EmptyState title="Not scored yet" imageName="customerExperience" layout="vertical" testId="health-not-scored">
        <Text>This record has no health score yet. It is scored on the next run if a health profile covers it.</Text>
      </EmptyState>
    );
  }
  return (
    <BackendView
      state={state}
      loading="Loading this record's health"
      failed="The health score could not be loaded"
      partial="This score may be incomplete"
    >
      {(record) => <RecordScore record={record} />}
    </BackendView>
  );
}

/** CARD-1: the record's health score, category, trend, top drivers and last alert. */
export function HealthCard() {
  const context = useExtensionContext<'crm.record.sidebar'>();
  const objectType = objectTypeNameOf(context.crm.objectTypeId);
  if (!objectType || !CARD_OBJECT_TYPES.has(objectType)) {
    return <Text>This card shows health scores on companies and contacts.</Text>;
  }
  return <RecordHealth objectType={objectType} objectId={String(context.crm.objectId)} />;
}
