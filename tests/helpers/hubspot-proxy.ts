// Plays HubSpot's hubspot.fetch proxy in tests: appends the caller's identity and signs v3.
import { signV3 } from '../../src/backend/http/signature';

export type ProxyCall = {
  method?: string;
  path: string;
  portalId?: number;
  userId?: number;
  query?: Record<string, string>;
  body?: unknown;
  timestamp?: number;
  secret?: string;
};

export function proxiedRequest(publicBaseUrl: string, secret: string, call: ProxyCall) {
  const url = new URL(call.path, 'http://x');
  for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, v);
  if (call.portalId !== undefined) url.searchParams.set('portalId', String(call.portalId));
  if (call.userId !== undefined) url.searchParams.set('userId', String(call.userId));
  const pathAndQuery = `${url.pathname}${url.search}`;
  const method = (call.method ?? 'GET').toUpperCase();
  const body = call.body === undefined ? '' : JSON.stringify(call.body);
  const timestamp = String(call.timestamp ?? Date.now());
  const signature = signV3(call.secret ?? secret, method, publicBaseUrl + pathAndQuery, body, timestamp);
  return {
    method,
    pathAndQuery,
    body,
    headers: {
      'X-HubSpot-Signature-v3': signature,
      'X-HubSpot-Request-Timestamp': timestamp,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    } as Record<string, string>,
  };
}
