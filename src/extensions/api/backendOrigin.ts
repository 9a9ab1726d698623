/** Name of the profile variable (src/hsprofile.<name>.json) that holds the backend's HTTPS origin. */
export const BACKEND_ORIGIN_VARIABLE = 'BACKEND_ORIGIN';

/** The backend origin from the extension context's profile variables, or null when it is missing or unusable. */
export function backendOriginFrom(variables: Record<string, unknown> | undefined): string | null {
  const raw = variables?.[BACKEND_ORIGIN_VARIABLE];
  if (typeof raw !== 'string') return null;
  try {
    const url = new URL(raw);
    // hubspot.fetch only reaches HTTPS origins listed in permittedUrls.fetch.
    return url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}
