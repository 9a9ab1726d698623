// HubSpot record page URLs: https://{domain}/contacts/{portalId}/record/{objectTypeId}/{id}
// (the same format as engines/guided-actions/links.ts; custom objects use their 2-… type id).

const TYPE_IDS: Record<string, string> = {
  contacts: '0-1',
  companies: '0-2',
  deals: '0-3',
  tickets: '0-5',
  leads: '0-136',
  '0-162': '0-162',
  services: '0-162',
  calls: '0-48',
  emails: '0-49',
  meetings: '0-47',
  notes: '0-46',
  tasks: '0-27',
};

export function objectTypeId(objectType: string): string {
  return /^\d+-\d+$/.test(objectType) ? objectType : (TYPE_IDS[objectType] ?? objectType);
}

export function recordPageUrl(portalId: number, objectType: string, id: string, domain = 'app.hubspot.com'): string {
  return `https://${domain}/contacts/${portalId}/record/${objectTypeId(objectType)}/${encodeURIComponent(id)}`;
}
