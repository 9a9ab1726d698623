// The app as the tests build it: signed with the test secret (use the same constants with
// proxiedRequest), quiet logs, the given portals installed and the given users managers.
import { pino } from 'pino';
import { createApp, type AppDeps } from '../../src/backend/http/app';

export const TEST_PUBLIC_BASE_URL = 'https://tiller.example';
export const TEST_SECRET = 'test-secret';

export type TestAppOptions = Pick<AppDeps, 'crm' | 'db'> &
  Partial<Omit<AppDeps, 'installations' | 'roles'>> & {
    /** Portals that installed the app ('all': any portal id). */
    installed: number[] | 'all';
    /** HubSpot user ids that are managers (default: none). */
    managers?: number[];
  };

export function testApp({ installed, managers = [], ...deps }: TestAppOptions) {
  return createApp({
    publicBaseUrl: TEST_PUBLIC_BASE_URL,
    clientSecret: TEST_SECRET,
    logger: pino({ level: 'silent' }),
    installations: { isInstalled: async (portalId) => installed === 'all' || installed.includes(portalId) },
    roles: { isManager: async (_portalId, userId) => managers.includes(userId) },
    ...deps,
  });
}
