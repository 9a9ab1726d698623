import { Button, ErrorState, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import type { BackendError } from '../api/useBackend';

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
