import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Flex, ProgressBar, Text } from '@hubspot/ui-extensions';
import type { BulkJobResponse } from '../../api/contract';
import { bulkJobPath } from '../../api/endpoints';
import { useBackend, useBackendCall } from '../../api/useBackend';

/** How often a running job's progress is read again. */
export const POLL_MS = 1_000;

const FINISHED = new Set(['done', 'cancelled', 'failed']);

/**
 * A bulk job's progress (CS-ACT-4): done / failed of total, polled until it ends, then each failed
 * task with its reason; "Cancel" while it runs.
 */
export function BulkJobProgress({
  jobId,
  onFinished,
  onDismiss,
  pollMs = POLL_MS,
}: {
  jobId: string;
  onFinished: () => void;
  onDismiss: () => void;
  pollMs?: number;
}) {
  const state = useBackend(bulkJobPath(jobId));
  const call = useBackendCall();
  // The last answer stays on screen while the next one loads (no spinner flicker between polls).
  const [job, setJob] = useState<BulkJobResponse | null>(null);
  const [cancelError, setCancelError] = useState<string | null>(null);
  const current = state.status === 'success' ? state.data : job;
  const finished = current ? FINISHED.has(current.status) : false;

  useEffect(() => {
    if (state.status === 'success') setJob(state.data);
  }, [state.status, state.data]);

  useEffect(() => {
    if (state.status === 'loading' || finished) return undefined;
    const timer = setTimeout(state.reload, pollMs);
    return () => clearTimeout(timer);
  }, [state.status, state.reload, finished, pollMs]);

  // Told once, when the job ends (the list reloads to show what changed).
  const told = useRef(false);
  useEffect(() => {
    if (!finished || told.current) return;
    told.current = true;
    onFinished();
  }, [finished, onFinished]);

  if (!current) {
    return state.status === 'error' ? (
      <Text testId="job-error">{`The bulk action's progress could not be read. ${state.error.message}`}</Text>
    ) : (
      <Text testId="job-starting">Starting the bulk action…</Text>
    );
  }
  const failures = current.items.filter((i) => i.state === 'failed');
  const title =
    current.status === 'done'
      ? 'Bulk action finished'
      : current.status === 'cancelled'
        ? 'Bulk action cancelled'
        : current.status === 'failed'
          ? 'Bulk action stopped'
          : 'Bulk action running';
  return (
    <Alert
      title={title}
      variant={current.failed > 0 || current.status === 'failed' ? 'warning' : finished ? 'success' : 'info'}
      testId="job-progress"
    >
      <Flex direction="column" gap="extra-small">
        <ProgressBar
          value={current.done + current.failed}
          maxValue={Math.max(1, current.total)}
          showPercentage
          valueDescription={`${current.done + current.failed} of ${current.total}`}
        />
        <Text testId="job-counts">{`${current.done} done, ${current.failed} failed${current.cancelled ? `, ${current.cancelled} cancelled` : ''} of ${current.total}.`}</Text>
        {current.error ? <Text>{current.error}</Text> : null}
        {failures.slice(0, 20).map((f) => (
          <Text key={f.taskId} testId={`job-failure-${f.taskId}`}>{`Task ${f.taskId}: ${f.reason ?? 'failed'}`}</Text>
        ))}
        {failures.length > 20 ? <Text>{`…and ${failures.length - 20} more failed.`}</Text> : null}
        {cancelError ? <Text testId="job-cancel-error">{cancelError}</Text> : null}
        {finished ? (
          <Button testId="job-dismiss" size="sm" onClick={onDismiss}>
            Close
          </Button>
        ) : (
          <Button
            testId="job-cancel"
            size="sm"
            disabled={current.cancelRequested}
            onClick={() =>
              void call('POST', `${bulkJobPath(jobId)}/cancel`, {}).then((r) => {
                if (r.ok) setJob(r.data);
                else setCancelError(r.error.message);
              })
            }
          >
            {current.cancelRequested ? 'Cancelling…' : 'Cancel'}
          </Button>
        )}
      </Flex>
    </Alert>
  );
}
