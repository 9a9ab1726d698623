// Installs (issue #12): the OAuth install flow, tokens encrypted at rest and refreshed one
// portal at a time across instances, "needs reconnect", uninstall and the purge after it.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { AppError } from '../../app-error';
import type { CacheBus } from '../../cache-bus';
import { CrmError } from '../../crm/errors';
import type { OAuthClient, TokenSet } from '../../crm/oauth';
import { OAuthError } from '../../crm/oauth';
import { createInstallationsRepo, type Database, type Installation } from '../../storage';
import type { TokenCipher } from './token-cipher';

export const STATE_TTL_MS = 10 * 60_000;
/** Refresh this long before expiry (or at three quarters of a shorter lifetime). */
export const REFRESH_AHEAD_MS = 5 * 60_000;
/** How long one instance trusts what it read about a portal's token before reading the row again. */
const CACHE_MS = 30_000;

export type InstallStatusView = 'active' | 'needs-reconnect' | 'not-installed';

/** A failed install, shown to the browser as a plain page: 400 (retry may work) or 502 (HubSpot failed). */
export class InstallError extends Error {
  constructor(
    readonly status: 400 | 502,
    /** Short reason for the log. */
    readonly reason: string,
    /** The sentence the page shows. */
    readonly userMessage: string,
  ) {
    super(reason);
    this.name = 'InstallError';
  }
}

export type InstallServiceOptions = {
  db: Database;
  oauth: OAuthClient;
  cipher: TokenCipher;
  clientId: string;
  /** Signs the state values (the app's client secret: a server-side secret HubSpot also holds). */
  stateSecret: string;
  publicBaseUrl: string;
  /** https://app.hubspot.com/oauth/authorize, or the sandbox's /oauth/authorize. */
  authorizeUrl: string;
  scopes: { required: readonly string[]; optional: readonly string[] };
  logger: Logger;
  /** Days an uninstalled portal's data is kept (PURGE_AFTER_DAYS, default 30). */
  purgeAfterDays?: number;
  /** A single portal on a fixed private-app token (HUBSPOT_ACCESS_TOKEN + HUBSPOT_PORTAL_ID): no OAuth for it. */
  staticTokens?: ReadonlyMap<number, string>;
  now?: () => number;
  /** Other instances forget a portal's token when it is installed, uninstalled or purged here (scope 'install'). */
  bus?: CacheBus;
};

export type InstallService = ReturnType<typeof createInstallService>;

/** Builds the install service; `onInstalled` / `onUninstalled` hooks can be added until the first install. */
export function createInstallService(opts: InstallServiceOptions) {
  const now = opts.now ?? Date.now;
  const repo = createInstallationsRepo(opts.db);
  const staticTokens = opts.staticTokens ?? new Map<number, string>();
  const redirectUri = `${opts.publicBaseUrl}/oauth/callback`;
  const purgeAfterMs = (opts.purgeAfterDays ?? 30) * 86_400_000;
  const stateKey = createHmac('sha256', opts.stateSecret).update('tiller-oauth-state').digest();
  const installedHooks: ((portalId: number) => void | Promise<void>)[] = [];
  const uninstalledHooks: ((portalId: number) => void | Promise<void>)[] = [];
  // What this instance last read about each portal's token, and the loads in flight.
  type Known = { token: string; ciphertext: string; refreshAt: number; readAt: number };
  const known = new Map<number, Known>();
  const loading = new Map<number, Promise<string | null>>();
  opts.bus?.on('install', (portalId) => void known.delete(portalId));
  /** This instance's token of the portal is forgotten, and every other instance's. */
  const forget = async (portalId: number) => {
    known.delete(portalId);
    await opts.bus?.invalidate(portalId, 'install');
  };

  const ctx = (portalId: number, kind: 'access' | 'refresh') => `portal:${portalId}:${kind}`;
  const sign = (nonce: string) => createHmac('sha256', stateKey).update(nonce).digest('base64url');
  const hash = (s: string) => createHash('sha256').update(s).digest('hex');
  const refreshAtFor = (t: number, expiresInSeconds: number) =>
    t + expiresInSeconds * 1000 - Math.min(REFRESH_AHEAD_MS, (expiresInSeconds * 1000) / 4);

  function reconnectError(): AppError {
    return new AppError(
      'NEEDS_RECONNECT',
      'HubSpot no longer accepts Tiller for this portal, so Tiller has stopped reading it. A HubSpot super admin can reconnect Tiller to bring it back.',
      { reconnectUrl: `${opts.publicBaseUrl}/oauth/install` },
    );
  }

  function encrypted(portalId: number, set: TokenSet, at: number) {
    return {
      accessToken: opts.cipher.encrypt(set.accessToken, ctx(portalId, 'access')),
      refreshToken: opts.cipher.encrypt(set.refreshToken, ctx(portalId, 'refresh')),
      tokenExpiresAt: new Date(at + set.expiresInSeconds * 1000),
      tokenRefreshAt: new Date(refreshAtFor(at, set.expiresInSeconds)),
    };
  }

  async function runHooks(hooks: ((portalId: number) => void | Promise<void>)[], portalId: number, what: string) {
    for (const hook of hooks) {
      try {
        await hook(portalId);
      } catch (err) {
        opts.logger.error({ err, portalId }, `${what} hook failed`);
      }
    }
  }

  /** Reads (and when due, refreshes) the portal's access token; null when the portal has no install. */
  async function loadToken(portalId: number): Promise<string | null> {
    const row = await repo.get(portalId);
    const usable = usableToken(row);
    if (usable !== undefined) return usable;
    // Due for a refresh: one refresh per portal at a time across instances (an advisory lock on
    // PostgreSQL); whoever waited reads the row again and finds the new token.
    return opts.db.withLock(`oauth-refresh:${portalId}`, async (session) => {
      const lockedRepo = createInstallationsRepo(session);
      const current = await lockedRepo.get(portalId);
      const fresh = usableToken(current);
      if (fresh !== undefined) return fresh;
      const refreshToken = opts.cipher.decrypt(current!.refreshToken!, ctx(portalId, 'refresh'));
      let set: TokenSet;
      const at = now();
      try {
        set = await opts.oauth.refresh(refreshToken);
      } catch (err) {
        if (err instanceof OAuthError && err.kind === 'refused') {
          // HubSpot's certification: stop calling a portal whose refresh is refused (§3.4, §3.5).
          await lockedRepo.markNeedsReconnect(portalId, new Date(at + purgeAfterMs));
          known.delete(portalId);
          opts.logger.warn({ portalId, err: err.message }, 'refresh refused: install needs a reconnect');
          throw reconnectError();
        }
        opts.logger.warn({ portalId, err: err instanceof Error ? err.message : String(err) }, 'token refresh failed');
        throw new CrmError('server', 'HubSpot could not refresh the access token.');
      }
      const enc = encrypted(portalId, set, at);
      await lockedRepo.updateTokens(portalId, enc);
      remember(portalId, set.accessToken, enc.accessToken, enc.tokenRefreshAt.getTime());
      opts.logger.info({ portalId, expiresIn: set.expiresInSeconds }, 'access token refreshed');
      return set.accessToken;
    });
  }

  /** The row's token when it can be used as is; null for no install; undefined when a refresh is due. */
  function usableToken(row: Installation | undefined): string | null | undefined {
    if (!row || row.status === 'uninstalled') return null;
    if (row.status === 'needs-reconnect') throw reconnectError();
    if (!row.accessToken || !row.refreshToken) return null;
    const refreshAt = row.tokenRefreshAt?.getTime() ?? 0;
    if (refreshAt <= now()) return undefined;
    const token = opts.cipher.decrypt(row.accessToken, ctx(row.portalId, 'access'));
    remember(row.portalId, token, row.accessToken, refreshAt);
    return token;
  }

  function remember(portalId: number, token: string, ciphertext: string, refreshAt: number) {
    known.set(portalId, { token, ciphertext, refreshAt, readAt: now() });
  }

  const service = {
    redirectUri,

    /** Registers what an install starts (the portal copy's first load). */
    onInstalled(hook: (portalId: number) => void | Promise<void>): void {
      installedHooks.push(hook);
    },
    /** Registers what an uninstall stops (jobs, webhooks of the portal). */
    onUninstalled(hook: (portalId: number) => void | Promise<void>): void {
      uninstalledHooks.push(hook);
    },

    /** Step 1: the authorize URL and the browser secret to set as an HttpOnly cookie. */
    async startInstall(): Promise<{ url: string; browserSecret: string }> {
      const nonce = randomBytes(18).toString('base64url');
      const browserSecret = randomBytes(32).toString('base64url');
      await repo.saveState(nonce, hash(browserSecret), new Date(now() + STATE_TTL_MS));
      // Housekeeping for abandoned installs; not on the hot path of anything.
      void repo.dropExpiredStates(new Date(now() - STATE_TTL_MS)).catch(() => {});
      const url = new URL(opts.authorizeUrl);
      url.searchParams.set('client_id', opts.clientId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('scope', opts.scopes.required.join(' '));
      if (opts.scopes.optional.length) url.searchParams.set('optional_scope', opts.scopes.optional.join(' '));
      url.searchParams.set('state', `${nonce}.${sign(nonce)}`);
      return { url: url.toString(), browserSecret };
    },

    /** Step 2: checks the state, exchanges the code, reads who installed and what was granted, stores it all. */
    async completeInstall(input: { code?: string; state?: string; error?: string; browserSecret?: string }): Promise<{ portalId: number }> {
      // The state first, even on a denied consent: it is single-use whatever happens next.
      const [nonce, mac] = (input.state ?? '').split('.');
      if (!nonce || !mac) throw new InstallError(400, 'missing or malformed state', 'This install link is not valid.');
      const expected = Buffer.from(sign(nonce));
      const given = Buffer.from(mac);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw new InstallError(400, 'state signature does not match (foreign state)', 'This install link was not issued by Tiller.');
      }
      const saved = await repo.takeState(nonce);
      if (!saved) throw new InstallError(400, 'state unknown or already used', 'This install link was already used.');
      if (saved.expiresAt.getTime() < now())
        throw new InstallError(400, 'state expired', 'This install link expired (they last 10 minutes).');
      const browser = Buffer.from(hash(input.browserSecret ?? ''));
      if (!input.browserSecret || !timingSafeEqual(browser, Buffer.from(saved.browserHash))) {
        throw new InstallError(
          400,
          'state bound to another browser (cookie missing or different)',
          'This install was started in another browser or the browser did not keep its cookie.',
        );
      }
      if (input.error) {
        throw new InstallError(
          400,
          `authorization refused: ${input.error.slice(0, 60)}`,
          input.error === 'access_denied'
            ? 'The install was not approved in HubSpot, so nothing was installed.'
            : 'HubSpot did not complete the install.',
        );
      }
      if (!input.code) throw new InstallError(400, 'no authorization code', 'HubSpot did not send an authorization code.');

      let tokens: TokenSet;
      const at = now();
      try {
        tokens = await opts.oauth.exchangeCode(input.code, redirectUri);
      } catch (err) {
        if (err instanceof OAuthError && err.kind === 'refused')
          throw new InstallError(
            400,
            `code exchange refused: ${err.message}`,
            'HubSpot did not accept this install (the code is invalid or was already used).',
          );
        throw new InstallError(
          502,
          `code exchange failed: ${err instanceof Error ? err.message : String(err)}`,
          'HubSpot did not answer while finishing the install.',
        );
      }
      const revoke = () =>
        opts.oauth
          .revoke(tokens.refreshToken)
          .catch((err: unknown) => opts.logger.warn({ err }, 'could not revoke the tokens of a failed install'));
      let info;
      try {
        info = await opts.oauth.introspect(tokens.accessToken);
      } catch (err) {
        await revoke();
        throw new InstallError(
          502,
          `introspection failed: ${err instanceof Error ? err.message : String(err)}`,
          'HubSpot did not say which portal was installed.',
        );
      }
      const missing = opts.scopes.required.filter((s) => !info.scopes.includes(s));
      if (missing.length) {
        await revoke();
        throw new InstallError(
          400,
          `required scopes not granted: ${missing.join(' ')}`,
          `HubSpot did not grant the permissions Tiller needs (${missing.join(', ')}).`,
        );
      }
      const portalId = info.hubId;
      try {
        // One statement, in a transaction with nothing else: the install is whole or absent.
        await opts.db.transaction(async (tx) => {
          await createInstallationsRepo(tx).install(
            {
              portalId,
              scopes: info.scopes,
              hubDomain: info.hubDomain,
              installedByUserId: info.userId,
              ...encrypted(portalId, tokens, at),
            },
            new Date(now()),
          );
        });
      } catch (err) {
        await revoke();
        opts.logger.error({ err, portalId }, 'storing the install failed');
        throw new InstallError(502, 'storing the install failed', 'Tiller could not save the install.');
      }
      await forget(portalId);
      opts.logger.info({ portalId, userId: info.userId, scopes: info.scopes }, 'portal installed');
      await runHooks(installedHooks, portalId, 'onInstalled');
      return { portalId };
    },

    /** Where the gateway gets tokens: decrypted from the store, refreshed ahead of expiry. */
    tokens: {
      async accessToken(portalId: number): Promise<string | null> {
        const fixed = staticTokens.get(portalId);
        if (fixed) return fixed;
        const k = known.get(portalId);
        const t = now();
        if (k && k.refreshAt > t && t - k.readAt < CACHE_MS) return k.token;
        let load = loading.get(portalId);
        if (!load) {
          load = loadToken(portalId).finally(() => loading.delete(portalId));
          loading.set(portalId, load);
        }
        return load;
      },
      /** HubSpot answered 401 to this token: the next call refreshes (if nobody did meanwhile). */
      async rejected(portalId: number, token: string): Promise<void> {
        const k = known.get(portalId);
        known.delete(portalId);
        if (staticTokens.has(portalId) || !k || k.token !== token) return;
        await repo.refreshDueNow(portalId, k.ciphertext, new Date(now()));
      },
    },

    async status(portalId: number): Promise<InstallStatusView> {
      if (staticTokens.has(portalId)) return 'active';
      const row = await repo.get(portalId);
      if (!row || row.status === 'uninstalled') return 'not-installed';
      return row.status;
    },

    async get(portalId: number): Promise<Installation | undefined> {
      return repo.get(portalId);
    },

    /** Portals Tiller works for (background jobs): active installs and the static portal. */
    async activePortals(): Promise<number[]> {
      const rows = await repo.listServed();
      return [...new Set([...staticTokens.keys(), ...rows.filter((r) => r.status === 'active').map((r) => r.portalId)])];
    },

    /** HubSpot's app lifecycle event "uninstalled" (or our own uninstall): tokens dropped, purge scheduled. */
    async handleAppUninstalled(portalId: number): Promise<void> {
      const t = now();
      await repo.uninstall(portalId, new Date(t), new Date(t + purgeAfterMs));
      await forget(portalId);
      opts.logger.info({ portalId, purgeAfterDays: opts.purgeAfterDays ?? 30 }, 'portal uninstalled');
      await runHooks(uninstalledHooks, portalId, 'onUninstalled');
    },

    /**
     * A manager's "remove Tiller and delete our data now": uninstalls the app from the portal
     * through HubSpot's Uninstall API when Tiller may still call it, revokes the refresh token,
     * then purges at once.
     */
    async uninstallAndPurge(portalId: number, uninstallFromHubSpot: (portalId: number) => Promise<void>): Promise<{ tables: string[] }> {
      const row = await repo.get(portalId);
      if (row?.status === 'active' && row.refreshToken) {
        try {
          await uninstallFromHubSpot(portalId);
        } catch (err) {
          opts.logger.warn({ err, portalId }, 'HubSpot uninstall API failed; purging anyway');
        }
        await opts.oauth
          .revoke(opts.cipher.decrypt(row.refreshToken, ctx(portalId, 'refresh')))
          .catch((err: unknown) => opts.logger.warn({ err, portalId }, 'revoke failed'));
      }
      await service.handleAppUninstalled(portalId);
      return service.purge(portalId);
    },

    /** HubSpot's contact.privacyDeletion: everything Tiller stored about that contact is deleted. */
    async handleContactPrivacyDeletion(portalId: number, contactId: string): Promise<Record<string, number>> {
      const deleted = await opts.db.transaction((tx) => createInstallationsRepo(tx).forgetContact(portalId, contactId));
      opts.logger.info({ portalId, deleted }, 'contact privacy deletion applied');
      return deleted;
    },

    /** Deletes everything stored for the portal. */
    async purge(portalId: number): Promise<{ tables: string[] }> {
      const out = await opts.db.transaction((tx) => createInstallationsRepo(tx).purge(portalId, new Date(now())));
      await forget(portalId);
      opts.logger.info({ portalId, tables: out.tables }, 'portal data purged');
      return out;
    },

    /** Purges every portal whose grace period ended; one instance at a time. */
    async purgeDue(): Promise<number[]> {
      const done = await opts.db.tryLock('install-purge', async (session) => {
        const due = await createInstallationsRepo(session).duePurges(new Date(now()));
        for (const portalId of due) await service.purge(portalId);
        return due;
      });
      return done.acquired ? done.value : [];
    },
  };
  return service;
}
