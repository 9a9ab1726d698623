// Installs a portal the way a browser does: GET /oauth/install, follow the redirect to the
// authorize URL, follow its redirect back to /oauth/callback with the cookie, over real HTTP.
// `npm start` installs the sandbox portals with it; tests use it too.

export type BrowserInstallResult = { ok: true; portalId: number; installedUrl: string } | { ok: false; status: number; page: string };

/**
 * Drives the install flow against `backendUrl`. The callback URL names PUBLIC_BASE_URL, which may
 * not route here (a tunnel): only its path and query are replayed against the backend.
 */
export async function installLikeABrowser(opts: {
  backendUrl: string;
  /** Extra query parameters for the authorize URL (the sandbox's portal_id). */
  authorizeParams?: Record<string, string>;
}): Promise<BrowserInstallResult> {
  const start = await fetch(`${opts.backendUrl}/oauth/install`, { redirect: 'manual' });
  const authorize = start.headers.get('location');
  const cookie = (start.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  if (start.status !== 302 || !authorize) return { ok: false, status: start.status, page: await start.text() };
  const url = new URL(authorize);
  for (const [k, v] of Object.entries(opts.authorizeParams ?? {})) url.searchParams.set(k, v);
  const consent = await fetch(url, { redirect: 'manual' });
  const back = consent.headers.get('location');
  if (consent.status !== 302 || !back) return { ok: false, status: consent.status, page: await consent.text() };
  const callback = new URL(back);
  const done = await fetch(`${opts.backendUrl}${callback.pathname}${callback.search}`, {
    redirect: 'manual',
    headers: cookie ? { cookie } : {},
  });
  const installed = done.headers.get('location');
  const portalId = installed ? Number(new URL(installed, opts.backendUrl).searchParams.get('portalId')) : NaN;
  if (done.status !== 302 || !installed || !Number.isFinite(portalId)) return { ok: false, status: done.status, page: await done.text() };
  return { ok: true, portalId, installedUrl: new URL(installed, opts.backendUrl).toString() };
}
