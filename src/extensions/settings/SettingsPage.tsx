import { useState } from 'react';
import {
  Alert,
  Button,
  EmptyState,
  Flex,
  Heading,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import type { HealthProfile, HealthProfileSummary } from '../api/contract';
import { healthProfilePath } from '../api/endpoints';
import { useBackend } from '../api/useBackend';
import { formatDate } from '../shared/health/labels';
import { BackendView } from '../shared/BackendView';
import { NEW_PROFILE_ID, ProfileEditor } from './ProfileEditor';
import { CustomerSuccessSettings } from './CustomerSuccessSettings';
import { RevenueSettings, ServicesSettings } from './ObjectWorkspaceSettings';
import { SyncProgress } from './SyncProgress';

type Editing = { kind: 'existing'; id: string } | { kind: 'new'; from: HealthProfile } | null;

function ExistingProfile({
  id,
  onDone,
  onDuplicate,
}: {
  id: string;
  onDone: (message?: string) => void;
  onDuplicate: (from: HealthProfile) => void;
}) {
  const state = useBackend(healthProfilePath(id));
  return (
    <BackendView state={state} loading="Loading the profile" failed="The profile could not be loaded">
      {({ profile }) => (
        <>
          <Button testId="duplicate-button" size="sm" variant="secondary" onClick={() => onDuplicate(profile)}>
            Start a new profile from this one
          </Button>
          {/* Keyed by version: a reload after a conflict starts again from the newest version. */}
          <ProfileEditor
            key={`${profile.id}@${profile.version}`}
            profile={profile}
            onSaved={(saved) => onDone(`${saved.name} saved as version ${saved.version}.`)}
            onReload={state.reload}
            onCancel={() => onDone()}
          />
        </>
      )}
    </BackendView>
  );
}

function ProfileList({ onEdit, notice }: { onEdit: (id: string) => void; notice: string | null }) {
  const state = useBackend('/api/v1/health/profiles');
  return (
    <BackendView state={state} loading="Loading health profiles" failed="Health profiles could not be loaded">
      {({ profiles }) => <ProfileTable profiles={profiles} onEdit={onEdit} notice={notice} />}
    </BackendView>
  );
}

function ProfileTable({
  profiles,
  onEdit,
  notice,
}: {
  profiles: HealthProfileSummary[];
  onEdit: (id: string) => void;
  notice: string | null;
}) {
  return (
    <>
      {notice ? (
        <Alert title="Saved" variant="success" testId="saved-notice">
          {notice}
        </Alert>
      ) : null}
      {profiles.length === 0 ? (
        <EmptyState title="No health profiles yet" imageName="customerExperience" testId="profiles-empty">
          <Text>Tiller creates a default profile from your portal's data when it first scores your customers.</Text>
        </EmptyState>
      ) : (
        <Table bordered testId="profiles-table">
          <TableHead>
            <TableRow>
              <TableHeader>Profile</TableHeader>
              <TableHeader>Scores</TableHeader>
              <TableHeader>Version</TableHeader>
              <TableHeader>Updated</TableHeader>
              <TableHeader> </TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {profiles.map((p) => (
              <TableRow key={p.id}>
                <TableCell>
                  <Text inline>{p.name}</Text> {p.isDefault ? <Tag variant="info">Default</Tag> : null}
                </TableCell>
                <TableCell>{p.objectType}</TableCell>
                <TableCell>{p.version}</TableCell>
                <TableCell>{formatDate(p.updatedAt)}</TableCell>
                <TableCell>
                  <Button size="sm" testId={`edit-${p.id}`} onClick={() => onEdit(p.id)}>
                    Edit
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}

function HealthScoresSettings() {
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const done = (message?: string) => {
    setNotice(message ?? null);
    setEditing(null);
  };
  if (editing?.kind === 'existing') {
    return (
      <ExistingProfile
        id={editing.id}
        onDone={done}
        onDuplicate={(from) => setEditing({ kind: 'new', from: { ...from, id: NEW_PROFILE_ID, name: `Copy of ${from.name}`, version: 1 } })}
      />
    );
  }
  if (editing?.kind === 'new') {
    return (
      <ProfileEditor
        profile={editing.from}
        onSaved={(saved) => done(`${saved.name} created.`)}
        onReload={() => undefined}
        onCancel={() => done()}
      />
    );
  }
  return (
    <ProfileList
      notice={notice}
      onEdit={(id) => {
        setNotice(null);
        setEditing({ kind: 'existing', id });
      }}
    />
  );
}

/** The app's settings page. Managers configure health scores; everyone else is told whom to ask. */
export function SettingsPage() {
  const me = useBackend('/api/v1/me');
  return (
    <Flex direction="column" gap="medium">
      <Heading>Health scores</Heading>
      <Text>
        A health profile scores your customers from 0 to 100: groups of criteria, each group capped at its max points (all groups add up to
        100), and two thresholds that split scores into At risk, Neutral and Good.
      </Text>
      <BackendView state={me} loading="Loading your settings" failed="Settings could not be loaded">
        {(answer) =>
          answer.isManager ? (
            <>
              <HealthScoresSettings />
              <CustomerSuccessSettings />
              <ServicesSettings />
              <RevenueSettings />
              <SyncProgress />
            </>
          ) : (
            <EmptyState title="Ask your admin" imageName="lock" testId="not-manager">
              <Text>
                Only Tiller managers and super admins can change these settings. Ask your admin to make the change, or to make you a Tiller
                manager.
              </Text>
            </EmptyState>
          )
        }
      </BackendView>
    </Flex>
  );
}
