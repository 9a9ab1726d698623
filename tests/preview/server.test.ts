// The preview's hubspot.fetch (POST /preview/api/fetch) against a recording backend: it signs
// exactly as HubSpot's proxy does (the backend's own verifyV3 accepts it), appends the caller's
// identity, refuses origins outside permittedUrls.fetch, retries a 5xx once and gives up on time.
// And its pages: an unknown screen or an extension that does not build is said, not blank.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyV3 } from '../../src/backend/http/signature';
import { startPreviewServer, type RunningPreview } from '../../src/preview/server';

const SECRET = 'preview-proxy-secret';
const PUBLIC = 'https://tiller.test';
const ORIGIN = 'https://tiller-dev.example.com'; // the fixture's BACKEND_ORIGIN (permittedUrls.fetch)

type Seen = { method: string; url: string; body: string; signed: boolean; accept?: string };

let backend: Server;
let preview: RunningPreview;
let seen: Seen[] = [];
let answers: { status: number; delayMs?: number }[] = [];

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => resolve(body));
  });
}

beforeAll(async () => {
  backend = createServer(async (req, res) => {
    const body = await read(req);
    const check = verifyV3({
      secret: SECRET,
      method: req.method ?? '',
      uri: PUBLIC + (req.url ?? ''),
      rawBody: body,
      signature: req.headers['x-hubspot-signature-v3'] as string | undefined,
      timestamp: req.headers['x-hubspot-request-timestamp'] as string | undefined,
      now: Date.now(),
    });
    seen.push({
      method: req.method ?? '',
      url: req.url ?? '',
      body,
      signed: check.ok,
      ...(req.headers['x-probe'] ? { accept: String(req.headers['x-probe']) } : {}),
    });
    const answer = answers.shift() ?? { status: 200 };
    setTimeout(
      () => res.writeHead(answer.status, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: answer.status < 400 })),
      answer.delayMs ?? 0,
    );
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  const address = backend.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  preview = await startPreviewServer({
    projectDir: path.resolve('tests/preview/fixture'),
    backendUrl: `http://127.0.0.1:${port}`,
    publicBaseUrl: PUBLIC,
    clientSecret: SECRET,
    sandbox: {
      url: 'http://127.0.0.1:9',
      portals: [
        {
          id: 42,
          timeZone: 'UTC',
          accessToken: 'unused',
          users: [{ id: '7', email: 'ana@example.com', firstName: 'Ana', lastName: 'Lee', timeZone: null, superAdmin: false }],
        },
      ],
    },
    logger: pino({ level: 'silent' }),
  });
}, 60_000);

afterAll(async () => {
  await preview?.close();
  await new Promise((r) => backend?.close(r));
});

beforeEach(() => {
  seen = [];
  answers = [];
});

async function hubspotFetch(call: Record<string, unknown>): Promise<{ status?: number; body?: string; error?: string }> {
  const res = await fetch(new URL('/preview/api/fetch', preview.url), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ method: 'GET', portalId: 42, userId: '7', userEmail: 'ana@example.com', ...call }),
  });
  return (await res.json()) as { status?: number; body?: string; error?: string };
}

describe("the preview's hubspot.fetch", () => {
  it('signs v3 over PUBLIC_BASE_URL + path with the identity appended, as HubSpot does', async () => {
    const answer = await hubspotFetch({ url: `${ORIGIN}/api/v1/tasks/buckets?limit=5` });
    expect(answer).toMatchObject({ status: 200, body: '{"ok":true}' });
    expect(seen).toEqual([
      { method: 'GET', url: '/api/v1/tasks/buckets?limit=5&portalId=42&userId=7&userEmail=ana%40example.com', body: '', signed: true },
    ]);
  });

  it('signs the JSON body of a write', async () => {
    await hubspotFetch({ url: `${ORIGIN}/api/v1/feedback`, method: 'POST', body: { useful: true, note: 'ça va' } });
    expect(seen[0]).toMatchObject({ method: 'POST', body: '{"useful":true,"note":"ça va"}', signed: true });
  });

  it("passes the extension's own headers, never its signature headers", async () => {
    await hubspotFetch({ url: `${ORIGIN}/api/v1/me`, headers: { 'X-Probe': 'yes', 'X-HubSpot-Signature-v3': 'forged' } });
    expect(seen[0]).toMatchObject({ accept: 'yes', signed: true });
  });

  it('refuses an origin that is not in permittedUrls.fetch, without calling anything', async () => {
    const answer = await hubspotFetch({ url: 'https://elsewhere.example.com/api/v1/me' });
    expect(answer.error).toMatch(/not an HTTPS origin in the app's permittedUrls\.fetch \(https:\/\/tiller-dev\.example\.com\)/);
    expect(seen).toEqual([]);
  });

  it('retries a 5xx once, then answers what the backend said', async () => {
    answers = [{ status: 503 }, { status: 200 }];
    expect((await hubspotFetch({ url: `${ORIGIN}/api/v1/me` })).status).toBe(200);
    answers = [{ status: 500 }, { status: 502 }];
    expect((await hubspotFetch({ url: `${ORIGIN}/api/v1/me` })).status).toBe(502);
    expect(seen).toHaveLength(4);
    expect(seen.every((s) => s.signed)).toBe(true);
  });

  it('gives up after the timeout the extension asked for', async () => {
    answers = [{ status: 200, delayMs: 1000 }];
    expect(await hubspotFetch({ url: `${ORIGIN}/api/v1/me`, timeout: 100 })).toEqual({
      error: 'The backend did not answer within 100 ms.',
    });
  });
});

describe("the preview's pages", () => {
  it('answers an unknown screen with a 404 that lists the screens', async () => {
    const res = await fetch(`${preview.url}?surface=nope`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Unknown screen &quot;nope&quot;. Screens: broken_card, probe_card.');
  });

  it('shows the build error, file and line, when an extension does not build', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'preview-broken-'));
    try {
      cpSync('tests/preview/fixture', dir, { recursive: true });
      writeFileSync(
        path.join(dir, 'src/app/cards/ProbeCard.tsx'),
        "import { hubspot } from '@hubspot/ui-extensions';\nhubspot.extend(() => <div>);\n",
      );
      const broken = await startPreviewServer({
        projectDir: dir,
        backendUrl: 'http://127.0.0.1:9',
        publicBaseUrl: PUBLIC,
        clientSecret: SECRET,
        sandbox: { url: 'http://127.0.0.1:9', portals: [] },
        logger: pino({ level: 'silent' }),
      });
      try {
        const res = await fetch(broken.url);
        expect(res.status).toBe(500);
        expect(await res.text()).toMatch(/The extensions do not build[\s\S]*ProbeCard\.tsx:\d+:\d+: Unexpected end of file/);
      } finally {
        await broken.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
