import { AppError } from '../app-error';
import { CrmError } from '../crm/errors';

/** Turns a HubSpot failure into the error the user sees; anything else passes through. */
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
    default:
      return new AppError('HUBSPOT_FAILED', 'HubSpot could not answer this request. Please try again.');
  }
}

/** Plain sentence for a partial answer's warnings. */
export function warningFor(what: string, err: unknown): string {
  const kind = err instanceof CrmError ? err.kind : 'error';
  const why = kind === 'rate-limited' ? 'HubSpot was busy' : kind === 'deadline' || kind === 'timeout' ? 'HubSpot was too slow' : 'HubSpot failed';
  return `${what} could not be loaded because ${why}.`;
}
