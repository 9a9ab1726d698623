import type { z } from 'zod';
import { AppError } from '../app-error';

const IDENTITY_PARAMS = new Set(['portalId', 'userId', 'userEmail', 'appId', 'asUserId']);

function fail(error: z.ZodError, what: string): never {
  const details = error.issues.map((i) => ({ field: i.path.join('.') || what, issue: i.message }));
  throw new AppError('BAD_REQUEST', `Some ${what} values are not valid: ${details.map((d) => d.field).join(', ')}.`, details);
}

/** Parses the query string (without HubSpot's identity parameters); 400 listing each bad field. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const own = Object.fromEntries(Object.entries(query as Record<string, unknown>).filter(([k]) => !IDENTITY_PARAMS.has(k)));
  const parsed = schema.safeParse(own);
  if (!parsed.success) fail(parsed.error, 'query');
  return parsed.data;
}

/** Parses a JSON body; 400 listing each bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) fail(parsed.error, 'body');
  return parsed.data;
}
