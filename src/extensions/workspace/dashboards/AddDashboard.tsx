import { useState } from 'react';
import { Alert, Button, Checkbox, Flex, Heading, Input, Select, Text } from '@hubspot/ui-extensions';
import type { Dashboard, DashboardTeamsResponse, HubSpotLink, ReportDefinition, ReportId } from '../../api/contract';
import { useBackend, useBackendCall, type BackendError } from '../../api/useBackend';
import { LinksEditor } from '../../shared/reports/LinksEditor';

type Teams = DashboardTeamsResponse['teams'];

/** Who will get view access, in words: the sentence the adder confirms. */
export function audienceOf(kind: 'everyone' | 'teams', teams: Teams, teamIds: readonly string[]): string {
  if (kind === 'everyone') return 'everyone in this HubSpot account who uses Tiller';
  const picked = teams.filter((t) => teamIds.includes(t.id));
  const people = [...new Map(picked.flatMap((t) => t.members.map((m) => [m.userId, m.name] as const))).values()];
  const names = people.length <= 5 ? people.join(', ') : `${people.slice(0, 5).join(', ')} and ${people.length - 5} more`;
  return `the ${people.length} ${people.length === 1 ? 'member' : 'members'} of ${picked.map((t) => t.name).join(', ')}${people.length ? ` (${names})` : ''}`;
}

/**
 * CS-DASH-1 / SW-5: add a named dashboard — reports of the gallery and links to HubSpot
 * dashboards — shared with everyone or chosen teams, once the adder confirms who gets view access.
 */
export function AddDashboard({
  gallery,
  onAdded,
  onCancel,
}: {
  gallery: ReportDefinition[];
  onAdded: (d: Dashboard) => void;
  onCancel: () => void;
}) {
  const write = useBackendCall();
  const [name, setName] = useState('');
  const [reportIds, setReportIds] = useState<ReportId[]>([]);
  const [links, setLinks] = useState<HubSpotLink[]>([]);
  const [kind, setKind] = useState<'everyone' | 'teams'>('everyone');
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const [confirmed, setConfirmed] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<BackendError | null>(null);
  // Teams are read only when the adder shares with teams.
  const teams = useBackend(kind === 'teams' ? '/api/v1/teams' : null);
  const teamList = teams.status === 'success' ? teams.data.teams : [];
  const audience = audienceOf(kind, teamList, teamIds);
  // Whatever changes the audience asks for the confirmation again.
  const changeAudience = (next: () => void) => {
    next();
    setConfirmed(false);
  };
  const ready =
    name.trim() !== '' && (reportIds.length > 0 || links.length > 0) && (kind === 'everyone' || teamIds.length > 0) && confirmed;

  const save = async () => {
    setSaving(true);
    const result = await write('POST', '/api/v1/dashboards', {
      name,
      reportIds,
      hubspotLinks: links,
      access: kind === 'everyone' ? { kind } : { kind, teamIds },
      confirmViewAccess: confirmed,
    });
    setSaving(false);
    if (!result.ok) setError(result.error);
    else onAdded(result.data.dashboard);
  };

  return (
    <Flex direction="column" gap="small" testId="add-dashboard">
      <Heading>Add a dashboard</Heading>
      <Input label="Dashboard name" name="dashboard-name" required value={name} onChange={setName} />
      <Text format={{ fontWeight: 'demibold' }}>Reports</Text>
      {gallery.map((g) => (
        <Checkbox
          key={g.id}
          name={`dashboard-report-${g.id}`}
          checked={reportIds.includes(g.id)}
          description={g.description}
          onChange={(on: boolean) => setReportIds(on ? [...reportIds, g.id] : reportIds.filter((r) => r !== g.id))}
        >
          {g.title}
        </Checkbox>
      ))}
      <Text format={{ fontWeight: 'demibold' }}>HubSpot dashboards</Text>
      <LinksEditor links={links} onChange={setLinks} what="dashboard" name="dashboard" />
      <Select
        label="Who sees it"
        name="dashboard-access"
        value={kind}
        options={[
          { label: 'Everyone', value: 'everyone' },
          { label: 'Chosen teams', value: 'teams' },
        ]}
        onChange={(v) => changeAudience(() => setKind(v === 'teams' ? 'teams' : 'everyone'))}
      />
      {kind === 'teams' ? (
        teams.status === 'loading' ? (
          <Text>Loading the teams…</Text>
        ) : teams.status === 'error' ? (
          <Text testId="teams-error">{`The teams could not be loaded. ${teams.error.message}`}</Text>
        ) : teamList.length === 0 ? (
          <Text testId="teams-none">This HubSpot account has no teams; share the dashboard with everyone instead.</Text>
        ) : (
          teamList.map((t) => (
            <Checkbox
              key={t.id}
              name={`dashboard-team-${t.id}`}
              checked={teamIds.includes(t.id)}
              description={`${t.members.length} ${t.members.length === 1 ? 'member' : 'members'}`}
              onChange={(on: boolean) => changeAudience(() => setTeamIds(on ? [...teamIds, t.id] : teamIds.filter((x) => x !== t.id)))}
            >
              {t.name}
            </Checkbox>
          ))
        )
      ) : null}
      <Checkbox name="dashboard-confirm" checked={confirmed} onChange={(on: boolean) => setConfirmed(on)}>
        {`I confirm that ${audience} will get view access to this dashboard.`}
      </Checkbox>
      {error ? (
        <Alert title="The dashboard could not be added" variant="error" testId="dashboard-save-error">
          {[error.message, ...(error.fields ?? []).map((f) => `${f.field}: ${f.issue}`)].join(' ')}
        </Alert>
      ) : null}
      <Flex direction="row" gap="small">
        <Button variant="primary" testId="save-dashboard" disabled={!ready || saving} onClick={() => void save()}>
          {saving ? 'Adding…' : 'Add dashboard'}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </Flex>
    </Flex>
  );
}
