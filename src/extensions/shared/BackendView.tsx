import type { ReactNode } from 'react';
import { Alert, Button, ErrorState, Flex, LoadingSpinner, Text } from '@hubspot/ui-extensions';
import { useBackendOrigin, type BackendError, type BackendState, type PagedBackendState } from '../api/useBackend';
import { ReconnectNotice } from './InstallNotices';
import type { PartialResult } from '../api/contract';

function Loading({ label }: { label: string }) {
  return <LoadingSpinner label={label} showLabel layout="centered" />;
}

/** A failed load in one plain sentence, with a way to try again. */
function LoadFailed({
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
  const origin = useBackendOrigin();
  // HubSpot refused Tiller's tokens: retrying cannot help, reconnecting does.
  if (error.code === 'NEEDS_RECONNECT') return <ReconnectNotice error={error} backendOrigin={origin ?? ''} />;
  return (
    <ErrorState title={title} type="error">
      <Text>{error.message}</Text>
      <Button onClick={onRetry} testId={testId}>
        Try again
      </Button>
    </ErrorState>
  );
}

/** The partial part of an answer, or of a list of pages (their warnings together), or undefined when complete. */
function partialOf(data: unknown): PartialResult | undefined {
  const parts = (Array.isArray(data) ? data : [data]).filter(
    (part): part is PartialResult => typeof part === 'object' && part !== null && (part as PartialResult).partial === true,
  );
  if (parts.length === 0) return undefined;
  return { partial: true, warnings: [...new Set(parts.flatMap((part) => part.warnings ?? []))] };
}

/** The backend's `partial: true` answer, said out loud: what is shown may be incomplete. */
function PartialNotice({ result, title, testId }: { result: PartialResult | undefined; title: string; testId?: string }) {
  if (!result?.partial) return null;
  const detail = result.warnings?.length ? result.warnings.join(' ') : 'HubSpot did not return everything.';
  return (
    <Alert title={title} variant="warning" testId={testId}>
      {detail}
    </Alert>
  );
}

/**
 * One backend answer on screen: a spinner while loading, a sentence and "Try again" on failure,
 * then the partial notice (when the answer says it is partial) above the empty state or the data.
 */
export function BackendView<T>({
  state,
  loading,
  failed,
  retryTestId,
  partial,
  partialTestId,
  isEmpty,
  empty,
  children,
}: {
  state: BackendState<T>;
  /** The spinner's label: "Loading your tasks". */
  loading: string;
  /** The error state's title: "Your tasks could not be loaded". */
  failed: string;
  retryTestId?: string;
  /** The notice's title when the answer is partial: "Some tasks may be missing". */
  partial?: string;
  partialTestId?: string;
  /** Whether the answer has nothing to show; `empty` is then shown instead of `children`. */
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  if (state.status === 'loading') return <Loading label={loading} />;
  if (state.status === 'error') return <LoadFailed title={failed} error={state.error} onRetry={state.reload} testId={retryTestId} />;
  const body = isEmpty?.(state.data) ? empty : children(state.data);
  const notice = partial ? <PartialNotice result={partialOf(state.data)} title={partial} testId={partialTestId} /> : null;
  return (
    <Flex direction="column" gap="small">
      {notice}
      {body}
    </Flex>
  );
}

/** "Load more" under a paged list, and why the next page did not come; nothing when there is no next page. */
export function LoadMore({ list, what, testId }: { list: Omit<PagedBackendState<unknown>, 'state'>; what: string; testId: string }) {
  return (
    <>
      {list.more.status === 'error' ? (
        <Text testId={`${testId}-error`}>{`More ${what} could not be loaded. ${list.more.error.message}`}</Text>
      ) : null}
      {list.hasMore ? (
        <Button testId={testId} size="sm" disabled={list.more.status === 'loading'} onClick={list.loadMore}>
          {list.more.status === 'loading' ? 'Loading…' : 'Load more'}
        </Button>
      ) : null}
    </>
  );
}
