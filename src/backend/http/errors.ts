import './express-types';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, clip } from '../app-error';
import { CrmError } from '../crm/errors';
import { fromCrmError } from '../services/crm-errors';

export { AppError } from '../app-error';

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('NOT_FOUND', `There is no endpoint ${req.method} ${clip(req.path, 200)}.`));
};

/**
 * The one translation of a failure into the answer: our errors as they are, HubSpot's through
 * fromCrmError, the client errors Express itself raises as 400, anything else a generic 500.
 */
export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof CrmError) return fromCrmError(err) as AppError;
  // The router's decodeURIComponent of a path parameter: a broken percent-encoding (`%ZZ`, `%C0%AF`).
  if (err instanceof URIError)
    return new AppError('BAD_REQUEST', 'The request path is not valid percent-encoding.', [
      { field: 'path', issue: 'not valid percent-encoding' },
    ]);
  // body-parser's own errors (routes outside /api/ read their bodies with express.raw)
  if (isBodyParserError(err)) {
    return err.type === 'entity.too.large'
      ? new AppError('BAD_REQUEST', 'The request body is larger than this endpoint takes.', [{ field: 'body', issue: 'too large' }], 413)
      : new AppError('BAD_REQUEST', 'The request body could not be read.', [{ field: 'body', issue: clip(err.type, 60) }]);
  }
  return null;
}

function isBodyParserError(err: unknown): err is { type: string } {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { type?: unknown }).type === 'string' &&
    (err as { type: string }).type.startsWith('entity.')
  );
}

/** The one error middleware: our errors as they are, anything else as a generic 500 (detail in the log). */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let appError = toAppError(err);
  if (!appError) {
    req.log?.error({ err }, 'unhandled error');
    appError = new AppError('INTERNAL', 'Something went wrong on our side. Please try again.');
  } else if (err instanceof CrmError) {
    const level = appError.status >= 500 ? 'warn' : 'info';
    req.log?.[level]({ hubspot: { kind: err.kind, status: err.status, message: clip(err.message, 500) } }, 'hubspot failed');
  }
  if (appError.status >= 500) req.log?.warn({ code: appError.code, msg: appError.message }, 'request failed');
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(appError.status).json(appError.toBody());
};
