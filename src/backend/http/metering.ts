import './express-types';
import type { RequestHandler } from 'express';
import { RequestMeter, runWithCallContext } from '../crm/meter';

/**
 * Gives every API request its HubSpot call meter and deadline. The counts are logged and, when
 * `exposeHeaders` (sandbox mode), returned as X-Tiller-HubSpot-Calls / X-Tiller-HubSpot-Depth.
 */
export function meterRequests(opts: { deadlineMs: number; exposeHeaders: boolean }): RequestHandler {
  return (req, res, next) => {
    const meter = new RequestMeter();
    res.locals.meter = meter;
    const json = res.json.bind(res);
    res.json = (body) => {
      if (opts.exposeHeaders && !res.headersSent) {
        res.setHeader('X-Tiller-HubSpot-Calls', String(meter.calls));
        res.setHeader('X-Tiller-HubSpot-Depth', String(meter.depth()));
      }
      return json(body);
    };
    res.on('finish', () => {
      req.log?.info({ hubspot: { calls: meter.calls, depth: meter.depth(), byKind: meter.byKind() } }, 'hubspot usage');
    });
    // The deadline is wall-clock time (what hubspot.fetch waits), whatever business clock the app uses.
    runWithCallContext({ meter, deadline: Date.now() + opts.deadlineMs, priority: 'interactive' }, next);
  };
}
