// The preview's small server (`npm start` runs it beside the backend; never in production):
// GET /preview renders one screen of the real extension bundle in the browser, and
// POST /preview/api/fetch plays HubSpot's hubspot.fetch proxy: it checks the URL against the app's
// permittedUrls.fetch, appends the caller's identity to the query, signs v3 with the client secret
// over PUBLIC_BASE_URL + path, forwards to the backend and retries a 5xx once, as HubSpot does.
// It listens on 127.0.0.1 only: it signs whatever the page asks, like a local HubSpot would.
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { signV3 } from '../backend/http/signature';
import type { BootPortal, BootRecord, PreviewBoot } from './boot';
import { createPreviewBundler, describeBuildError, type PreviewBuild } from './bundle';
import { PREVIEW_MARKER } from './marker';
import { readPreviewProject, type PreviewProject } from './surfaces';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** HubSpot's proxy gives a call 15 s at most. */
const MAX_TIMEOUT_MS = 15_000;

export type PreviewSandbox = {
  url: string;
  portals: (BootPortal & { accessToken: string })[];
};

export type PreviewServerOptions = {
  projectDir: string;
  /** Where the backend listens (http://127.0.0.1:PORT). */
  backendUrl: string;
  /** The URL the backend checks signatures against (config.publicBaseUrl). */
  publicBaseUrl: string;
  clientSecret: string;
  sandbox: PreviewSandbox;
  port?: number;
  /** When `port` is taken, listen on any free port instead of failing (the default port of npm start). */
  anyPortIfBusy?: boolean;
  logger: Logger;
};

export type RunningPreview = { url: string; port: number; close(): Promise<void> };

const fetchRequest = z.object({
  url: z.string(),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  timeout: z.number().positive().optional(),
  body: z.record(z.string(), z.unknown()).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  portalId: z.number().int(),
  userId: z.string().regex(/^\d+$/),
  userEmail: z.string().optional(),
});

// The property that names a record in the toolbar, per object type.
const NAME_PROPERTIES: Record<string, string[]> = {
  companies: ['name'],
  contacts: ['firstname', 'lastname'],
  deals: ['dealname'],
  leads: ['hs_lead_name'],
  tickets: ['subject'],
};

async function readRecords(sandbox: PreviewSandbox, objectTypes: string[], logger: Logger): Promise<Record<string, BootRecord[]>> {
  const out: Record<string, BootRecord[]> = {};
  for (const portal of sandbox.portals) {
    const records: BootRecord[] = [];
    for (const objectType of objectTypes) {
      const props = NAME_PROPERTIES[objectType] ?? [];
      const url = `${sandbox.url}/crm/v3/objects/${objectType}?limit=30&properties=${props.join(',')}`;
      const res = await fetch(url, { headers: { Authorization: `Bearer ${portal.accessToken}` } });
      if (!res.ok) {
        logger.warn(
          { objectType, status: res.status },
          'preview: the sandbox does not list this object type; the record picker leaves it out',
        );
        continue;
      }
      const body = (await res.json()) as { results: { id: string; properties: Record<string, string | null> }[] };
      const named = body.results.map((r) => ({
        objectType,
        id: r.id,
        name:
          props
            .map((p) => r.properties[p] ?? '')
            .join(' ')
            .trim() || `${objectType} ${r.id}`,
      }));
      // Demo deals share names ("Acme – Expansion"): the id tells them apart in the picker.
      for (const r of named) records.push(named.filter((o) => o.name === r.name).length > 1 ? { ...r, name: `${r.name} (${r.id})` } : r);
    }
    out[String(portal.id)] = records;
  }
  return out;
}

async function readRecord(sandbox: PreviewSandbox, portalId: number, objectType: string, id: string): Promise<BootRecord | null> {
  const portal = sandbox.portals.find((p) => p.id === portalId);
  const props = NAME_PROPERTIES[objectType] ?? [];
  if (!portal) return null;
  const res = await fetch(`${sandbox.url}/crm/v3/objects/${objectType}/${id}?properties=${props.join(',')}`, {
    headers: { Authorization: `Bearer ${portal.accessToken}` },
  });
  if (!res.ok) return null;
  const r = (await res.json()) as { properties: Record<string, string | null> };
  return {
    objectType,
    id,
    name:
      props
        .map((p) => r.properties[p] ?? '')
        .join(' ')
        .trim() || `${objectType} ${id}`,
  };
}

function escapeJsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** The selection a preview URL asks for, defaulted to the first screen, portal, user and record. */
export function readSelection(
  query: Record<string, unknown>,
  project: PreviewProject,
  portals: BootPortal[],
  records: Record<string, BootRecord[]>,
): PreviewBoot['selection'] | string {
  const str = (k: string) => (typeof query[k] === 'string' ? (query[k] as string) : undefined);
  const surface = project.surfaces.find((s) => s.uid === (str('surface') ?? project.surfaces[0]?.uid));
  if (!surface) return `Unknown screen ${JSON.stringify(str('surface'))}. Screens: ${project.surfaces.map((s) => s.uid).join(', ')}.`;
  const portal = portals.find((p) => String(p.id) === (str('portal') ?? String(portals[0]?.id)));
  if (!portal) return `Unknown portal ${JSON.stringify(str('portal'))}.`;
  const user = portal.users.find((u) => u.id === (str('user') ?? portal.users[0]?.id));
  if (!user) return `Unknown user ${JSON.stringify(str('user'))} in portal ${portal.id}.`;
  let record: PreviewBoot['selection']['record'] = null;
  if (surface.kind === 'card') {
    // The card's first object type first: the Health card opens on a company, not a contact.
    const candidates = surface.objectTypes.flatMap((t) => (records[String(portal.id)] ?? []).filter((r) => r.objectType === t));
    const asked = str('record');
    if (asked) {
      const [objectType = '', id = ''] = asked.split('/');
      if (!surface.objectTypes.includes(objectType) || !/^\d+$/.test(id))
        return `The ${surface.title} card does not show on ${JSON.stringify(asked)} (it shows on ${surface.objectTypes.join(', ')}).`;
      record = { objectType, id };
    } else if (candidates[0]) {
      record = { objectType: candidates[0].objectType, id: candidates[0].id };
    } else {
      return `Portal ${portal.id} has no ${surface.objectTypes.join(' or ')} record to show the ${surface.title} card on.`;
    }
  }
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) if (k.startsWith('param.') && typeof v === 'string') params[k.slice('param.'.length)] = v;
  return {
    surface: surface.uid,
    portalId: portal.id,
    userId: user.id,
    record,
    path: surface.kind === 'page' ? (str('path') ?? '/') : '/',
    params,
  };
}

function page(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/preview/assets/preview.css">
${head}
</head>
<body>
${body}
</body>
</html>
`;
}

/** Starts the preview server on 127.0.0.1 (port 0: any free port). */
export async function startPreviewServer(opts: PreviewServerOptions): Promise<RunningPreview> {
  const { logger } = opts;
  const project = await readPreviewProject(opts.projectDir);
  const bundler = await createPreviewBundler(project.surfaces);
  const portals: BootPortal[] = opts.sandbox.portals.map(({ accessToken: _token, ...p }) => p);
  const objectTypes = [...new Set(project.surfaces.flatMap((s) => s.objectTypes))];
  let records: Promise<Record<string, BootRecord[]>> | null = null;
  const loadRecords = () => {
    records ??= readRecords(opts.sandbox, objectTypes, logger).catch((err: unknown) => {
      records = null;
      throw err;
    });
    return records;
  };
  // One build at a time; a page load rebuilds (incrementally) so a source edit shows on reload.
  let latest: PreviewBuild | null = null;
  let building: Promise<PreviewBuild> | null = null;
  const build = () => {
    building ??= bundler
      .build()
      .then((b) => (latest = b))
      .finally(() => (building = null));
    return building;
  };

  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.set('X-Tiller-Preview', PREVIEW_MARKER);
    next();
  });
  app.get('/', (_req, res) => res.redirect('/preview'));

  app.get('/preview', async (req, res) => {
    try {
      await build();
    } catch (err) {
      const detail = describeBuildError(err);
      logger.error({ detail }, 'preview: the extension bundle does not build');
      res
        .status(500)
        .type('html')
        .send(
          page(
            'Preview: build failed',
            `<main class="pv-build-error"><h1>The extensions do not build</h1><pre role="alert">${escapeHtml(detail)}</pre></main>`,
          ),
        );
      return;
    }
    const asked = req.query.surface;
    if (typeof asked === 'string' && !project.surfaces.some((s) => s.uid === asked)) {
      const message = `Unknown screen ${JSON.stringify(asked)}. Screens: ${project.surfaces.map((s) => s.uid).join(', ')}.`;
      res
        .status(404)
        .type('html')
        .send(
          page(
            'Preview: not found',
            `<main class="pv-build-error"><h1>Nothing to preview here</h1><p role="alert">${escapeHtml(message)}</p><p><a href="/preview">Open the first screen</a></p></main>`,
          ),
        );
      return;
    }
    let recordList: Record<string, BootRecord[]>;
    try {
      recordList = await loadRecords();
    } catch (err) {
      res
        .status(502)
        .type('html')
        .send(
          page(
            'Preview: sandbox unavailable',
            `<main class="pv-build-error"><h1>The sandbox did not answer</h1><pre role="alert">${escapeHtml(String(err))}</pre></main>`,
          ),
        );
      return;
    }
    const selection = readSelection(req.query as Record<string, unknown>, project, portals, recordList);
    if (typeof selection === 'string') {
      res
        .status(404)
        .type('html')
        .send(
          page(
            'Preview: not found',
            `<main class="pv-build-error"><h1>Nothing to preview here</h1><p role="alert">${escapeHtml(selection)}</p><p><a href="/preview">Open the first screen</a></p></main>`,
          ),
        );
      return;
    }
    const surface = project.surfaces.find((s) => s.uid === selection.surface)!;
    const chosen = selection.record;
    const portalRecords = recordList[String(selection.portalId)] ?? [];
    if (chosen && !portalRecords.some((r) => r.objectType === chosen.objectType && r.id === chosen.id)) {
      // A record beyond the picker's first ones (a link, a test): named from the sandbox, or refused.
      const found = await readRecord(opts.sandbox, selection.portalId, chosen.objectType, chosen.id);
      if (!found) {
        res
          .status(404)
          .type('html')
          .send(
            page(
              'Preview: no such record',
              `<main class="pv-build-error"><h1>No such record</h1><p role="alert">Portal ${selection.portalId} has no ${escapeHtml(chosen.objectType)} record ${escapeHtml(chosen.id)}.</p><p><a href="/preview">Open the first screen</a></p></main>`,
            ),
          );
        return;
      }
      recordList = { ...recordList, [String(selection.portalId)]: [found, ...portalRecords] };
    }
    const boot: PreviewBoot = {
      appName: project.appName,
      surfaces: project.surfaces.map(({ entry: _entry, ...s }) => s),
      portals,
      records: recordList,
      variables: project.variables,
      selection,
    };
    res
      .type('html')
      .send(
        page(
          `${surface.title} — ${project.appName} preview`,
          `<div id="root"></div>\n<script type="module" src="/preview/assets/${encodeURIComponent(surface.uid)}.js"></script>`,
          `<script id="preview-boot" type="application/json">${escapeJsonForHtml(boot)}</script>`,
        ),
      );
  });

  app.get('/preview/assets/preview.css', async (_req, res) => {
    res.type('css').send(await readFile(path.join(HERE, 'host', 'preview.css'), 'utf8'));
  });

  app.get('/preview/assets/:file', async (req, res) => {
    const files = (latest ?? (await build().catch(() => null)))?.files;
    const file = files?.get(req.params.file);
    if (!file) {
      res.status(404).type('text').send(`No preview asset ${req.params.file}.`);
      return;
    }
    res.type(file.contentType).set('Cache-Control', 'no-store').send(Buffer.from(file.contents));
  });

  app.post('/preview/api/fetch', express.json({ limit: '1mb' }), async (req, res) => {
    const parsed = fetchRequest.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: `The preview's fetch request is malformed: ${parsed.error.message}` });
      return;
    }
    const call = parsed.data;
    let target: URL;
    try {
      target = new URL(call.url);
    } catch {
      res.json({ error: `hubspot.fetch needs an absolute URL; got ${JSON.stringify(call.url)}.` });
      return;
    }
    if (target.protocol !== 'https:' || !project.permittedFetchOrigins.includes(target.origin)) {
      res.json({
        error: `hubspot.fetch refuses ${target.origin}: it is not an HTTPS origin in the app's permittedUrls.fetch (${project.permittedFetchOrigins.join(', ') || 'none'}).`,
      });
      return;
    }
    // HubSpot's proxy adds who is calling; the backend reads identity from these only.
    target.searchParams.set('portalId', String(call.portalId));
    target.searchParams.set('userId', call.userId);
    if (call.userEmail) target.searchParams.set('userEmail', call.userEmail);
    const pathAndQuery = `${target.pathname}${target.search}`;
    const rawBody = call.body === undefined ? '' : JSON.stringify(call.body);
    const timeoutMs = Math.min(call.timeout ?? MAX_TIMEOUT_MS, MAX_TIMEOUT_MS);
    const extraHeaders = Object.fromEntries(
      Object.entries(call.headers ?? {}).filter(([k]) => !/^(x-hubspot-|host$|content-length$|content-type$)/i.test(k)),
    );
    const send = async () => {
      const timestamp = String(Date.now());
      const signature = signV3(opts.clientSecret, call.method, opts.publicBaseUrl + pathAndQuery, rawBody, timestamp);
      return fetch(opts.backendUrl + pathAndQuery, {
        method: call.method,
        // The extension's own headers pass through; the proxy's signature headers are HubSpot's to set.
        headers: {
          ...extraHeaders,
          'X-HubSpot-Signature-v3': signature,
          'X-HubSpot-Request-Timestamp': timestamp,
          ...(rawBody ? { 'Content-Type': 'application/json' } : {}),
        },
        body: rawBody || undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    };
    try {
      let answer = await send();
      if (answer.status >= 500) answer = await send(); // HubSpot's proxy retries a 5xx once
      res.json({ status: answer.status, contentType: answer.headers.get('content-type'), body: await answer.text() });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      res.json({
        error: timedOut ? `The backend did not answer within ${timeoutMs} ms.` : `The backend could not be reached: ${String(err)}`,
      });
    }
  });

  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const s = app.listen(port, '127.0.0.1');
      s.once('listening', () => resolve(s));
      s.once('error', reject);
    });
  let server: Server;
  try {
    server = await listen(opts.port ?? 0).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EADDRINUSE' || !opts.anyPortIfBusy) throw err;
      logger.warn({ port: opts.port }, 'preview: port in use, listening on a free port instead');
      return listen(0);
    });
  } catch (err) {
    await bundler.dispose();
    throw err;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // Build once now: a broken extension shows in the terminal at start, not only in the browser.
  await build().catch((err: unknown) => logger.error({ detail: describeBuildError(err) }, 'preview: the extension bundle does not build'));
  return {
    url: `http://127.0.0.1:${port}/preview`,
    port,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bundler.dispose();
    },
  };
}
