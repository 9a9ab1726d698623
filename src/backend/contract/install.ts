// The install endpoints' contract (issue #12); the UI imports only these types.

/** GET /api/v1/install: the install as this portal and user see it. */
export type InstallStatusResponse = {
  portalId: number;
  /** needs-reconnect: HubSpot refused Tiller's refresh token; every other endpoint answers 409 NEEDS_RECONNECT. */
  status: 'active' | 'needs-reconnect';
  role: 'manager' | 'member';
  grantedScopes: string[];
  /** Optional scopes the portal did not grant, each with the sentence saying which feature it enables. */
  missingScopes: { scope: string; sentence: string }[];
  reconnectUrl?: string;
};

/** GET /api/v1/install/managers (managers only). */
export type ManagersResponse = { managers: { userId: number; reasons: ('super-admin' | 'installer' | 'granted')[] }[] };

/** details of a 409 NEEDS_RECONNECT error. */
export type NeedsReconnectDetails = { reconnectUrl: string };
