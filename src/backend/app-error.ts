import type { ErrorBody, ErrorCode } from './contract/api';

export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_INSTALLED: 403,
  NEEDS_RECONNECT: 409,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  HUBSPOT_FAILED: 502,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** Client errors whose HTTP status is more precise than their code's (the code stays BAD_REQUEST). */
export type BadRequestStatus = 400 | 413 | 414 | 415 | 431;

/** An error we mean to show the caller: a code from our vocabulary and a plain sentence. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    private readonly statusOverride?: BadRequestStatus,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return this.code === 'BAD_REQUEST' && this.statusOverride ? this.statusOverride : STATUS_BY_CODE[this.code];
  }

  toBody(): ErrorBody {
    return {
      error:
        this.details === undefined
          ? { code: this.code, message: this.message }
          : { code: this.code, message: this.message, details: this.details },
    };
  }
}

/** At most this many field issues are listed in an error's details (and named in its message). */
export const MAX_ISSUES = 20;
const MAX_FIELD_CHARS = 120;
const MAX_ISSUE_CHARS = 200;

/** Caps a string we echo back (a field path, an issue, a path), marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * A 400 listing the bad fields of some input: at most MAX_ISSUES, each clipped, so that a
 * request with 50,000 unknown keys gets an answer of a few KB, not one that echoes them all.
 */
export function invalidInput(
  what: string,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  prefix: string[] = [],
): AppError {
  const details = issues.slice(0, MAX_ISSUES).map((i) => ({
    field: clip([...prefix, ...i.path.map(String)].join('.') || what, MAX_FIELD_CHARS),
    issue: clip(i.message, MAX_ISSUE_CHARS),
  }));
  if (issues.length > MAX_ISSUES) details.push({ field: '…', issue: `${issues.length - MAX_ISSUES} more issues not listed` });
  // The sentence names the first few fields; details has the rest.
  const named = [...new Set(details.slice(0, MAX_ISSUES).map((d) => d.field))];
  const more = Math.max(0, named.length - 5) + Math.max(0, issues.length - MAX_ISSUES);
  const list = named.slice(0, 5).join(', ') + (more > 0 ? ` and ${more} more` : '');
  return new AppError('BAD_REQUEST', `Some ${what} values are not valid: ${list}.`, details);
}
