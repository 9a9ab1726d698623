// The install service against the sandbox as HubSpot, on both databases: the state's checks,
// failures storing nothing, one refresh per portal across two instances, needs-reconnect.
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import type { Fixture } from '@tiller/hubspot-sandbox/fixture';
import { AppError } from '../../app-error';
import { createOAuthClient } from '../../crm/oauth';
import { createPostgresTestDatabase, describeEachDatabase, truncateAll } from '../../storage/testing';
import { createInstallationsRepo, type Database } from '../../storage';
import { createInstallService, InstallError, type InstallService } from './install-service';
import { createTokenCipher } from './token-cipher';

const PORTAL = 515;
const fixture = {
  portal: { id: PORTAL, timeZone: 'UTC', domain: 'svc.example', accessToken: 'unused' },
  users: [{ id: '71', email: 'sa@svc.example', firstName: 'Sam', lastName: 'Admin', superAdmin: true, timeZone: null }],
  owners: [],
  objects: {},
} as unknown as Fixture;

let sandbox: Sandbox;
let skew = 0;
const clock = () => Date.now() + skew;
beforeAll(async () => {
  sandbox = await startSandbox({ fixtures: [fixture], oauth: { clientId: 'cid', clientSecret: 'csecret' }, now: clock });
});
afterAll(async () => sandbox?.close());

function service(db: Database, basePath = sandbox.url): InstallService {
  return createInstallService({
    db,
    oauth: createOAuthClient({ basePath, clientId: 'cid', clientSecret: 'csecret', timeoutMs: 2000 }),
    cipher: createTokenCipher([{ id: 'k1', key: Buffer.alloc(32, 9) }]),
    clientId: 'cid',
    stateSecret: 'csecret',
    publicBaseUrl: 'https://tiller.test',
    authorizeUrl: `${sandbox.url}/oauth/authorize`,
    scopes: { required: ['oauth', 'crm.objects.contacts.read'], optional: ['crm.objects.leads.read'] },
    logger: pino({ level: 'silent' }),
    now: clock,
  });
}

/** The consent screen's answer for a started install: the callback's query. */
async function consent(url: string): Promise<{ code?: string; state?: string; error?: string }> {
  const res = await fetch(url, { redirect: 'manual' });
  const back = new URL(res.headers.get('location')!);
  const q = Object.fromEntries(back.searchParams);
  return { code: q.code, state: q.state, error: q.error };
}

async function install(svc: InstallService) {
  const { url, browserSecret } = await svc.startInstall();
  return svc.completeInstall({ ...(await consent(url)), browserSecret });
}

async function expectRefused(p: Promise<unknown>, status: 400 | 502, reason: RegExp) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InstallError);
  expect(err).toMatchObject({ status, reason: expect.stringMatching(reason) });
}

describeEachDatabase('install service', (getDb, kind) => {
  beforeEach(async () => {
    skew = 0;
    await truncateAll(getDb());
  });

  it('asks HubSpot for the required and optional scopes with a signed state, and stores the install encrypted', async () => {
    const svc = service(getDb());
    const { url } = await svc.startInstall();
    const u = new URL(url);
    expect(Object.fromEntries(u.searchParams)).toMatchObject({
      client_id: 'cid',
      redirect_uri: 'https://tiller.test/oauth/callback',
      scope: 'oauth crm.objects.contacts.read',
      optional_scope: 'crm.objects.leads.read',
      state: expect.stringMatching(/^[\w-]+\.[\w-]+$/),
    });
    expect(await install(svc)).toEqual({ portalId: PORTAL });
    const row = await createInstallationsRepo(getDb()).get(PORTAL);
    expect(row).toMatchObject({
      status: 'active',
      installedByUserId: 71,
      scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.leads.read'],
    });
    expect(row!.accessToken).toMatch(/^v1\.k1\./);
    expect(await svc.tokens.accessToken(PORTAL)).toMatch(/^sbx-at-/);
  });

  it('records the scopes granted when the optional ones are declined', async () => {
    sandbox.control.nextConsent({ declineOptionalScopes: true });
    await install(service(getDb()));
    expect((await createInstallationsRepo(getDb()).get(PORTAL))?.scopes).toEqual(['oauth', 'crm.objects.contacts.read']);
  });

  it('refuses a reused, expired, foreign or other-browser state, a denied consent and a bad code, storing nothing', async () => {
    const svc = service(getDb());
    const repo = createInstallationsRepo(getDb());
    // reused
    const a = await svc.startInstall();
    const answer = await consent(a.url);
    await svc.completeInstall({ ...answer, browserSecret: a.browserSecret });
    await truncateAll(getDb());
    await expectRefused(svc.completeInstall({ ...answer, browserSecret: a.browserSecret }), 400, /already used/);
    // expired
    const b = await svc.startInstall();
    const late = await consent(b.url);
    skew += 11 * 60_000;
    await expectRefused(svc.completeInstall({ ...late, browserSecret: b.browserSecret }), 400, /expired/);
    skew = 0;
    // foreign: a state not signed with our secret
    const c = await svc.startInstall();
    const other = await consent(c.url);
    await expectRefused(
      svc.completeInstall({ ...other, state: `${other.state!.split('.')[0]}.forged`, browserSecret: c.browserSecret }),
      400,
      /foreign/,
    );
    await expectRefused(svc.completeInstall({ code: other.code }), 400, /malformed/);
    // another browser (no or another cookie)
    const d = await svc.startInstall();
    await expectRefused(svc.completeInstall({ ...(await consent(d.url)), browserSecret: 'someone-else' }), 400, /another browser/);
    // denied consent
    sandbox.control.nextConsent({ deny: true });
    const e = await svc.startInstall();
    const denied = await consent(e.url);
    expect(denied).toMatchObject({ error: 'access_denied', code: undefined });
    await expectRefused(svc.completeInstall({ ...denied, browserSecret: e.browserSecret }), 400, /access_denied/);
    // bad code
    const f = await svc.startInstall();
    await expectRefused(
      svc.completeInstall({ ...(await consent(f.url)), code: 'not-a-code', browserSecret: f.browserSecret }),
      400,
      /code exchange refused/,
    );
    expect(await repo.get(PORTAL)).toBeUndefined();
  });

  it('answers 502 and stores nothing when HubSpot does not answer the code exchange', async () => {
    const down = service(getDb(), 'http://127.0.0.1:9'); // nothing listens on the discard port
    const { url, browserSecret } = await down.startInstall();
    await expectRefused(down.completeInstall({ ...(await consent(url)), browserSecret }), 502, /code exchange failed/);
    expect(await createInstallationsRepo(getDb()).get(PORTAL)).toBeUndefined();
  });

  it('makes one refresh for 50 concurrent requests on an expired token, across two instances', async () => {
    const second = kind === 'postgres' ? await createPostgresTestDatabase(getDb().schema!, { dropOnClose: false }) : getDb();
    try {
      const one = service(getDb());
      const two = service(second);
      await install(one);
      const first = await one.tokens.accessToken(PORTAL);
      expect(await two.tokens.accessToken(PORTAL)).toBe(first);
      skew += 31 * 60_000;
      const before = sandbox.control.refreshCount(PORTAL);
      const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? one : two).tokens.accessToken(PORTAL)));
      expect(sandbox.control.refreshCount(PORTAL) - before).toBe(1);
      expect(new Set(tokens).size).toBe(1);
      expect(tokens[0]).not.toBe(first);
    } finally {
      if (second !== getDb()) await second.close();
    }
  });

  it('marks the install needs-reconnect when HubSpot refuses the refresh, and stops asking', async () => {
    const svc = service(getDb());
    await install(svc);
    sandbox.control.revokeTokens(PORTAL);
    skew += 31 * 60_000;
    const err = await svc.tokens.accessToken(PORTAL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'NEEDS_RECONNECT', details: { reconnectUrl: 'https://tiller.test/oauth/install' } });
    expect(await svc.status(PORTAL)).toBe('needs-reconnect');
    const before = sandbox.control.refreshCount(PORTAL);
    await expect(svc.tokens.accessToken(PORTAL)).rejects.toMatchObject({ code: 'NEEDS_RECONNECT' });
    expect(sandbox.control.refreshCount(PORTAL)).toBe(before);
    expect(await svc.activePortals()).toEqual([]);
    // a refused refresh is how an uninstall is often learned: unless reconnected, purged after the grace period
    skew += 30 * 86_400_000 + 1;
    expect(await svc.purgeDue()).toEqual([PORTAL]);
    expect(await svc.status(PORTAL)).toBe('not-installed');
  });

  it('uninstalls (tokens dropped, purge scheduled after PURGE_AFTER_DAYS) and calls the hooks', async () => {
    const svc = service(getDb());
    const seen: string[] = [];
    svc.onInstalled((p) => void seen.push(`installed ${p}`));
    svc.onUninstalled((p) => void seen.push(`uninstalled ${p}`));
    await install(svc);
    await svc.handleAppUninstalled(PORTAL);
    expect(seen).toEqual([`installed ${PORTAL}`, `uninstalled ${PORTAL}`]);
    expect(await svc.tokens.accessToken(PORTAL)).toBeNull();
    expect(await svc.status(PORTAL)).toBe('not-installed');
    expect(await svc.purgeDue()).toEqual([]);
    skew += 30 * 86_400_000 + 1;
    expect(await svc.purgeDue()).toEqual([PORTAL]);
  });
});
