import './express-types';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '../app-error';

export { AppError } from '../app-error';

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('NOT_FOUND', `There is no endpoint ${req.method} ${req.path}.`));
};

/** The one error middleware: our errors as they are, anything else as a generic 500 (detail in the log). */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let appError: AppError;
  if (err instanceof AppError) {
    appError = err;
  } else if (isBodyParserError(err)) {
    appError =
      err.type === 'entity.too.large'
        ? new AppError('BAD_REQUEST', 'The request body is larger than 1 MB.')
        : new AppError('BAD_REQUEST', 'The request body is not valid JSON.');
  } else {
    req.log?.error({ err }, 'unhandled error');
    appError = new AppError('INTERNAL', 'Something went wrong on our side. Please try again.');
  }
  if (appError.status >= 500) req.log?.warn({ code: appError.code, msg: appError.message }, 'request failed');
  res.status(appError.status).json(appError.toBody());
};

function isBodyParserError(err: unknown): err is { type: string } {
  return typeof err === 'object' && err !== null && 'type' in err && typeof (err as { type: unknown }).type === 'string' &&
    String((err as { type: string }).type).startsWith('entity.');
}
