import { useState } from 'react';
import { Alert, Button, Checkbox, Flex, Heading, Text } from '@hubspot/ui-extensions';
import type { HubSpotLink, ReportId, SummaryReportsResponse } from '../../api/contract';
import { useBackend, useBackendCall, useViewAs, type BackendError } from '../../api/useBackend';
import { BackendView } from '../../shared/BackendView';
import { HubSpotLinks, ReportChart } from '../../shared/reports/ReportChart';
import { LinksEditor } from '../../shared/reports/LinksEditor';

export const MAX_REPORTS = 5;

/** The user's choice of reports (at most five, in the order picked) and links to their HubSpot reports. */
function ChooseReports({ answer, onSaved, onCancel }: { answer: SummaryReportsResponse; onSaved: () => void; onCancel: () => void }) {
  const write = useBackendCall();
  const [chosen, setChosen] = useState<ReportId[]>(answer.chosen);
  const [links, setLinks] = useState<HubSpotLink[]>(answer.hubspotLinks);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<BackendError | null>(null);
  const toggle = (id: ReportId, on: boolean) => setChosen(on ? [...chosen.filter((c) => c !== id), id] : chosen.filter((c) => c !== id));
  const save = async () => {
    setSaving(true);
    const result = await write('PUT', '/api/v1/summary/reports', { chosen, hubspotLinks: links });
    setSaving(false);
    if (!result.ok) setError(result.error);
    else onSaved();
  };
  return (
    <Flex direction="column" gap="small" testId="choose-reports">
      <Text>{`Choose up to ${MAX_REPORTS} reports (${chosen.length} chosen). They are computed from your CRM data in Tiller.`}</Text>
      {answer.gallery.map((g) => {
        const on = chosen.includes(g.id);
        return (
          <Checkbox
            key={g.id}
            name={`report-${g.id}`}
            checked={on}
            readOnly={!on && chosen.length >= MAX_REPORTS}
            description={g.description}
            onChange={(checked: boolean) => toggle(g.id, checked)}
          >
            {g.title}
          </Checkbox>
        );
      })}
      <Text format={{ fontWeight: 'demibold' }}>Your HubSpot reports</Text>
      <LinksEditor links={links} onChange={setLinks} what="report" name="reports" />
      {error ? (
        <Alert title="Your reports could not be saved" variant="error" testId="reports-save-error">
          {[error.message, ...(error.fields ?? []).map((f) => `${f.field}: ${f.issue}`)].join(' ')}
        </Alert>
      ) : null}
      <Flex direction="row" gap="small">
        <Button variant="primary" testId="save-reports" disabled={saving} onClick={() => void save()}>
          {saving ? 'Saving…' : 'Save reports'}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </Flex>
    </Flex>
  );
}

/**
 * CS-SUM-6: up to five reports chosen by the user, computed from the portal copy and drawn in
 * place (HubSpot's CrmReport is not offered on app pages), plus links to their HubSpot reports.
 */
export function ReportsSection() {
  const reports = useBackend('/api/v1/summary/reports');
  const viewingAs = useViewAs() !== null;
  const [choosing, setChoosing] = useState(false);
  return (
    <Flex direction="column" gap="small" testId="summary-reports">
      <Flex direction="row" gap="small" align="center" justify="between">
        <Heading>Reports</Heading>
        {reports.status === 'success' && !choosing && !viewingAs ? (
          <Button size="sm" variant="secondary" testId="choose-reports-open" onClick={() => setChoosing(true)}>
            Choose reports
          </Button>
        ) : null}
      </Flex>
      <BackendView
        state={reports}
        loading="Loading your reports"
        failed="Your reports could not be loaded"
        retryTestId="retry-reports"
        partial="Some reports may be incomplete"
        partialTestId="reports-partial"
      >
        {(answer) =>
          choosing ? (
            <ChooseReports
              answer={answer}
              onCancel={() => setChoosing(false)}
              onSaved={() => {
                setChoosing(false);
                reports.reload();
              }}
            />
          ) : (
            <Flex direction="column" gap="small">
              {answer.reports.length === 0 ? (
                <Text testId="reports-none">
                  {viewingAs ? 'This user has chosen no reports.' : 'You have chosen no reports. Use "Choose reports" to add some.'}
                </Text>
              ) : (
                <Flex direction="row" gap="small" wrap="wrap">
                  {answer.reports.map((r) => (
                    <ReportChart key={r.id} report={r} />
                  ))}
                </Flex>
              )}
              <HubSpotLinks links={answer.hubspotLinks} testId="reports-hubspot-links" />
            </Flex>
          )
        }
      </BackendView>
    </Flex>
  );
}
