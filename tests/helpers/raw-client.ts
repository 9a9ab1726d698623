// Raw HTTP against an app on a real port: the exact bytes of the request target (supertest and
// URL objects would normalise `%ZZ` or long URLs away), optionally signed as HubSpot's proxy signs.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { signV3 } from '../../src/backend/http/signature';
import { TEST_PUBLIC_BASE_URL, TEST_SECRET } from './test-app';

export type RawResponse = { status: number; headers: http.IncomingHttpHeaders; text: string; json: unknown };

export type RawRequest = {
  method?: string;
  /** Path and query exactly as sent. */
  target: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Sign with the test secret (default true); a string signs with that secret instead. */
  sign?: boolean | string;
  timestamp?: number;
};

export type RawServer = { url: string; send(r: RawRequest): Promise<RawResponse>; close(): Promise<void> };

export async function listen(app: Express): Promise<RawServer> {
  const server = app.listen(0, '127.0.0.1') as http.Server;
  await new Promise<void>((r) => server.once('listening', () => r()));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: false });
  return {
    url: `http://127.0.0.1:${port}`,
    send: (r) => send(port, agent, r),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function signedHeaders(
  method: string,
  target: string,
  body: string | Buffer,
  timestamp: number,
  secret = TEST_SECRET,
): Record<string, string> {
  const ts = String(timestamp);
  return {
    'X-HubSpot-Signature-v3': signV3(secret, method, TEST_PUBLIC_BASE_URL + target, body.toString(), ts),
    'X-HubSpot-Request-Timestamp': ts,
  };
}

function send(port: number, agent: http.Agent, r: RawRequest): Promise<RawResponse> {
  const method = (r.method ?? 'GET').toUpperCase();
  const body = r.body ?? '';
  const headers: Record<string, string> = { ...(body.length ? { 'Content-Type': 'application/json' } : {}), ...r.headers };
  if (r.sign !== false) {
    Object.assign(
      headers,
      signedHeaders(method, r.target, body, r.timestamp ?? Date.now(), typeof r.sign === 'string' ? r.sign : TEST_SECRET),
    );
  }
  if (body.length) headers['Content-Length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: r.target, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
