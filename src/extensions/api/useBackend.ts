import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { hubspot, logger, useExtensionContext } from '@hubspot/ui-extensions';
import type { ErrorCode } from './contract';
import type { ReadAnswer, ReadPath, WriteAnswer, WriteBody, WriteMethod, WritePath } from './endpoints';
import { backendOriginFrom } from './backendOrigin';

export type QueryParams = Record<string, string | number | boolean | undefined>;

export type BackendErrorCode = ErrorCode | 'NOT_CONFIGURED' | 'NETWORK' | 'BAD_RESPONSE';

/** A failed backend call: `message` is a plain sentence for the user, the rest is for logs. */
export type BackendError = {
  code: BackendErrorCode;
  message: string;
  httpStatus?: number;
  /** Field-level problems of a refused request (400), when the backend named them. */
  fields?: { field: string; issue: string }[];
};

export type BackendState<T> =
  | { status: 'loading'; data: undefined; error: undefined; reload: () => void }
  | { status: 'success'; data: T; error: undefined; reload: () => void }
  | { status: 'error'; data: undefined; error: BackendError; reload: () => void };

export type BackendRequest = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  params?: QueryParams;
  body?: Record<string, unknown>;
  timeoutMs?: number;
};

type Outcome<T> = { ok: true; data: T } | { ok: false; error: BackendError };

// HubSpot's proxy gives a call 15 s unless told otherwise; one aggregated call per view stays well inside.
const DEFAULT_TIMEOUT_MS = 15_000;

const FALLBACK_MESSAGES: Record<BackendErrorCode, string> = {
  NOT_CONFIGURED: 'Tiller is not connected to its server in this HubSpot account. Ask your admin to reinstall the app.',
  NETWORK: 'Tiller could not reach its server. Check your connection and try again.',
  BAD_RESPONSE: 'Tiller received an answer it could not read. Try again in a moment.',
  BAD_REQUEST: 'Tiller could not understand this request.',
  UNAUTHENTICATED: 'Tiller could not confirm that this request came from HubSpot. Reload the page and try again.',
  FORBIDDEN: 'You do not have access to this in Tiller. Ask your admin.',
  NOT_INSTALLED: 'Tiller is not installed in this HubSpot account. Ask your admin to install it.',
  NEEDS_RECONNECT: 'HubSpot no longer accepts Tiller in this account. A HubSpot super admin needs to reconnect Tiller.',
  NOT_FOUND: 'Tiller could not find what you asked for.',
  CONFLICT: 'Someone else changed this at the same time. Reload and try again.',
  RATE_LIMITED: 'HubSpot is busy right now. Try again in a minute.',
  HUBSPOT_FAILED: 'HubSpot did not answer Tiller in time. Try again in a moment.',
  UNAVAILABLE: 'Tiller is briefly unavailable. Try again in a moment.',
  INTERNAL: 'Something went wrong in Tiller. Try again in a moment.',
};

const KNOWN_CODES = new Set<string>(Object.keys(FALLBACK_MESSAGES));

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  429: 'RATE_LIMITED',
  502: 'HUBSPOT_FAILED',
  503: 'UNAVAILABLE',
};

/** The absolute URL of a backend path: hubspot.fetch rejects relative URLs. */
export function backendUrl(origin: string, path: string, params: QueryParams = {}): string {
  const url = new URL(path, origin);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Our error body is `{error:{code,message}}`; HubSpot's proxy may wrap it as `{responseBody: "<json>"}`.
function errorFromBody(body: unknown, httpStatus: number): BackendError {
  let candidate: unknown = body;
  if (isRecord(body) && typeof body.responseBody === 'string') {
    try {
      candidate = JSON.parse(body.responseBody);
    } catch {
      candidate = undefined;
    }
  }
  const inner = isRecord(candidate) && isRecord(candidate.error) ? candidate.error : undefined;
  const code: BackendErrorCode =
    inner && typeof inner.code === 'string' && KNOWN_CODES.has(inner.code)
      ? (inner.code as BackendErrorCode)
      : (STATUS_CODES[httpStatus] ?? 'INTERNAL');
  const message = inner && typeof inner.message === 'string' && inner.message.trim() ? inner.message : FALLBACK_MESSAGES[code];
  const fields = Array.isArray(inner?.details)
    ? inner.details.filter(
        (d): d is { field: string; issue: string } => isRecord(d) && typeof d.field === 'string' && typeof d.issue === 'string',
      )
    : [];
  return fields.length ? { code, message, httpStatus, fields } : { code, message, httpStatus };
}

/** One call to the Tiller backend through HubSpot's signed proxy. Never throws. */
export async function callBackend<T>(origin: string | null, path: string, request: BackendRequest = {}): Promise<Outcome<T>> {
  if (!origin) {
    logger.error('Tiller backend origin is missing: set the BACKEND_ORIGIN profile variable.');
    return { ok: false, error: { code: 'NOT_CONFIGURED', message: FALLBACK_MESSAGES.NOT_CONFIGURED } };
  }
  const url = backendUrl(origin, path, request.params);
  const method = request.method ?? 'GET';
  let response: Response;
  try {
    response = await hubspot.fetch(url, {
      method,
      timeout: request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ...(request.body ? { body: request.body } : {}),
    });
  } catch (cause) {
    logger.error(`Tiller backend call failed: ${method} ${url}: ${String(cause)}`);
    return { ok: false, error: { code: 'NETWORK', message: FALLBACK_MESSAGES.NETWORK } };
  }
  let body: unknown;
  try {
    body = response.status === 204 ? undefined : await response.json();
  } catch (cause) {
    logger.error(`Tiller backend sent unreadable JSON: ${method} ${url} (${response.status}): ${String(cause)}`);
    const error = response.ok
      ? { code: 'BAD_RESPONSE' as const, message: FALLBACK_MESSAGES.BAD_RESPONSE, httpStatus: response.status }
      : errorFromBody(undefined, response.status);
    return { ok: false, error };
  }
  if (!response.ok) {
    const error = errorFromBody(body, response.status);
    logger.warn(`Tiller backend answered ${response.status} ${error.code}: ${method} ${url}: ${JSON.stringify(body)}`);
    return { ok: false, error };
  }
  return { ok: true, data: body as T };
}

// The user a manager is viewing the workspace as (CS-SUM-7, SW-6); null: the viewing user.
const ViewAsContext = createContext<number | null>(null);

/** Every backend call below this provider carries `asUserId=<value>` (when the value is not null). */
export const ViewAsProvider = ViewAsContext.Provider;

/** The user id the workspace is shown as, or null for the viewing user. */
export function useViewAs(): number | null {
  return useContext(ViewAsContext);
}

function withViewAs(params: QueryParams | undefined, asUserId: number | null): QueryParams {
  return asUserId === null ? { ...params } : { ...params, asUserId };
}

/** The backend's origin as the app's variables give it (null when the app is not configured). */
export function useBackendOrigin(): string | null {
  return backendOriginFrom(useExtensionContext().variables);
}

/** Where calls from here go: the backend origin and the user the workspace is viewed as. */
function useCallTarget(): { origin: string | null; asUserId: number | null } {
  const context = useExtensionContext();
  return { origin: backendOriginFrom(context.variables), asUserId: useViewAs() };
}

/** A write to the backend, typed by method and path (see `WriteEndpoints`). Never throws. */
export type BackendWrite = <Method extends WriteMethod, Path extends WritePath<Method>>(
  method: Method,
  path: Path,
  body: WriteBody<Method, Path>,
  params?: QueryParams,
) => Promise<Outcome<WriteAnswer<Method, Path>>>;

/**
 * Sends writes (POST, PUT) on demand, with the same origin, view-as and error handling as
 * `useBackend`; `params` go in the query string (e.g. Revenue's `object`). The returned function never throws.
 */
export function useBackendCall(): BackendWrite {
  const { origin, asUserId } = useCallTarget();
  return useCallback<BackendWrite>(
    (method, path, body, params) =>
      callBackend(origin, path, { method, body: body as Record<string, unknown>, params: withViewAs(params, asUserId) }),
    [origin, asUserId],
  );
}

export type { Outcome as BackendOutcome };

/**
 * Loads `path` from the Tiller backend and follows `params`; the answer's type comes from the
 * path (`ReadEndpoints`). Only the newest request may set state: an answer to an older request
 * (params changed, reload, unmount) is dropped. A null `path` sends nothing and stays loading
 * (a call that waits for another one).
 */
export function useBackend<Path extends ReadPath>(path: Path | null, params: QueryParams = {}): BackendState<ReadAnswer<Path>> {
  const { origin, asUserId } = useCallTarget();
  const [reloads, setReloads] = useState(0);
  const [outcome, setOutcome] = useState<{ key: string; result: Outcome<ReadAnswer<Path>> } | null>(null);

  const paramsKey = JSON.stringify(
    Object.entries(withViewAs(params, asUserId))
      .filter(([, value]) => value !== undefined)
      .sort(),
  );
  const key = `${origin ?? ''} ${path ?? ''} ${paramsKey} ${reloads}`;

  useEffect(() => {
    if (path === null) return undefined;
    // Cleared when a newer request replaces this one (or on unmount): a late answer is dropped.
    let newest = true;
    const requestParams = Object.fromEntries(JSON.parse(paramsKey) as [string, string | number | boolean][]);
    void callBackend<ReadAnswer<Path>>(origin, path, { params: requestParams }).then((result) => {
      if (newest) setOutcome({ key, result });
    });
    return () => {
      newest = false;
    };
  }, [origin, path, paramsKey, key]);

  const reload = useCallback(() => setReloads((n) => n + 1), []);

  if (!outcome || outcome.key !== key) return { status: 'loading', data: undefined, error: undefined, reload };
  return outcome.result.ok
    ? { status: 'success', data: outcome.result.data, error: undefined, reload }
    : { status: 'error', data: undefined, error: outcome.result.error, reload };
}

type Paged = { paging?: { next?: { after: string } } };

export type PagedBackendState<T> = {
  /**
   * Every page loaded so far, the first one included. Loading and error are the first page's:
   * later pages never turn the whole list back into loading or error (see `more`).
   */
  state: BackendState<T[]>;
  hasMore: boolean;
  more: { status: 'idle' | 'loading' } | { status: 'error'; error: BackendError };
  loadMore: () => void;
};

/** The paths whose answer pages with `paging.next.after`. */
export type PagedPath = {
  [P in ReadPath]: ReadAnswer<P> extends Paged ? ('paging' extends keyof ReadAnswer<P> ? P : never) : never;
}[ReadPath];

/** A list that pages with `paging.next.after`: the first page follows `params`, "load more" appends the next. */
export function usePagedBackend<Path extends PagedPath>(path: Path | null, params: QueryParams = {}): PagedBackendState<ReadAnswer<Path>> {
  type Page = ReadAnswer<Path>;
  const first = useBackend(path, params);
  const { origin, asUserId } = useCallTarget();
  const firstPage = first.status === 'success' ? first.data : undefined;
  // Later pages belong to the first page they followed: a new first page (params, reload) drops them.
  const [extra, setExtra] = useState<{ owner: Page | undefined; pages: Page[] }>({ owner: undefined, pages: [] });
  const [more, setMore] = useState<{ owner: Page | undefined; state: PagedBackendState<Page>['more'] }>({
    owner: undefined,
    state: { status: 'idle' },
  });
  const pages = firstPage ? [firstPage, ...(extra.owner === firstPage ? extra.pages : [])] : [];
  const next = (pages[pages.length - 1] as Paged | undefined)?.paging?.next?.after;
  const moreState = more.owner === firstPage && firstPage ? more.state : { status: 'idle' as const };
  const paramsKey = JSON.stringify(params);

  const loadMore = useCallback(() => {
    if (!firstPage || !next || path === null) return;
    setMore({ owner: firstPage, state: { status: 'loading' } });
    const pageParams = withViewAs({ ...(JSON.parse(paramsKey) as QueryParams), after: next }, asUserId);
    void callBackend<Page>(origin, path, { params: pageParams }).then((result) => {
      if (result.ok) {
        setExtra((current) => ({ owner: firstPage, pages: [...(current.owner === firstPage ? current.pages : []), result.data] }));
        setMore({ owner: firstPage, state: { status: 'idle' } });
      } else {
        setMore({ owner: firstPage, state: { status: 'error', error: result.error } });
      }
    });
  }, [origin, asUserId, firstPage, next, path, paramsKey]);

  const state: BackendState<Page[]> = first.status === 'success' ? { ...first, data: pages } : first;
  return { state, hasMore: Boolean(next), more: moreState, loadMore };
}
