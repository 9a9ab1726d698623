import type { ObjectRef } from '../api/contract';

// HubSpot's object type ids for the standard objects a task can be associated with.
const OBJECT_TYPE_IDS: Record<string, string> = {
  contacts: '0-1',
  companies: '0-2',
  deals: '0-3',
  tickets: '0-5',
  leads: '0-136',
  services: '0-162',
};

const OBJECT_TYPE_NAMES: Record<string, string> = Object.fromEntries(Object.entries(OBJECT_TYPE_IDS).map(([name, id]) => [id, name]));

/** The object type id (`0-1`, `2-123…`) for an object type name or id, or null when unknown. */
export function objectTypeIdOf(objectType: string): string | null {
  if (/^\d+-\d+$/.test(objectType)) return objectType;
  return OBJECT_TYPE_IDS[objectType.toLowerCase()] ?? null;
}

/** The API object type name for a standard object type id (`0-2` → `companies`), or null. */
export function objectTypeNameOf(objectTypeId: string): string | null {
  return OBJECT_TYPE_NAMES[objectTypeId] ?? null;
}

/** The record page in HubSpot: https://app.hubspot.com/contacts/{portalId}/record/{objectTypeId}/{objectId}. */
export function recordUrl(portalId: number, ref: Pick<ObjectRef, 'objectType' | 'objectId'>): string | null {
  const typeId = objectTypeIdOf(ref.objectType);
  if (!typeId || !ref.objectId) return null;
  return `https://app.hubspot.com/contacts/${portalId}/record/${typeId}/${encodeURIComponent(ref.objectId)}`;
}

/**
 * The user's task list in HubSpot, where a task queue starts (the format HubSpot's UI links to; the
 * guided actions link it too). HubSpot's built-in list views are not addressable by a documented URL.
 */
export function taskListUrl(portalId: number, firstTaskId?: string): string {
  const list = `https://app.hubspot.com/contacts/${portalId}/tasks/list/view/all/`;
  // ?taskId= opens that task in the list's task panel (HubSpot's UI link helper builds the same).
  return firstTaskId ? `${list}?taskId=${encodeURIComponent(firstTaskId)}` : list;
}
