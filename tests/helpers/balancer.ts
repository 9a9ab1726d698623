// A small load balancer for process-topology tests, as compose.yaml's nginx behaves: round robin
// over the upstreams; a request whose upstream refuses the connection is retried on the next one.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Balancer = { url: string; served: Map<number, number>; close(): Promise<void> };

export async function startBalancer(upstreamPorts: number[]): Promise<Balancer> {
  let next = 0;
  const served = new Map<number, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const first = next++;
      const tryUpstream = (attempt: number) => {
        const port = upstreamPorts[(first + attempt) % upstreamPorts.length]!;
        const up = request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (upRes) => {
          served.set(port, (served.get(port) ?? 0) + 1);
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        });
        up.on('error', () => {
          if (attempt + 1 < upstreamPorts.length) tryUpstream(attempt + 1);
          else if (!res.headersSent) res.writeHead(502).end();
        });
        up.end(body);
      };
      tryUpstream(0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
