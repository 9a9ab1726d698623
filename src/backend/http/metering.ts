import './express-types';
import type { RequestHandler, Response } from 'express';
import { RequestMeter, runWithCallContext } from '../crm/meter';

/**
 * Gives every API request its HubSpot call meter and deadline. The counts are logged and, when
 * `exposeHeaders` (sandbox mode), returned as X-Tiller-HubSpot-Calls / X-Tiller-HubSpot-Depth.
 */
export function meterRequests(opts: { deadlineMs: number; exposeHeaders: boolean }): RequestHandler {
  return (req, res, next) => {
    const meter = new RequestMeter();
    res.locals.meter = meter;
    res.locals.exposeMetering = opts.exposeHeaders;
    const json = res.json.bind(res);
    res.json = (body) => {
      setMeterHeaders(res);
      return json(body);
    };
    res.on('finish', () => {
      req.log?.info({ hubspot: { calls: meter.calls, depth: meter.depth(), byKind: meter.byKind() } }, 'hubspot usage');
    });
    // The deadline is wall-clock time (what hubspot.fetch waits), whatever business clock the app uses.
    runWithCallContext({ meter, deadline: Date.now() + opts.deadlineMs, priority: 'interactive' }, next);
  };
}

/** In sandbox mode, the request's HubSpot call count and depth as response headers. */
function setMeterHeaders(res: Response): void {
  const meter = res.locals.meter as RequestMeter | undefined;
  if (!res.locals.exposeMetering || !meter || res.headersSent) return;
  res.setHeader('X-Tiller-HubSpot-Calls', String(meter.calls));
  res.setHeader('X-Tiller-HubSpot-Depth', String(meter.depth()));
}

const serialized = new WeakMap<object, string>();

/**
 * Sends a JSON body that may be shared between requests (a memoised answer): serialized once per
 * object, or given already serialized. Sets the same headers as res.json.
 */
export function sendJson(res: Response, body: object | string | Buffer): void {
  let bytes: string | Buffer | undefined;
  if (typeof body === 'string' || Buffer.isBuffer(body)) bytes = body;
  else {
    bytes = serialized.get(body);
    if (bytes === undefined) serialized.set(body, (bytes = JSON.stringify(body)));
  }
  setMeterHeaders(res);
  res.type('application/json').send(bytes);
}
