import { AppError } from '../app-error';
import { CrmError } from '../crm/errors';

/**
 * Turns a HubSpot failure into the error the user sees; anything else passes through. Called once,
 * by the app's error handler: services let CrmError through. Only failures that may pass on a
 * new try (busy, slow, down) say "try again"; a 4xx HubSpot gave our request will give it again.
 */
export function fromCrmError(err: unknown): unknown {
  if (!(err instanceof CrmError)) return err;
  switch (err.kind) {
    case 'rate-limited':
      return new AppError('RATE_LIMITED', 'HubSpot is busy for your portal right now. Please try again in a few seconds.');
    case 'unauthorized':
      return new AppError('NOT_INSTALLED', 'Tiller can no longer access this HubSpot portal. Please reinstall the app.');
    case 'forbidden':
      return new AppError('FORBIDDEN', 'Tiller is missing a HubSpot permission for this. Ask your admin to reinstall the app.');
    case 'deadline':
    case 'timeout':
      return new AppError('UNAVAILABLE', 'HubSpot took too long to answer. Please try again.');
    case 'not-found':
      return new AppError('NOT_FOUND', 'HubSpot has no such object or record in this portal.');
    case 'bad-request':
      // Our request was wrong (input we should have refused, or a bug): retrying cannot help.
      return new AppError(
        'INTERNAL',
        'HubSpot refused a request Tiller made. This is a fault on our side and has been logged; trying again will not help.',
      );
    default:
      return new AppError('HUBSPOT_FAILED', 'HubSpot could not answer this request. Please try again.');
  }
}

/** Plain sentence for a partial answer's warnings. */
export function warningFor(what: string, err: unknown): string {
  const kind = err instanceof CrmError ? err.kind : 'error';
  const why =
    kind === 'rate-limited' ? 'HubSpot was busy' : kind === 'deadline' || kind === 'timeout' ? 'HubSpot was too slow' : 'HubSpot failed';
  return `${what} could not be loaded because ${why}.`;
}
