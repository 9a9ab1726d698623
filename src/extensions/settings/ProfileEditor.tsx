import { useState } from 'react';
import {
  Alert,
  Button,
  ButtonRow,
  Divider,
  Flex,
  Heading,
  Input,
  NumberInput,
  Select,
  StatusTag,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Text,
  Tile,
} from '@hubspot/ui-extensions';
import type { HealthProfile, HealthProfilePreview } from '../api/contract';
import { healthProfilePath, healthProfilePreviewPath } from '../api/endpoints';
import { useBackendCall, type BackendError } from '../api/useBackend';
import { HEALTH_CATEGORY_LABELS, HEALTH_CATEGORY_ORDER, HEALTH_CATEGORY_TAGS, transition } from '../shared/health/labels';
import { pointFields, validateDraft, withPointField } from './profileDraft';

export const NEW_PROFILE_ID = 'new';
const CHANGES_SHOWN = 20;

type Group = HealthProfile['groups'][number];

const MISSING_DATA_OPTIONS = [
  { label: 'Count 0 points', value: 'zero' },
  { label: 'Leave out, re-scale the group', value: 'exclude' },
];

const CONFLICT_SENTENCE =
  'Someone else saved a newer version of this profile while you were editing. Reload it to see their changes, then make your edits again.';

function PreviewResult({ preview }: { preview: HealthProfilePreview }) {
  const changed = preview.changed.slice(0, CHANGES_SHOWN);
  return (
    <Flex direction="column" gap="small" testId="preview">
      <Heading>What would change</Heading>
      <Table bordered testId="preview-counts">
        <TableHead>
          <TableRow>
            <TableHeader>Category</TableHeader>
            <TableHeader>Now</TableHeader>
            <TableHeader>After saving</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {HEALTH_CATEGORY_ORDER.map((category) => (
            <TableRow key={category}>
              <TableCell>{HEALTH_CATEGORY_LABELS[category]}</TableCell>
              <TableCell>{preview.before.categories[category].count}</TableCell>
              <TableCell>{preview.after.categories[category].count}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {preview.changed.length === 0 ? (
        <Text testId="preview-no-change">No customer would change category.</Text>
      ) : (
        <>
          <Text>{`${preview.changed.length} customers would change category${preview.changed.length > CHANGES_SHOWN ? `; the ${CHANGES_SHOWN} largest moves:` : ':'}`}</Text>
          <Table bordered testId="preview-changes">
            <TableHead>
              <TableRow>
                <TableHeader>Customer</TableHeader>
                <TableHeader>Change</TableHeader>
                <TableHeader>Score</TableHeader>
              </TableRow>
            </TableHead>
            <TableBody>
              {changed.map((change) => (
                <TableRow key={change.recordId}>
                  <TableCell>{change.label}</TableCell>
                  <TableCell>
                    <StatusTag variant={change.to ? HEALTH_CATEGORY_TAGS[change.to] : 'default'}>
                      {transition(change.from, change.to)}
                    </StatusTag>
                  </TableCell>
                  <TableCell>{`${change.scoreBefore ?? '–'} → ${change.scoreAfter ?? '–'}`}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
      <Text variant="microcopy">A change caused by editing the profile never raises an alert.</Text>
    </Flex>
  );
}

function GroupEditor({
  group,
  index,
  problem,
  onChange,
}: {
  group: Group;
  index: number;
  problem?: string;
  onChange: (group: Group) => void;
}) {
  return (
    <Tile compact testId={`group-${index}`}>
      <Flex direction="column" gap="small">
        <Flex direction="row" gap="small">
          <Input label="Group" name={`group-${index}-label`} value={group.label} onChange={(label) => onChange({ ...group, label })} />
          <NumberInput
            label="Max points"
            name={`group-${index}-max`}
            testId={`group-${index}-max`}
            min={0}
            max={100}
            value={group.maxPoints}
            error={Boolean(problem)}
            validationMessage={problem}
            onChange={(maxPoints) => onChange({ ...group, maxPoints })}
          />
        </Flex>
        {group.criteria.map((criterion, ci) => (
          <Flex key={criterion.id} direction="column" gap="extra-small" testId={`criterion-${criterion.id}`}>
            <Divider />
            <Flex direction="row" gap="small" wrap="wrap">
              <Input
                label="Criterion"
                name={`criterion-${criterion.id}-label`}
                value={criterion.label}
                onChange={(label) => onChange({ ...group, criteria: group.criteria.map((c, i) => (i === ci ? { ...c, label } : c)) })}
              />
              <Select
                label="When there is no data"
                name={`criterion-${criterion.id}-missing`}
                testId={`criterion-${criterion.id}-missing`}
                value={criterion.missingData}
                options={MISSING_DATA_OPTIONS}
                onChange={(mode) =>
                  onChange({
                    ...group,
                    criteria: group.criteria.map((c, i) => (i === ci ? { ...c, missingData: mode === 'zero' ? 'zero' : 'exclude' } : c)),
                  })
                }
              />
            </Flex>
            <Flex direction="row" gap="small" wrap="wrap">
              {pointFields(criterion).map((field) => (
                <NumberInput
                  key={field.key}
                  label={field.label}
                  name={`criterion-${criterion.id}-${field.key}`}
                  testId={`criterion-${criterion.id}-${field.key}`}
                  value={field.value}
                  onChange={(value) =>
                    onChange({ ...group, criteria: group.criteria.map((c, i) => (i === ci ? withPointField(c, field.key, value) : c)) })
                  }
                />
              ))}
            </Flex>
          </Flex>
        ))}
      </Flex>
    </Tile>
  );
}

/**
 * CS-HS-1: edit one profile. Saving needs a dry-run preview of exactly the draft being saved;
 * saving an existing profile sends the version it started from, so a concurrent save gets a 409.
 */
export function ProfileEditor({
  profile,
  onSaved,
  onReload,
  onCancel,
}: {
  profile: HealthProfile;
  onSaved: (saved: HealthProfile) => void;
  onReload: () => void;
  onCancel: () => void;
}) {
  const call = useBackendCall();
  const [draft, setDraft] = useState<HealthProfile>(profile);
  const [preview, setPreview] = useState<{ of: string; result: HealthProfilePreview } | null>(null);
  const [busy, setBusy] = useState<'preview' | 'save' | null>(null);
  const [failure, setFailure] = useState<{ action: 'preview' | 'save'; error: BackendError } | null>(null);

  const problems = validateDraft(draft);
  const valid = Object.keys(problems).length === 0;
  const draftKey = JSON.stringify(draft);
  const previewed = preview?.of === draftKey ? preview.result : null;
  const isNew = profile.id === NEW_PROFILE_ID;
  const total = draft.groups.reduce((sum, g) => sum + (Number.isFinite(g.maxPoints) ? g.maxPoints : 0), 0);

  const update = (next: HealthProfile) => {
    setDraft(next);
    setFailure(null);
  };

  const runPreview = async () => {
    setBusy('preview');
    setFailure(null);
    const result = await call('POST', healthProfilePreviewPath(profile.id), { profile: draft });
    setBusy(null);
    if (result.ok) setPreview({ of: draftKey, result: result.data });
    else setFailure({ action: 'preview', error: result.error });
  };

  const save = async () => {
    setBusy('save');
    setFailure(null);
    const result = isNew
      ? await call('POST', '/api/v1/health/profiles', { profile: draft })
      : await call('PUT', healthProfilePath(profile.id), { profile: draft, expectedVersion: profile.version });
    setBusy(null);
    if (result.ok) onSaved(result.data.profile);
    else setFailure({ action: 'save', error: result.error });
  };

  const objectOptions = [
    { label: 'Companies', value: 'companies' },
    { label: 'Contacts', value: 'contacts' },
    ...(['companies', 'contacts'].includes(draft.objectType)
      ? []
      : [{ label: `Custom object ${draft.objectType}`, value: draft.objectType }]),
  ];

  return (
    <Flex direction="column" gap="medium" testId="profile-editor">
      <Heading>{isNew ? 'New health score' : `Edit ${profile.name} (version ${profile.version})`}</Heading>
      <Flex direction="row" gap="small" wrap="wrap">
        <Input
          label="Name"
          name="name"
          testId="profile-name"
          value={draft.name}
          error={Boolean(problems.name)}
          validationMessage={problems.name}
          onChange={(name) => update({ ...draft, name })}
        />
        <Select
          label="Scores"
          name="objectType"
          testId="profile-object"
          value={draft.objectType}
          options={objectOptions}
          onChange={(objectType) => update({ ...draft, objectType: String(objectType) })}
        />
        <NumberInput
          label="At risk below"
          name="atRiskBelow"
          testId="threshold-at-risk"
          min={0}
          max={100}
          value={draft.thresholds.atRiskBelow}
          error={Boolean(problems.thresholds)}
          validationMessage={problems.thresholds}
          onChange={(atRiskBelow) => update({ ...draft, thresholds: { ...draft.thresholds, atRiskBelow } })}
        />
        <NumberInput
          label="Good from"
          name="goodFrom"
          testId="threshold-good"
          min={0}
          max={100}
          value={draft.thresholds.goodFrom}
          error={Boolean(problems.thresholds)}
          onChange={(goodFrom) => update({ ...draft, thresholds: { ...draft.thresholds, goodFrom } })}
        />
      </Flex>
      <Text variant="microcopy" testId="points-total">{`Groups' max points: ${Math.round(total * 1000) / 1000} of 100.`}</Text>
      {problems.groups ? (
        <Alert title="The groups do not add up" variant="error" testId="groups-problem">
          {problems.groups}
        </Alert>
      ) : null}
      {draft.groups.map((group, gi) => (
        <GroupEditor
          key={group.id}
          group={group}
          index={gi}
          problem={problems[`group.${gi}`]}
          onChange={(next) => update({ ...draft, groups: draft.groups.map((g, i) => (i === gi ? next : g)) })}
        />
      ))}
      {failure?.error.code === 'CONFLICT' ? (
        <Alert title="This profile changed while you were editing" variant="error" testId="save-conflict">
          {CONFLICT_SENTENCE}
        </Alert>
      ) : failure ? (
        <Alert
          title={failure.action === 'preview' ? 'The preview could not be computed' : 'The profile was not saved'}
          variant="error"
          testId="editor-failure"
        >
          {failure.error.message}
        </Alert>
      ) : null}
      {previewed ? <PreviewResult preview={previewed} /> : null}
      {valid && !previewed ? (
        <Text variant="microcopy" testId="preview-first">
          Preview the changes before you save.
        </Text>
      ) : null}
      <ButtonRow>
        <Button
          testId="preview-button"
          variant={previewed ? 'secondary' : 'primary'}
          disabled={!valid || busy !== null}
          onClick={() => void runPreview()}
        >
          {busy === 'preview' ? 'Computing the preview…' : 'Preview changes'}
        </Button>
        <Button testId="save-button" variant="primary" disabled={!valid || !previewed || busy !== null} onClick={() => void save()}>
          {busy === 'save' ? 'Saving…' : isNew ? 'Create profile' : 'Save as a new version'}
        </Button>
        {failure?.error.code === 'CONFLICT' ? (
          <Button testId="reload-button" onClick={onReload}>
            Reload the profile
          </Button>
        ) : null}
        <Button testId="cancel-button" variant="transparent" onClick={onCancel}>
          Back to the list
        </Button>
      </ButtonRow>
    </Flex>
  );
}
