import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrmGateway } from '../crm/gateway';
import { createDatabase, createSettingsRepo, type Database } from '../storage';
import { syncObjectsOf } from './context';
import { CUSTOMERS_SETTING } from './customer-properties';

// The copy holds what the Customers tab reads of the customer object chosen in the settings.

let db: Database;
const crm = { portal: () => ({ properties: async () => [{ name: 'hs_object_id' }, { name: 'plan' }] }) } as unknown as CrmGateway;
const deps = () => ({ db, crm, logger: { info() {}, warn() {}, error() {} }, now: () => 0 });

beforeAll(async () => {
  db = await createDatabase({});
});
afterAll(async () => {
  await db?.close();
});

describe('the copy of the customer object', () => {
  it('carries the CSM, owner-assigned and last-activity properties of companies by default', async () => {
    const companies = (await syncObjectsOf(deps(), 1)).find((o) => o.objectType === 'companies')!;
    expect(companies.properties).toEqual(
      expect.arrayContaining(['hubspot_owner_id', 'hubspot_owner_assigneddate', 'notes_last_updated', 'notes_last_contacted', 'name']),
    );
    const contacts = (await syncObjectsOf(deps(), 1)).find((o) => o.objectType === 'contacts')!;
    expect(contacts.properties).not.toContain('notes_last_updated');
  });

  it('follows the settings: another object, a custom CSM property and the renewal date', async () => {
    await createSettingsRepo(db).putSetting(
      2,
      CUSTOMERS_SETTING,
      { objectType: 'contacts', csmProperty: 'cs_manager', renewalDateProperty: 'renewal_date' },
      new Date(0),
    );
    const objects = await syncObjectsOf(deps(), 2);
    expect(objects.find((o) => o.objectType === 'contacts')!.properties).toEqual(
      expect.arrayContaining(['cs_manager', 'renewal_date', 'notes_last_updated', 'email']),
    );
    expect(objects.find((o) => o.objectType === 'companies')!.properties).not.toContain('cs_manager');
  });
});
