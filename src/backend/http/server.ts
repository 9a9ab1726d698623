import http from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';
import { MAX_URL_BYTES } from './body';

/**
 * Node refuses a request head larger than maxHeaderSize before Express sees it, with a bare 431
 * and no body. We raise the limit above MAX_URL_BYTES (so long URLs reach limitUrl's JSON 414)
 * and answer what Node still refuses with our JSON error body.
 */
export const MAX_HEADER_BYTES = 4 * MAX_URL_BYTES + 32 * 1024;

function jsonReply(socket: Socket, status: number, reason: string, message: string): void {
  const body = JSON.stringify({ error: { code: 'BAD_REQUEST', message } });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** The HTTP server for the app: our header limit, and JSON answers to requests Node cannot parse. */
export function createServer(app: Express): http.Server {
  const server = http.createServer({ maxHeaderSize: MAX_HEADER_BYTES }, app);
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || (err.code === 'ECONNRESET' && !socket.bytesWritten)) {
      socket.destroy();
      return;
    }
    if (err.code === 'HPE_HEADER_OVERFLOW')
      jsonReply(socket, 431, 'Request Header Fields Too Large', 'The request line and headers are too large.');
    else if (err.code === 'HPE_URI_TOO_LONG') jsonReply(socket, 414, 'URI Too Long', 'The request URL is too long.');
    else jsonReply(socket, 400, 'Bad Request', 'The request is not valid HTTP.');
  });
  return server;
}
