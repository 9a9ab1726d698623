// The install pages and /api/v1/install* over real HTTP: the app on a real store and gateway,
// the sandbox as HubSpot with two portals. Authorization: member, manager, another portal.
import type { Server } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '@tiller/hubspot-sandbox';
import type { Fixture } from '@tiller/hubspot-sandbox/fixture';
import { createCrmGateway, type CrmGateway } from '../../crm/gateway';
import { createOAuthClient } from '../../crm/oauth';
import { optionalScopes, requiredScopes } from '../../crm/scopes';
import { installLikeABrowser } from '../../services/install/browser-install';
import { createInstallService, type InstallService } from '../../services/install/install-service';
import { createRoles } from '../../services/install/roles';
import { createTokenCipher } from '../../services/install/token-cipher';
import { createDatabase, type Database } from '../../storage';
import { proxiedRequest } from '../../../../tests/helpers/hubspot-proxy';
import { createApp } from '../app';

const PUBLIC = 'https://tiller.test';
const SECRET = 'routes-secret';
const A = 601;
const B = 602;
const ADMIN_A = 11,
  MEMBER_A = 12,
  OTHER_A = 13,
  ADMIN_B = 21;

const portal = (id: number, users: [number, boolean][]) =>
  ({
    portal: { id, timeZone: 'UTC', domain: `p${id}.example`, accessToken: `unused-${id}` },
    users: users.map(([u, sa]) => ({
      id: String(u),
      email: `u${u}@p${id}.example`,
      firstName: 'U',
      lastName: String(u),
      superAdmin: sa,
      timeZone: null,
    })),
    owners: [],
    objects: {},
  }) as unknown as Fixture;

let sandbox: Sandbox;
let db: Database;
let crm: CrmGateway;
let install: InstallService;
let server: Server;
let backend: string;

beforeAll(async () => {
  sandbox = await startSandbox({
    fixtures: [
      portal(A, [
        [ADMIN_A, true],
        [MEMBER_A, false],
        [OTHER_A, false],
      ]),
      portal(B, [[ADMIN_B, true]]),
    ],
  });
  db = await createDatabase({});
  const logger = pino({ level: 'silent' });
  install = createInstallService({
    db,
    logger,
    clientId: 'cid',
    stateSecret: SECRET,
    publicBaseUrl: PUBLIC,
    authorizeUrl: `${sandbox.url}/oauth/authorize`,
    oauth: createOAuthClient({ basePath: sandbox.url, clientId: 'cid', clientSecret: SECRET }),
    cipher: createTokenCipher([{ id: 'k1', key: Buffer.alloc(32, 3) }]),
    scopes: { required: requiredScopes(), optional: optionalScopes() },
  });
  crm = createCrmGateway({ basePath: sandbox.url, tokens: install.tokens });
  const roles = createRoles({ db, crm, logger });
  const app = createApp({
    publicBaseUrl: PUBLIC,
    clientSecret: SECRET,
    crm,
    db,
    logger,
    installations: { isInstalled: async (p) => (await install.status(p)) !== 'not-installed' },
    roles,
    install: { service: install, roles, oauthPages: true },
  });
  server = app.listen(0);
  await new Promise((r) => server.once('listening', r));
  const addr = server.address();
  backend = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}, 60_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await crm?.close();
  await db?.close();
  await sandbox?.close();
});

async function api(portalId: number, userId: number, path: string, init: { method?: string; body?: unknown } = {}) {
  const call = proxiedRequest(PUBLIC, SECRET, { path, portalId, userId, method: init.method, body: init.body });
  const res = await fetch(`${backend}${call.pathAndQuery}`, { method: call.method, headers: call.headers, body: call.body || undefined });
  const text = await res.text();
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : null) as { error?: { code: string; message: string; details?: unknown } } & Record<string, unknown>,
  };
}

describe('GET /oauth/install and /oauth/callback', () => {
  it('redirects to the authorize URL with a browser-bound cookie (HttpOnly, SameSite=Lax, Secure on https)', async () => {
    const res = await fetch(`${backend}/oauth/install`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(`${to.origin}${to.pathname}`).toBe(`${sandbox.url}/oauth/authorize`);
    expect(to.searchParams.get('scope')!.split(' ')).toEqual(requiredScopes());
    expect(to.searchParams.get('optional_scope')!.split(' ')).toEqual(optionalScopes());
    expect(to.searchParams.get('redirect_uri')).toBe(`${PUBLIC}/oauth/callback`);
    const cookie = res.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^tiller_install=[\w-]+;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Secure/);
  });

  it('shows a plain 400 page with a retry link for a denied consent, and stores nothing', async () => {
    sandbox.control.nextConsent({ deny: true });
    const res = await installLikeABrowser({ backendUrl: backend, authorizeParams: { portal_id: String(A) } });
    expect(res).toMatchObject({ ok: false, status: 400 });
    expect(res.ok ? '' : res.page).toMatch(/not approved in HubSpot[\s\S]*Nothing was saved[\s\S]*href="\/oauth\/install"/);
    expect(await install.status(A)).toBe('not-installed');
  });

  it('shows a 400 page for a callback without the browser cookie', async () => {
    const start = await fetch(`${backend}/oauth/install`, { redirect: 'manual' });
    const consent = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const back = new URL(consent.headers.get('location')!);
    const res = await fetch(`${backend}${back.pathname}${back.search}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/another browser/);
  });
});

describe('/api/v1/install* authorization (member, manager, another portal)', () => {
  beforeAll(async () => {
    expect((await api(A, ADMIN_A, '/api/v1/install')).body.error?.code).toBe('NOT_INSTALLED');
    sandbox.control.nextConsent({ declineOptionalScopes: true });
    expect(await installLikeABrowser({ backendUrl: backend, authorizeParams: { portal_id: String(A) } })).toMatchObject({
      ok: true,
      portalId: A,
    });
    expect(await installLikeABrowser({ backendUrl: backend, authorizeParams: { portal_id: String(B) } })).toMatchObject({
      ok: true,
      portalId: B,
    });
  });

  it('tells each user their role and which declined scope hides which feature', async () => {
    expect((await api(A, ADMIN_A, '/api/v1/install')).body).toMatchObject({
      portalId: A,
      status: 'active',
      role: 'manager',
      missingScopes: expect.arrayContaining([
        { scope: 'crm.objects.leads.read', sentence: expect.stringMatching(/Leads .* need the "crm.objects.leads.read" permission/) },
      ]),
    });
    expect((await api(A, MEMBER_A, '/api/v1/install')).body).toMatchObject({ role: 'member' });
    expect((await api(B, ADMIN_B, '/api/v1/install')).body).toMatchObject({ portalId: B, role: 'manager', missingScopes: [] });
  });

  it('tells a user HubSpot does not list for the portal to ask their admin', async () => {
    const res = await api(A, ADMIN_B, '/api/v1/install');
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/Ask your HubSpot admin/),
      details: { reason: 'NO_ACCESS' },
    });
  });

  it('lets only managers list, grant and revoke managers, each in their own portal', async () => {
    expect((await api(A, MEMBER_A, '/api/v1/install/managers')).status).toBe(403);
    expect((await api(A, MEMBER_A, '/api/v1/install/managers', { method: 'POST', body: { userId: OTHER_A } })).status).toBe(403);
    expect((await api(A, ADMIN_A, '/api/v1/install/managers', { method: 'POST', body: { userId: 999 } })).status).toBe(400);
    expect((await api(A, ADMIN_A, '/api/v1/install/managers', { method: 'POST', body: { userId: MEMBER_A } })).status).toBe(204);
    expect((await api(A, MEMBER_A, '/api/v1/install')).body).toMatchObject({ role: 'manager' });
    expect((await api(A, ADMIN_A, '/api/v1/install/managers')).body).toEqual({
      managers: [
        { userId: ADMIN_A, reasons: ['super-admin', 'installer'] },
        { userId: MEMBER_A, reasons: ['granted'] },
      ],
    });
    // another portal's manager acts on their own portal only
    expect((await api(B, ADMIN_B, '/api/v1/install/managers')).body).toEqual({
      managers: [{ userId: ADMIN_B, reasons: ['super-admin', 'installer'] }],
    });
    expect((await api(B, ADMIN_B, `/api/v1/install/managers/${MEMBER_A}`, { method: 'DELETE' })).status).toBe(404);
    expect((await api(A, MEMBER_A, '/api/v1/install')).body).toMatchObject({ role: 'manager' });
    expect((await api(A, OTHER_A, `/api/v1/install/managers/${MEMBER_A}`, { method: 'DELETE' })).status).toBe(403);
    expect((await api(A, ADMIN_A, `/api/v1/install/managers/${MEMBER_A}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(A, MEMBER_A, '/api/v1/install')).body).toMatchObject({ role: 'member' });
  });

  it('lets only a manager uninstall and purge at once, with the portal id as confirmation', async () => {
    expect((await api(A, MEMBER_A, '/api/v1/install/purge', { method: 'POST', body: { confirm: String(A) } })).status).toBe(403);
    const unconfirmed = await api(A, ADMIN_A, '/api/v1/install/purge', { method: 'POST', body: {} });
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.body.error?.message).toMatch(/To confirm, send \{"confirm": "601"\}/);
    expect((await api(A, ADMIN_A, '/api/v1/install/purge', { method: 'POST', body: { confirm: String(B) } })).status).toBe(400);
    sandbox.control.resetStats();
    const done = await api(A, ADMIN_A, '/api/v1/install/purge', { method: 'POST', body: { confirm: String(A) } });
    expect(done).toMatchObject({ status: 200, body: { purged: true } });
    expect(sandbox.control.stats().byEndpoint['DELETE /appinstalls/2026-03/external-install']).toBe(1);
    expect(sandbox.control.lifecycleEvents()).toEqual([expect.objectContaining({ eventType: 'APP_UNINSTALL', portalId: A })]);
    expect((await api(A, ADMIN_A, '/api/v1/install')).body.error?.code).toBe('NOT_INSTALLED');
    expect((await api(B, ADMIN_B, '/api/v1/install')).status).toBe(200);
  });
});
