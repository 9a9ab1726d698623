import { BarChart, EmptyState, Flex, Heading, LineChart, Link, Text, Tile } from '@hubspot/ui-extensions';
import type { HubSpotLink, ReportData } from '../../api/contract';

/** One computed report (CS-SUM-6, CS-DASH-1), drawn as the bar or line chart it names; a sentence when it has nothing to show. */
export function ReportChart({ report }: { report: ReportData }) {
  const axes = {
    x: { field: report.x.field, fieldType: report.x.type, label: report.x.label },
    y: { field: report.y.field, fieldType: 'linear' as const, label: report.y.label },
  };
  const options = { title: report.title, showTooltips: true };
  return (
    <Tile compact testId={`report-${report.id}`}>
      <Flex direction="column" gap="extra-small">
        {report.empty ? (
          <>
            <Heading>{report.title}</Heading>
            <EmptyState title="Nothing to show yet" imageName="emptyStateCharts" layout="horizontal" testId={`report-${report.id}-empty`}>
              <Text>{report.empty}</Text>
            </EmptyState>
          </>
        ) : report.chart === 'line' ? (
          <LineChart testId={`chart-${report.id}`} data={report.rows} axes={axes} options={options} />
        ) : (
          <BarChart testId={`chart-${report.id}`} data={report.rows} axes={axes} options={options} />
        )}
        <Text variant="microcopy">{report.description}</Text>
      </Flex>
    </Tile>
  );
}

/** Links into HubSpot (reports, dashboards): HubSpot's own report component is not offered on app pages. */
export function HubSpotLinks({ links, testId }: { links: readonly HubSpotLink[]; testId: string }) {
  if (links.length === 0) return null;
  return (
    <Flex direction="row" gap="small" wrap="wrap" testId={testId}>
      {links.map((l) => (
        <Link key={`${l.label}-${l.url}`} href={{ url: l.url, external: true }}>
          {l.label}
        </Link>
      ))}
    </Flex>
  );
}
