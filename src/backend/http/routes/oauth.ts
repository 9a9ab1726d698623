// The install flow's browser pages (outside /api/, no signature): /oauth/install,
// /oauth/callback, /oauth/installed. Every failure is a plain page with a retry link.
import { Router, type Response } from 'express';
import { z } from 'zod';
import { InstallError, STATE_TTL_MS, type InstallService } from '../../services/install/install-service';

export const INSTALL_COOKIE = 'tiller_install';
export const callbackQuery = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(512).optional(),
  error: z.string().max(200).optional(),
});

export function oauthRoutes(deps: { install: InstallService; publicBaseUrl: string }): Router {
  const router = Router();
  const secure = deps.publicBaseUrl.startsWith('https:');
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, secure, path: '/oauth', maxAge: STATE_TTL_MS };

  router.get('/oauth/install', async (_req, res) => {
    const { url, browserSecret } = await deps.install.startInstall();
    res.cookie(INSTALL_COOKIE, browserSecret, cookieOptions);
    res.set('Cache-Control', 'no-store');
    res.redirect(302, url);
  });

  router.get('/oauth/callback', async (req, res) => {
    const q = callbackQuery.safeParse(req.query);
    const query = q.success ? q.data : {};
    res.clearCookie(INSTALL_COOKIE, { ...cookieOptions, maxAge: undefined });
    try {
      const { portalId } = await deps.install.completeInstall({ ...query, browserSecret: readCookie(req.headers.cookie, INSTALL_COOKIE) });
      res.set('Cache-Control', 'no-store');
      res.redirect(302, `/oauth/installed?portalId=${portalId}`);
    } catch (err) {
      if (!(err instanceof InstallError)) {
        req.log?.error({ err }, 'install failed');
        page(
          res,
          502,
          'Tiller could not be installed',
          'Something went wrong on our side while finishing the install. Nothing was saved.',
          true,
        );
        return;
      }
      req.log?.warn({ reason: err.reason }, 'install refused');
      page(res, err.status, 'Tiller was not installed', `${err.userMessage} Nothing was saved.`, true);
    }
  });

  router.get('/oauth/installed', (req, res) => {
    const portalId = /^\d{1,18}$/.test(String(req.query.portalId ?? '')) ? String(req.query.portalId) : null;
    page(
      res,
      200,
      'Tiller is installed',
      `Tiller is now installed${portalId ? ` in HubSpot portal ${portalId}` : ''}. It is reading your CRM for the first time; ` +
        "open a contact, company or deal record, or Tiller's app page in HubSpot, to see your workspace. Your numbers fill in as the first load finishes. " +
        "HubSpot shows Tiller's cards once an admin adds them to a record view (Settings → Objects → Record customization).",
      false,
    );
  });

  return router;
}

function page(res: Response, status: number, title: string, sentence: string, retry: boolean): void {
  const retryLink = retry ? '<p><a href="/oauth/install">Try the install again</a></p>' : '';
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>` +
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head>' +
        `<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto"><h1>${esc(title)}</h1><p>${esc(sentence)}</p>${retryLink}</body></html>`,
    );
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One cookie's value from a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
