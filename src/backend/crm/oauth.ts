// HubSpot's OAuth endpoints, dated 2026-03 (reference hubspot-platform.md §3.2–3.4). The SDK
// still calls /oauth/v1 (sunset 16 Feb 2027), so these are plain fetch calls with form bodies.
import { z } from 'zod';

export type OAuthClientOptions = {
  /** https://api.hubapi.com, or the sandbox. */
  basePath: string;
  clientId: string;
  clientSecret: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
};

/** Why an OAuth call failed: HubSpot refused it (`refused`, with its RFC 6749 error) or could not answer. */
export class OAuthError extends Error {
  constructor(
    readonly kind: 'refused' | 'unavailable',
    message: string,
    /** RFC 6749 error code (invalid_grant, invalid_client, …) when HubSpot refused. */
    readonly error: string | null = null,
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'OAuthError';
  }

  /** The grant (code or refresh token) is no longer valid: the user must install again. */
  get grantRefused(): boolean {
    return this.kind === 'refused' && this.error === 'invalid_grant';
  }
}

const tokenSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
});
export type TokenSet = { accessToken: string; refreshToken: string; expiresInSeconds: number };

const introspectionSchema = z.object({
  active: z.boolean(),
  hub_id: z.coerce.number().int().optional(),
  hub_domain: z.string().optional(),
  user_id: z.coerce.number().int().optional(),
  user: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  expires_in: z.coerce.number().optional(),
});
export type TokenInfo = { hubId: number; hubDomain: string | null; userId: number | null; userEmail: string | null; scopes: string[] };

const errorSchema = z.object({ error: z.string().optional(), error_description: z.string().optional(), message: z.string().optional() });

export interface OAuthClient {
  exchangeCode(code: string, redirectUri: string): Promise<TokenSet>;
  refresh(refreshToken: string): Promise<TokenSet>;
  /** Who a live access token belongs to and what it may do; refused when it is not active. */
  introspect(accessToken: string): Promise<TokenInfo>;
  revoke(refreshToken: string): Promise<void>;
}

export function createOAuthClient(opts: OAuthClientOptions): OAuthClient {
  const doFetch = opts.fetch ?? fetch;
  const base = opts.basePath.replace(/\/+$/, '');

  async function post(path: string, form: Record<string, string>): Promise<unknown> {
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ client_id: opts.clientId, client_secret: opts.clientSecret, ...form }).toString(),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new OAuthError(
        'unavailable',
        `HubSpot's OAuth endpoint could not be reached: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    const text = await res.text().catch(() => '');
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = undefined;
    }
    if (res.status >= 500 || res.status === 429)
      throw new OAuthError('unavailable', `HubSpot's OAuth endpoint answered ${res.status}`, null, res.status);
    if (!res.ok) {
      const e = errorSchema.safeParse(body);
      const error = e.success ? (e.data.error ?? null) : null;
      const why = e.success ? (e.data.error_description ?? e.data.message ?? '') : '';
      throw new OAuthError(
        'refused',
        `HubSpot refused the OAuth call (${res.status} ${error ?? 'error'}${why ? `: ${why}` : ''})`,
        error,
        res.status,
      );
    }
    if (body === undefined)
      throw new OAuthError('unavailable', 'HubSpot answered the OAuth call with something other than JSON', null, res.status);
    return body;
  }

  const toTokenSet = (body: unknown): TokenSet => {
    const t = tokenSchema.safeParse(body);
    if (!t.success) throw new OAuthError('unavailable', 'HubSpot answered the token call without the expected tokens');
    return { accessToken: t.data.access_token, refreshToken: t.data.refresh_token, expiresInSeconds: t.data.expires_in };
  };

  return {
    async exchangeCode(code, redirectUri) {
      return toTokenSet(await post('/oauth/2026-03/token', { grant_type: 'authorization_code', code, redirect_uri: redirectUri }));
    },
    async refresh(refreshToken) {
      return toTokenSet(await post('/oauth/2026-03/token', { grant_type: 'refresh_token', refresh_token: refreshToken }));
    },
    async introspect(accessToken) {
      const parsed = introspectionSchema.safeParse(
        await post('/oauth/2026-03/token/introspect', { token: accessToken, token_type_hint: 'access_token' }),
      );
      if (!parsed.success) throw new OAuthError('unavailable', 'HubSpot answered the token introspection in an unexpected shape');
      const i = parsed.data;
      if (!i.active || i.hub_id === undefined)
        throw new OAuthError('refused', 'HubSpot says the new access token is not active', 'invalid_token');
      return {
        hubId: i.hub_id,
        hubDomain: i.hub_domain ?? null,
        userId: i.user_id ?? null,
        userEmail: i.user ?? null,
        scopes: i.scopes ?? [],
      };
    },
    async revoke(refreshToken) {
      await post('/oauth/2026-03/token/revoke', { token: refreshToken, token_type_hint: 'refresh_token' });
    },
  };
}
