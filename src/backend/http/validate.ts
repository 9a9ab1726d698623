import type { z } from 'zod';
import { invalidInput } from '../app-error';

const IDENTITY_PARAMS = new Set(['portalId', 'userId', 'userEmail', 'appId', 'asUserId']);

/** Parses the query string (without HubSpot's identity parameters); 400 listing each bad field. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const own = Object.fromEntries(Object.entries(query as Record<string, unknown>).filter(([k]) => !IDENTITY_PARAMS.has(k)));
  const parsed = schema.safeParse(own);
  if (!parsed.success) throw invalidInput('query', parsed.error.issues);
  return parsed.data;
}

/** Parses a JSON body; 400 listing each bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw invalidInput('body', parsed.error.issues);
  return parsed.data;
}
