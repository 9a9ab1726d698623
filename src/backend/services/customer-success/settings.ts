import { AppError } from '../../app-error';
import type { CustomerSettingsChoices, CustomerSuccessSettingsResponse, CustomersSettings, PropertyChoice } from '../../contract/workspace';
import { CrmError } from '../../crm/errors';
import type { PortalCrm } from '../../crm/gateway';
import { isDateProperty, isUserProperty, type PropertyDef } from '../../engines/workspace/properties';
import { isCustomerObjectType, validateCustomersSettings } from '../../engines/workspace/settings';
import { createCopyRepo, createSettingsRepo, createWorkspaceRepo, type Database } from '../../storage';
import { CUSTOMERS_SETTING, readCustomersSetting } from '../../sync/customer-properties';
import { CUSTOM_OBJECTS_SETTING } from '../../sync/objects';
import { fromCrmError } from '../crm-errors';

// CS-SET-1: the Customer Success settings, the one place every screen, health run and alert
// reads the customer object and its CSM property from.

const HISTORY_LIMIT = 20;

const OBJECT_LABELS: Record<string, string> = { companies: 'Companies', contacts: 'Contacts' };

function choice(d: PropertyDef): PropertyChoice {
  return { name: d.name, label: d.label, type: d.type, fieldType: d.fieldType };
}

const byLabel = (a: PropertyChoice, b: PropertyChoice) => a.label.localeCompare(b.label) || a.name.localeCompare(b.name);

/** The customers section of a portal (defaults when never saved): what every reader uses. */
export async function customersSettings(db: Database, portalId: number): Promise<CustomersSettings> {
  return readCustomersSetting(await createSettingsRepo(db).getSetting<unknown>(portalId, CUSTOMERS_SETTING));
}

export type CustomerSuccessSettingsService = ReturnType<typeof customerSuccessSettings>;

/** `readsChanged`: told when a save names something new for the portal copy to read (its sync runs at once). */
export function customerSuccessSettings(db: Database, now: () => number, readsChanged: (portalId: number) => void = () => {}) {
  const copy = createCopyRepo(db);
  const settings = createSettingsRepo(db);
  const workspace = createWorkspaceRepo(db);

  /**
   * An object's property definitions: from the copy; from HubSpot (one call) only for an object
   * the copy does not hold yet (a custom object chosen for the first time). Null: no such object.
   */
  async function definitionsOf(crm: PortalCrm, portalId: number, objectType: string): Promise<PropertyDef[] | null> {
    const stored = await copy.propertyDefinitions<PropertyDef>(portalId, objectType);
    if (stored.length > 0) return stored;
    try {
      return await crm.properties(objectType);
    } catch (err) {
      if (err instanceof CrmError && (err.kind === 'not-found' || err.kind === 'bad-request')) return null;
      throw fromCrmError(err);
    }
  }

  async function objectChoices(portalId: number, current: string): Promise<CustomerSettingsChoices['objects']> {
    const custom = await settings.getSetting<unknown>(portalId, CUSTOM_OBJECTS_SETTING);
    const types = new Set([
      'companies',
      'contacts',
      ...(Array.isArray(custom) ? custom.filter((t): t is string => typeof t === 'string') : []),
      current,
    ]);
    return [...types]
      .filter(isCustomerObjectType)
      .map((objectType) => ({ objectType, label: OBJECT_LABELS[objectType] ?? `Custom object ${objectType}` }));
  }

  async function choices(crm: PortalCrm, portalId: number, objectType: string, current: string): Promise<CustomerSettingsChoices> {
    const definitions = isCustomerObjectType(objectType) ? ((await definitionsOf(crm, portalId, objectType)) ?? []) : [];
    return {
      objects: await objectChoices(portalId, current),
      csmProperties: definitions.filter(isUserProperty).map(choice).sort(byLabel),
      renewalDateProperties: definitions.filter(isDateProperty).map(choice).sort(byLabel),
    };
  }

  async function read(crm: PortalCrm, portalId: number): Promise<CustomerSuccessSettingsResponse> {
    const customers = await customersSettings(db, portalId);
    const [c, history] = await Promise.all([
      choices(crm, portalId, customers.objectType, customers.objectType),
      workspace.settingsHistory(portalId, CUSTOMERS_SETTING, HISTORY_LIMIT),
    ]);
    return {
      customers,
      choices: c,
      history: history.map((h) => ({ changedAt: h.changedAt.toISOString(), userId: h.userId, before: h.before, after: h.after })),
    };
  }

  return {
    read,

    /** The pickers for an object the manager is about to choose. */
    async choicesFor(crm: PortalCrm, portalId: number, objectType: string): Promise<CustomerSettingsChoices> {
      if (!isCustomerObjectType(objectType)) {
        throw new AppError('BAD_REQUEST', 'Customers can be companies, contacts or a custom object.', [
          { field: 'objectType', issue: 'must be companies, contacts or a custom object (2-…)' },
        ]);
      }
      return choices(crm, portalId, objectType, (await customersSettings(db, portalId)).objectType);
    },

    /** Validates and saves the customers section (managers), recording who changed it and when. */
    async save(crm: PortalCrm, portalId: number, userId: number, input: CustomersSettings): Promise<CustomerSuccessSettingsResponse> {
      const definitions = isCustomerObjectType(input.objectType) ? await definitionsOf(crm, portalId, input.objectType) : null;
      const errors = validateCustomersSettings(input, definitions);
      if (errors.length > 0) {
        throw new AppError('BAD_REQUEST', `Some settings are not valid: ${errors.map((e) => e.field).join(', ')}.`, errors);
      }
      const current = await customersSettings(db, portalId);
      const changed =
        current.objectType !== input.objectType ||
        current.csmProperty !== input.csmProperty ||
        current.renewalDateProperty !== input.renewalDateProperty;
      if (changed) {
        await workspace.putSettingWithHistory(portalId, CUSTOMERS_SETTING, input, userId, new Date(now()));
        // A custom customer object is copied whole, like every custom object chosen for the copy.
        if (/^2-\d+$/.test(input.objectType)) {
          const custom = await settings.getSetting<unknown>(portalId, CUSTOM_OBJECTS_SETTING);
          const list = Array.isArray(custom) ? custom.filter((t): t is string => typeof t === 'string') : [];
          if (!list.includes(input.objectType))
            await settings.putSetting(portalId, CUSTOM_OBJECTS_SETTING, [...list, input.objectType], new Date(now()));
        }
        readsChanged(portalId);
      }
      return read(crm, portalId);
    },
  };
}
