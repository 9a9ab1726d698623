/** Why a HubSpot call failed, decided from the status code and body, never from message text. */
export type CrmErrorKind =
  'not-found' | 'unauthorized' | 'forbidden' | 'bad-request' | 'rate-limited' | 'server' | 'timeout' | 'network' | 'deadline';

export class CrmError extends Error {
  constructor(
    readonly kind: CrmErrorKind,
    message: string,
    readonly status: number | null = null,
    readonly policyName: string | null = null,
  ) {
    super(message);
    this.name = 'CrmError';
  }

  get retryable(): boolean {
    return this.kind === 'server' || this.kind === 'timeout' || this.kind === 'network' || this.kind === 'rate-limited';
  }
}

type ApiExceptionLike = { code: number; body?: unknown };

function isApiException(err: unknown): err is ApiExceptionLike {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'number';
}

function bodyField(body: unknown, field: string): string | null {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return null;
    }
  }
  if (typeof parsed === 'object' && parsed !== null && typeof (parsed as Record<string, unknown>)[field] === 'string') {
    return (parsed as Record<string, string>)[field] ?? null;
  }
  return null;
}

/** Maps an SDK ApiException (or a transport error) to a CrmError. */
export function toCrmError(err: unknown): CrmError {
  if (err instanceof CrmError) return err;
  if (isApiException(err)) {
    const status = err.code;
    const policyName = bodyField(err.body, 'policyName');
    const message = bodyField(err.body, 'message') ?? `HubSpot answered ${status}`;
    if (status === 404) return new CrmError('not-found', message, status);
    if (status === 401) return new CrmError('unauthorized', message, status);
    if (status === 403) return new CrmError('forbidden', message, status);
    if (status === 429) return new CrmError('rate-limited', message, status, policyName);
    if (status >= 500) return new CrmError('server', message, status);
    if (status >= 400) return new CrmError('bad-request', message, status, bodyField(err.body, 'category'));
  }
  const code = (err as { code?: unknown; type?: unknown })?.code;
  if ((err as { type?: unknown })?.type === 'request-timeout' || code === 'ETIMEDOUT') {
    return new CrmError('timeout', 'HubSpot did not answer in time');
  }
  return new CrmError('network', `Could not reach HubSpot: ${(err as Error)?.message ?? String(err)}`);
}
