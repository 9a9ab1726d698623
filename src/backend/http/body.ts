import './express-types';
import type { RequestHandler } from 'express';
import { AppError } from '../app-error';

/** The longest request target we route (path and query); HubSpot's own URLs are a few hundred bytes. */
export const MAX_URL_BYTES = 8 * 1024;

/** No route takes more than this; most take far less (bodyLimitFor). */
const KB = 1024;

/**
 * The largest body each route takes, in bytes. The signature covers the raw body, so the bytes
 * are read before anything is trusted: capping them by route keeps that read small.
 */
const BODY_LIMITS: { method: string; path: RegExp; limit: number }[] = [
  // A health profile (a few KB in practice; 64 KB leaves room for long filter lists).
  { method: 'POST', path: /^\/v1\/health\/profiles(\/[^/]+\/preview)?$/, limit: 64 * KB },
  { method: 'PUT', path: /^\/v1\/health\/profiles\/[^/]+$/, limit: 64 * KB },
  // Report choices and dashboards carry up to ten HubSpot links (URLs up to 2,000 characters).
  { method: 'PUT', path: /^\/v1\/summary\/reports$/, limit: 32 * KB },
  { method: 'POST', path: /^\/v1\/dashboards$/, limit: 32 * KB },
];
/** Every other route: no body, or a small one (guided-action feedback is ~30 bytes). */
const DEFAULT_BODY_LIMIT = 4 * KB;

export function bodyLimitFor(method: string, path: string): number {
  return BODY_LIMITS.find((l) => l.method === method && l.path.test(path))?.limit ?? DEFAULT_BODY_LIMIT;
}

const tooLarge = (limit: number) =>
  new AppError(
    'BAD_REQUEST',
    `The request body is larger than this endpoint takes (${limit / KB} KB).`,
    [{ field: 'body', issue: `at most ${limit} bytes` }],
    413,
  );

/** 414 before routing: a request target longer than MAX_URL_BYTES is refused unread. */
export const limitUrl: RequestHandler = (req, _res, next) => {
  if (req.originalUrl.length > MAX_URL_BYTES) {
    next(
      new AppError(
        'BAD_REQUEST',
        `The request URL is longer than ${MAX_URL_BYTES / KB} KB.`,
        [{ field: 'url', issue: `at most ${MAX_URL_BYTES} bytes` }],
        414,
      ),
    );
    return;
  }
  next();
};

/**
 * Reads the raw body bytes onto req.rawBody, at most the route's limit, without decompressing or
 * parsing anything: the signature is checked on exactly these bytes before they are trusted.
 */
export const readRawBody: RequestHandler = (req, _res, next) => {
  const limit = bodyLimitFor(req.method, req.path);
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    req.resume(); // drop what the client still sends; the answer does not need it
    next(tooLarge(limit));
    return;
  }
  if (req.readableEnded) {
    req.rawBody = Buffer.alloc(0);
    next();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let done = false;
  const finish = (err?: AppError) => {
    if (done) return;
    done = true;
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
    if (err) {
      req.resume();
      next(err);
      return;
    }
    req.rawBody = Buffer.concat(chunks, size);
    next();
  };
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) finish(tooLarge(limit));
    else chunks.push(chunk);
  };
  const onEnd = () => finish();
  const onError = () => finish(new AppError('BAD_REQUEST', 'The request body could not be read.'));
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onError);
};

/**
 * After the signature: HubSpot's proxy sends plain JSON, so any Content-Encoding but identity is
 * refused (415) rather than decompressed: nothing is inflated, and a lying `gzip` is no 500.
 */
export const refuseContentEncoding: RequestHandler = (req, _res, next) => {
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== '') {
    next(
      new AppError(
        'BAD_REQUEST',
        'Compressed request bodies are not accepted: send plain JSON.',
        [{ field: 'content-encoding', issue: 'only identity' }],
        415,
      ),
    );
    return;
  }
  next();
};
