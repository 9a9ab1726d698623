import { OBJECT_TYPE_IDS, type ObjectType, type Portal } from './input';

// HubSpot UI URL formats, each seen in HubSpot's own UI bundles or many live integrations:
//   record page   https://app.hubspot.com/contacts/{portalId}/record/{objectTypeId}/{id}
//                 (0-1 contacts, 0-2 companies, 0-3 deals, 0-136 leads, 0-48 calls)
//   task list     https://app.hubspot.com/contacts/{portalId}/tasks/list/view/all/
//   one task      …/tasks/list/view/all/?taskId={id}   (HubSpot UI link helper)
//   sequences     https://app.hubspot.com/sequences/{portalId}
// EU/NA2 portals use another host (app-eu1.hubspot.com …): `portal.domain`.

export type Link = { label: string; href: string };

const base = (portal: Portal) => `https://${portal.domain ?? 'app.hubspot.com'}`;
const pid = (portal: Portal) => encodeURIComponent(portal.id);

/** A CRM record page. */
export function recordUrl(portal: Portal, objectType: ObjectType, id: string): string {
  return `${base(portal)}/contacts/${pid(portal)}/record/${OBJECT_TYPE_IDS[objectType]}/${encodeURIComponent(id)}`;
}

/** The rep's task list, from which a task queue starts. */
export function taskListUrl(portal: Portal): string {
  return `${base(portal)}/contacts/${pid(portal)}/tasks/list/view/all/`;
}

/** One task opened in the task list's side panel. */
export function taskUrl(portal: Portal, taskId: string): string {
  return `${taskListUrl(portal)}?taskId=${encodeURIComponent(taskId)}`;
}

/** The sequences tool, where a contact is enrolled. */
export function sequencesUrl(portal: Portal): string {
  return `${base(portal)}/sequences/${pid(portal)}`;
}
