import { Alert, Button, ErrorState, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import type { BackendError } from '../api/useBackend';
import type { PartialResult } from '../api/contract';

export function Loading({ label }: { label: string }) {
  return <LoadingSpinner label={label} showLabel layout="centered" />;
}

/** A failed load in one plain sentence, with a way to try again. */
export function LoadFailed({
  title,
  error,
  onRetry,
  testId = 'retry',
}: {
  title: string;
  error: BackendError;
  onRetry: () => void;
  testId?: string;
}) {
  return (
    <ErrorState title={title} type="error">
      <Text>{error.message}</Text>
      <Button onClick={onRetry} testId={testId}>
        Try again
      </Button>
    </ErrorState>
  );
}

/** The backend's `partial: true` answer, said out loud: what is shown may be incomplete. */
export function PartialNotice({ result, title, testId }: { result: PartialResult; title: string; testId?: string }) {
  if (!result.partial) return null;
  const detail = result.warnings?.length ? result.warnings.join(' ') : 'HubSpot did not return everything.';
  return (
    <Alert title={title} variant="warning" testId={testId}>
      {detail}
    </Alert>
  );
}
