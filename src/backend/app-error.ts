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

/** An error we mean to show the caller: a code from our vocabulary and a plain sentence. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }

  toBody(): ErrorBody {
    return { error: this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details } };
  }
}
