import './express-types';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from './errors';

/** HubSpot accepts timestamps up to 5 minutes old; we also refuse ones more than 5 minutes ahead. */
export const MAX_SKEW_MS = 5 * 60 * 1000;

// The percent-encodings HubSpot decodes before signing (hubspot-platform.md §2.3).
const DECODED: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

/** The URI as HubSpot signs it: the listed %XX sequences decoded, everything else untouched. */
export function normalizeSignedUri(uri: string): string {
  return uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()] ?? m);
}

/** Base64 HMAC-SHA256 of method + uri + body + timestamp with the app's client secret. */
export function signV3(secret: string, method: string, uri: string, rawBody: string, timestamp: string): string {
  return hmacV3(secret, method, normalizeSignedUri(uri), rawBody, timestamp);
}

function hmacV3(secret: string, method: string, uri: string, rawBody: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${method.toUpperCase()}${uri}${rawBody}${timestamp}`, 'utf8').digest('base64');
}

/** Constant-time equality of two Base64 signatures (equal time whatever the lengths). */
function sameSignature(given: Buffer, expected: Buffer): boolean {
  return given.length === expected.length ? timingSafeEqual(given, expected) : !timingSafeEqual(expected, expected);
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'bad-timestamp' | 'stale' | 'future' | 'mismatch' };

/** Verifies a v3 signature in constant time; never throws. */
export function verifyV3(input: {
  secret: string;
  method: string;
  uri: string;
  rawBody: string;
  signature: string | undefined;
  timestamp: string | undefined;
  now: number;
}): SignatureCheck {
  const { signature, timestamp } = input;
  if (!signature || !timestamp) return { ok: false, reason: 'missing' };
  if (!/^\d{1,16}$/.test(timestamp)) return { ok: false, reason: 'bad-timestamp' };
  const age = input.now - Number(timestamp);
  if (age > MAX_SKEW_MS) return { ok: false, reason: 'stale' };
  if (age < -MAX_SKEW_MS) return { ok: false, reason: 'future' };
  const given = Buffer.from(signature, 'utf8');
  // The URI as HubSpot decodes it (§2.3), or as received: `hs project dev`'s proxy signs the mapped
  // local URL without decoding it (§2.2–2.4). Both are MACs with our secret over this exact request;
  // docs/security.md ("Request signatures: the two URI forms") explains why this is no weaker.
  // Both are always computed and compared, so the time taken does not depend on which matched.
  const decoded = sameSignature(given, Buffer.from(signV3(input.secret, input.method, input.uri, input.rawBody, timestamp), 'utf8'));
  const asReceived = sameSignature(given, Buffer.from(hmacV3(input.secret, input.method, input.uri, input.rawBody, timestamp), 'utf8'));
  return decoded || asReceived ? { ok: true } : { ok: false, reason: 'mismatch' };
}

const REASONS: Record<Exclude<SignatureCheck, { ok: true }>['reason'], string> = {
  missing: 'This request is not signed by HubSpot.',
  'bad-timestamp': 'The request timestamp is not valid.',
  stale: 'The request signature has expired (older than 5 minutes).',
  future: 'The request timestamp is in the future.',
  mismatch: 'The request signature does not match.',
};

/**
 * Express middleware: verifies X-HubSpot-Signature-v3 over the raw body. Must run after a raw body
 * parser that stores the bytes on req.rawBody, and before anything reads the query string.
 */
export function requireHubSpotSignature(opts: { secret: string; publicBaseUrl: string; now: () => number }): RequestHandler {
  return (req, _res, next) => {
    const rawBody = req.rawBody?.toString('utf8') ?? '';
    const check = verifyV3({
      secret: opts.secret,
      method: req.method,
      uri: opts.publicBaseUrl + req.originalUrl,
      rawBody,
      signature: req.get('x-hubspot-signature-v3'),
      timestamp: req.get('x-hubspot-request-timestamp'),
      now: opts.now(),
    });
    if (!check.ok) {
      req.log?.info({ reason: check.reason }, 'signature rejected');
      next(new AppError('UNAUTHENTICATED', REASONS[check.reason]));
      return;
    }
    next();
  };
}
