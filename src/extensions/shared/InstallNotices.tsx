import { Alert, Link, Text } from '@hubspot/ui-extensions';
import type { BackendError } from '../api/useBackend';
import type { InstallStatusResponse } from '../../backend/contract/install';

/**
 * HubSpot refused Tiller's refresh token: nothing can load until a super admin reconnects.
 * Shown by any screen whose load failed with NEEDS_RECONNECT (the link is `${backendOrigin}/oauth/install`).
 */
export function ReconnectNotice({
  error,
  backendOrigin,
  testId = 'reconnect',
}: {
  error: BackendError | undefined;
  backendOrigin: string;
  testId?: string;
}) {
  if (error?.code !== 'NEEDS_RECONNECT') return null;
  return (
    <Alert title="Tiller needs to be reconnected" variant="danger" testId={testId}>
      <Text>{error.message}</Text>
      <Link href={{ url: `${backendOrigin}/oauth/install`, external: true }}>Reconnect Tiller</Link>
    </Alert>
  );
}

/** Optional permissions the portal did not grant, each with the feature it enables (GET /api/v1/install). */
export function MissingScopesNotice({
  install,
  testId = 'missing-scopes',
}: {
  install: Pick<InstallStatusResponse, 'missingScopes'>;
  testId?: string;
}) {
  if (install.missingScopes.length === 0) return null;
  return (
    <Alert title="Some features are off" variant="info" testId={testId}>
      {install.missingScopes.map((m) => (
        <Text key={m.scope}>{m.sentence}</Text>
      ))}
    </Alert>
  );
}
