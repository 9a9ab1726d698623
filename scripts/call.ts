// Calls the running backend exactly as HubSpot's hubspot.fetch proxy would: identity appended to
// the query string, signed with X-HubSpot-Signature-v3 over the public URL. Prints the JSON.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { signV3 } from '../src/backend/http/signature';

const USAGE = 'usage: npm run call -- <METHOD> <path> --user <userId> [--portal <portalId>] [--as <userId>] [--body <json>] [--headers]';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      user: { type: 'string' },
      portal: { type: 'string' },
      as: { type: 'string' },
      body: { type: 'string' },
      headers: { type: 'boolean', default: false },
    },
  });
  const [method = '', apiPath = ''] = positionals;
  if (!/^(GET|POST|PUT|PATCH|DELETE)$/i.test(method) || !apiPath.startsWith('/')) throw new Error(USAGE);
  const dataDir = process.env.DATA_DIR ?? '.data';
  const session = JSON.parse(
    await readFile(path.join(dataDir, 'dev-session.json'), 'utf8').catch(() => {
      throw new Error('No running sandbox session found (.data/dev-session.json). Start Tiller with `npm start` first.');
    }),
  ) as { backendUrl: string; publicBaseUrl: string; clientSecret: string; portals: { id: number; users: { id: string }[] }[] };
  const portal = values.portal ? session.portals.find((p) => String(p.id) === values.portal) : session.portals[0];
  if (!portal) throw new Error(`Unknown portal ${values.portal}.`);
  const userId = values.user ?? portal.users[0]?.id;
  if (!userId) throw new Error(USAGE);

  const url = new URL(apiPath, 'http://placeholder');
  url.searchParams.set('portalId', String(portal.id));
  url.searchParams.set('userId', userId);
  if (values.as) url.searchParams.set('asUserId', values.as);
  const pathAndQuery = `${url.pathname}${url.search}`;
  const body = values.body ? JSON.stringify(JSON.parse(values.body)) : '';
  const timestamp = String(Date.now());
  const upper = method.toUpperCase();
  const signature = signV3(
    process.env.HUBSPOT_CLIENT_SECRET ?? session.clientSecret,
    upper,
    session.publicBaseUrl + pathAndQuery,
    body,
    timestamp,
  );
  const res = await fetch(session.backendUrl + pathAndQuery, {
    method: upper,
    headers: {
      'X-HubSpot-Signature-v3': signature,
      'X-HubSpot-Request-Timestamp': timestamp,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body || undefined,
  });
  const text = await res.text();
  if (values.headers) {
    process.stderr.write(`HTTP ${res.status}\n`);
    for (const [k, v] of res.headers) if (k.startsWith('x-')) process.stderr.write(`${k}: ${v}\n`);
  }
  try {
    process.stdout.write(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
  } catch {
    process.stdout.write(`${text}\n`);
  }
  if (!res.ok) process.exitCode = 1;
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
