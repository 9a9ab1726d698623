import { useEffect, useState } from 'react';
import {
  Alert,
  Button,
  EmptyState,
  ErrorState,
  Flex,
  Heading,
  LoadingSpinner,
  ProgressBar,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
} from '@hubspot/ui-extensions';
import type { SyncStatusResponse } from '../api/contract';
import { useBackend } from '../api/useBackend';

/** How often the status is read again while the first load runs. */
export const SYNC_POLL_MS = 5_000;

type ObjectStatus = SyncStatusResponse['objects'][string];

const TYPE_LABELS: Record<string, string> = {
  contacts: 'Contacts',
  companies: 'Companies',
  deals: 'Deals',
  leads: 'Leads',
  tickets: 'Tickets',
  tasks: 'Tasks',
  calls: 'Calls',
  emails: 'Emails',
  meetings: 'Meetings',
  notes: 'Notes',
  '0-162': 'Services',
};

const STATE_TAGS: Record<ObjectStatus['state'], { label: string; variant: 'default' | 'info' | 'success' | 'error' }> = {
  pending: { label: 'Waiting', variant: 'default' },
  loading: { label: 'Loading', variant: 'info' },
  ready: { label: 'Up to date', variant: 'success' },
  error: { label: 'Stopped', variant: 'error' },
};

const RELOADING_TAG = { label: 'Reloading', variant: 'info' } as const;

const count = (n: number) => n.toLocaleString('en-US');

/** "about 3 min", "about 2 h 10 min", "under a minute". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return 'under a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `about ${h} h ${m} min` : `about ${h} h`;
}

/** "2 s", "3 min", "1 h 5 min" behind. */
export function formatLag(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3_600) return `${Math.round(seconds / 60)} min`;
  const h = Math.floor(seconds / 3_600);
  const m = Math.round((seconds % 3_600) / 60);
  return m ? `${h} h ${m} min` : `${h} h`;
}

function formatWhen(iso: string | null): string {
  if (!iso) return 'None yet';
  return new Date(iso).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

function summary(status: SyncStatusResponse): string {
  if (status.state === 'ready') return `Every object type is copied; the copy is complete up to ${formatWhen(status.dataAsOf)}.`;
  if (status.state === 'needs-reconnect') return 'HubSpot no longer accepts Tiller in this account, so the copy has stopped.';
  const eta = status.etaSeconds === null ? 'Estimating the time left…' : `${formatDuration(status.etaSeconds)} left at the current pace.`;
  return `Tiller is copying your portal's CRM data: ${status.percent}% done. ${eta} Screens already answer with what is copied and say so.`;
}

function ObjectRows({ objects }: { objects: SyncStatusResponse['objects'] }) {
  const entries = Object.entries(objects).sort(([a], [b]) => (TYPE_LABELS[a] ?? a).localeCompare(TYPE_LABELS[b] ?? b));
  return (
    <Table bordered testId="sync-objects">
      <TableHead>
        <TableRow>
          <TableHeader>Object type</TableHeader>
          <TableHeader>Records</TableHeader>
          <TableHeader>State</TableHeader>
          <TableHeader>Done</TableHeader>
          <TableHeader>Time left</TableHeader>
          <TableHeader>Last change seen</TableHeader>
          <TableHeader>Behind by</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {entries.map(([type, o]) => {
          // A type loaded again (newly named properties) is served from what the copy holds meanwhile.
          const tag = o.reloading && o.state !== 'error' ? RELOADING_TAG : STATE_TAGS[o.state];
          return (
            <TableRow key={type}>
              <TableCell>{TYPE_LABELS[type] ?? type}</TableCell>
              <TableCell>
                {o.total !== null && o.state !== 'ready' && !o.reloading ? `${count(o.records)} of ${count(o.total)}` : count(o.records)}
              </TableCell>
              <TableCell>
                <Tag variant={tag.variant}>{tag.label}</Tag>
              </TableCell>
              <TableCell>{`${o.percent}%`}</TableCell>
              <TableCell>{o.state === 'ready' ? '—' : o.etaSeconds === null ? 'Estimating…' : formatDuration(o.etaSeconds)}</TableCell>
              <TableCell>{formatWhen(o.lastChangeSeenAt)}</TableCell>
              <TableCell>{formatLag(o.lagSeconds)}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

/**
 * The portal copy's progress for managers (issue #11 item 2): the whole first load as a bar, then
 * each object type's records, state, share done, time left, last change seen and lag. Read again
 * every SYNC_POLL_MS while the first load runs; the last answer stays on screen meanwhile.
 */
export function SyncProgress({ pollMs = SYNC_POLL_MS }: { pollMs?: number }) {
  const state = useBackend('/api/v1/sync/status');
  const [last, setLast] = useState<SyncStatusResponse | null>(null);
  useEffect(() => {
    if (state.status === 'success') setLast(state.data);
  }, [state.status, state.data]);
  const current = state.status === 'success' ? state.data : last;
  const loading = current?.state === 'loading';
  useEffect(() => {
    if (!loading || state.status === 'loading') return undefined;
    const timer = setTimeout(state.reload, pollMs);
    return () => clearTimeout(timer);
  }, [loading, state.status, state.reload, pollMs]);

  let body;
  if (!current) {
    body =
      state.status === 'error' ? (
        <ErrorState title="The copy's progress could not be loaded" type="error">
          <Text>{state.error.message}</Text>
          <Button onClick={state.reload} testId="sync-retry">
            Try again
          </Button>
        </ErrorState>
      ) : (
        <LoadingSpinner label="Loading the copy's progress" showLabel layout="centered" />
      );
  } else if (Object.keys(current.objects).length === 0) {
    body = (
      <EmptyState title="Nothing copied yet" imageName="customerExperience" testId="sync-empty">
        <Text>Tiller starts copying your portal's CRM data when it is installed. This page shows its progress as soon as it starts.</Text>
      </EmptyState>
    );
  } else {
    body = (
      <>
        {current.state === 'needs-reconnect' ? (
          <Alert title="Reconnect Tiller" variant="danger" testId="sync-reconnect">
            HubSpot no longer accepts Tiller's access in this account. A HubSpot super admin needs to reconnect Tiller; the copy resumes
            where it stopped.
          </Alert>
        ) : null}
        <ProgressBar
          title="Portal copy"
          value={current.percent}
          maxValue={100}
          showPercentage
          variant={current.state === 'needs-reconnect' ? 'danger' : 'success'}
          valueDescription={`${current.percent}% of the first load`}
          testId="sync-progress"
        />
        <Text testId="sync-summary">{summary(current)}</Text>
        {state.status === 'error' ? (
          <Text testId="sync-refresh-error">{`The progress could not be refreshed: ${state.error.message} Showing the last answer.`}</Text>
        ) : null}
        <ObjectRows objects={current.objects} />
      </>
    );
  }
  return (
    <Flex direction="column" gap="small">
      <Heading>Portal copy</Heading>
      <Text>
        Tiller answers every screen from its own copy of your portal's CRM data, kept fresh by HubSpot's webhooks and a check every 30
        seconds.
      </Text>
      {body}
    </Flex>
  );
}
