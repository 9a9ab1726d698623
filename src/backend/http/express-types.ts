// Brings pino-http's `req.log` and our raw body into Express's Request type.
import 'pino-http';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      rawBody?: Buffer;
    }
  }
}

export {};
