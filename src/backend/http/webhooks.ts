import './express-types';
import express, { Router } from 'express';
import { AppError } from './errors';
import { verifyV3 } from './signature';

// POST /webhooks/hubspot: HubSpot's deliveries (docs/api.md "Webhooks"). The v3 signature is
// checked on the raw bytes before anything parses them (401, nothing stored); a signed delivery is
// stored in the durable queue and acknowledged at once, whatever it holds — a 4xx or 5xx would make
// HubSpot retry it for a day (reference hubspot-sync.md §2). Only a failure to store it is a 5xx.

/** Largest delivery accepted: 100 notifications are a few tens of KB. */
export const WEBHOOK_BODY_LIMIT = '1mb';

export type WebhookIntake = {
  /** Stores deliveries durably (one per portal). */
  enqueue(items: { portalId: number; events: unknown[] }[]): Promise<void>;
  /** A body or notification that cannot be queued (not an array, no portal id). */
  malformed(count: number, detail: string): void;
};

export function webhooksRoutes(deps: { clientSecret: string; publicBaseUrl: string; now: () => number; intake: WebhookIntake }): Router {
  const router = Router();
  router.post('/webhooks/hubspot', express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const check = verifyV3({
      secret: deps.clientSecret,
      method: req.method,
      uri: deps.publicBaseUrl + req.originalUrl,
      rawBody: raw,
      signature: req.get('x-hubspot-signature-v3'),
      timestamp: req.get('x-hubspot-request-timestamp'),
      now: deps.now(),
    });
    if (!check.ok) {
      req.log?.info({ reason: check.reason }, 'webhook signature rejected');
      throw new AppError('UNAUTHENTICATED', 'This webhook delivery is not signed by HubSpot.');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      body = undefined;
    }
    if (!Array.isArray(body)) {
      deps.intake.malformed(1, 'the delivery is not a JSON array');
      res.status(204).end();
      return;
    }
    const byPortal = new Map<number, unknown[]>();
    let bad = 0;
    for (const ev of body) {
      const portalId = (ev as { portalId?: unknown } | null)?.portalId;
      if (typeof portalId !== 'number' || !Number.isSafeInteger(portalId) || portalId <= 0) {
        bad++;
        continue;
      }
      let list = byPortal.get(portalId);
      if (!list) byPortal.set(portalId, (list = []));
      list.push(ev);
    }
    if (bad) deps.intake.malformed(bad, 'notification without a portalId');
    await deps.intake.enqueue([...byPortal].map(([portalId, events]) => ({ portalId, events })));
    res.status(204).end();
  });
  return router;
}
