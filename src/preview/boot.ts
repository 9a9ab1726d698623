// What the preview page hands the host in the browser: the project's screens, the sandbox's
// portals, users and records for the toolbar, and the chosen screen and context (from the URL).

/** HubSpot's ids of the standard CRM objects (context.crm.objectTypeId). */
export const OBJECT_TYPE_IDS: Record<string, string> = {
  contacts: '0-1',
  companies: '0-2',
  deals: '0-3',
  tickets: '0-5',
  leads: '0-136',
};

export type BootSurface = { uid: string; kind: 'page' | 'settings' | 'card'; title: string; location: string; objectTypes: string[] };
export type BootUser = { id: string; email: string; firstName: string; lastName: string; timeZone: string | null; superAdmin: boolean };
export type BootPortal = { id: number; timeZone: string; users: BootUser[] };
export type BootRecord = { objectType: string; id: string; name: string };

export type PreviewBoot = {
  appName: string;
  surfaces: BootSurface[];
  portals: BootPortal[];
  /** Records per portal id, for the cards' record picker. */
  records: Record<string, BootRecord[]>;
  variables: Record<string, string | number | boolean>;
  selection: {
    surface: string;
    portalId: number;
    userId: string;
    /** Cards only. */
    record: { objectType: string; id: string } | null;
    /** Pages only: the app page path and its query parameters. */
    path: string;
    params: Record<string, string>;
  };
};

/** The query string of a preview URL for a selection (the inverse of the server's reading). */
export function selectionQuery(s: PreviewBoot['selection']): string {
  const q = new URLSearchParams({ surface: s.surface, portal: String(s.portalId), user: s.userId });
  if (s.record) q.set('record', `${s.record.objectType}/${s.record.id}`);
  if (s.path !== '/') q.set('path', s.path);
  for (const [k, v] of Object.entries(s.params)) q.set(`param.${k}`, v);
  return q.toString();
}
