import { AppError } from '../../app-error';
import type {
  PipelineObjectChoices,
  PropertyChoice,
  RevenueSettings,
  RevenueSettingsResponse,
  ServicesSettings,
  ServicesSettingsResponse,
} from '../../contract/workspace';
import { CrmError } from '../../crm/errors';
import type { PortalCrm } from '../../crm/gateway';
import type { Pipeline } from '../../crm/types';
import {
  isDateProperty,
  isRevenueObjectType,
  isServicesObjectType,
  isUserProperty,
  kindOf,
  validatePipelineObject,
  validateRevenueObjects,
  type FieldError,
  type PropertyDef,
} from '../../engines/workspace';
import { createCopyRepo, createSettingsRepo, createWorkspaceRepo, type Database } from '../../storage';
import { CUSTOM_OBJECTS_SETTING } from '../../sync/objects';
import { readRevenueSetting, readServicesSetting, REVENUE_SETTING, SERVICES_SETTING } from '../../sync/workspace-objects';
import { fromCrmError } from '../crm-errors';
import { objectLabel } from '../workspace/service';

// CS-SET-2 (services) and CS-SET-3 (revenue): which objects the Services and Revenue workspaces
// show and how (CSM, renewal date, amount, visible pipelines, default pipeline and layout, what
// each stage requires). Managers save; every change is recorded with who and when.

const HISTORY_LIMIT = 20;

const choice = (d: PropertyDef): PropertyChoice => ({ name: d.name, label: d.label, type: kindOf(d), fieldType: d.fieldType });
const byLabel = (a: PropertyChoice, b: PropertyChoice) => a.label.localeCompare(b.label) || a.name.localeCompare(b.name);

export type ObjectSettingsService = ReturnType<typeof objectSettingsService>;

/** `readsChanged`: told after a save, which may name an object or properties for the portal copy to read (its sync runs at once). */
export function objectSettingsService(db: Database, now: () => number, readsChanged: (portalId: number) => void = () => {}) {
  const copy = createCopyRepo(db);
  const settings = createSettingsRepo(db);
  const workspace = createWorkspaceRepo(db);

  /** From the copy; from HubSpot (one call each) for an object the copy does not hold yet. Null: no such object. */
  async function metadataOf(
    crm: PortalCrm,
    portalId: number,
    objectType: string,
  ): Promise<{ definitions: PropertyDef[] | null; pipelines: Pipeline[] }> {
    const [storedDefs, storedPipes] = await Promise.all([
      copy.propertyDefinitions<PropertyDef>(portalId, objectType),
      copy.pipelines<Pipeline>(portalId, objectType),
    ]);
    const read = async <T>(fn: () => Promise<T>, absent: T): Promise<T> => {
      try {
        return await fn();
      } catch (err) {
        if (err instanceof CrmError && (err.kind === 'not-found' || err.kind === 'bad-request' || err.kind === 'forbidden')) return absent;
        throw fromCrmError(err);
      }
    };
    const definitions = storedDefs.length > 0 ? storedDefs : await read<PropertyDef[] | null>(() => crm.properties(objectType), null);
    const pipelines = storedPipes.length > 0 ? storedPipes : await read<Pipeline[]>(() => crm.pipelines(objectType), []);
    return { definitions, pipelines };
  }

  async function choicesOf(crm: PortalCrm, portalId: number, objectType: string): Promise<PipelineObjectChoices> {
    const { definitions, pipelines } = await metadataOf(crm, portalId, objectType);
    const defs = definitions ?? [];
    return {
      objectType,
      csmProperties: defs.filter(isUserProperty).map(choice).sort(byLabel),
      renewalDateProperties: defs.filter(isDateProperty).map(choice).sort(byLabel),
      amountProperties: defs
        .filter((d) => d.type === 'number')
        .map(choice)
        .sort(byLabel),
      properties: defs
        .filter((d) => !d.readOnly)
        .map(choice)
        .sort(byLabel),
      pipelines: [...pipelines]
        .sort((a, b) => a.displayOrder - b.displayOrder)
        .map((p) => ({
          id: p.id,
          label: p.label,
          stages: [...p.stages].sort((a, b) => a.displayOrder - b.displayOrder).map((s) => ({ id: s.id, label: s.label })),
        })),
    };
  }

  async function objectList(portalId: number, kind: 'services' | 'revenue', current: string[]) {
    const custom = await settings.getSetting<unknown>(portalId, CUSTOM_OBJECTS_SETTING);
    const types = new Set([
      ...(kind === 'services' ? ['0-162'] : ['deals']),
      ...(Array.isArray(custom) ? custom.filter((t): t is string => typeof t === 'string') : []),
      ...current,
    ]);
    return [...types]
      .filter(kind === 'services' ? isServicesObjectType : isRevenueObjectType)
      .map((objectType) => ({ objectType, label: objectLabel(objectType) }));
  }

  const history = async (portalId: number, key: string) =>
    (await workspace.settingsHistory(portalId, key, HISTORY_LIMIT)).map((h) => ({
      changedAt: h.changedAt.toISOString(),
      userId: h.userId,
      before: h.before,
      after: h.after,
    }));

  /** A custom object chosen here is copied whole, like every custom object chosen for the copy. */
  async function copyCustomObjects(portalId: number, types: string[]): Promise<void> {
    const custom = await settings.getSetting<unknown>(portalId, CUSTOM_OBJECTS_SETTING);
    const list = Array.isArray(custom) ? custom.filter((t): t is string => typeof t === 'string') : [];
    const added = types.filter((t) => /^2-\d+$/.test(t) && !list.includes(t));
    if (added.length) await settings.putSetting(portalId, CUSTOM_OBJECTS_SETTING, [...list, ...added], new Date(now()));
  }

  const invalid = (errors: FieldError[]) =>
    new AppError('BAD_REQUEST', `Some settings are not valid: ${errors.map((e) => e.field).join(', ')}.`, errors);

  async function readServices(crm: PortalCrm, portalId: number): Promise<ServicesSettingsResponse> {
    const services = readServicesSetting(await settings.getSetting<unknown>(portalId, SERVICES_SETTING));
    const [objects, choices, h] = await Promise.all([
      objectList(portalId, 'services', [services.objectType]),
      choicesOf(crm, portalId, services.objectType),
      history(portalId, SERVICES_SETTING),
    ]);
    return { services, objects, choices, history: h };
  }

  async function readRevenue(crm: PortalCrm, portalId: number): Promise<RevenueSettingsResponse> {
    const revenue = readRevenueSetting(await settings.getSetting<unknown>(portalId, REVENUE_SETTING));
    const [objects, choices, h] = await Promise.all([
      objectList(
        portalId,
        'revenue',
        revenue.objects.map((o) => o.objectType),
      ),
      Promise.all(revenue.objects.map((o) => choicesOf(crm, portalId, o.objectType))),
      history(portalId, REVENUE_SETTING),
    ]);
    return { revenue, objects, choices, history: h };
  }

  return {
    readServices,
    readRevenue,

    /** The pickers for an object the manager is about to choose. */
    async choicesFor(crm: PortalCrm, portalId: number, objectType: string): Promise<PipelineObjectChoices> {
      if (!isServicesObjectType(objectType) && !isRevenueObjectType(objectType)) {
        throw new AppError('BAD_REQUEST', 'Services and Revenue show the Services object, deals or a custom object.', [
          { field: 'objectType', issue: 'must be 0-162, deals or a custom object (2-…)' },
        ]);
      }
      return choicesOf(crm, portalId, objectType);
    },

    /** CS-SET-2: validates and saves (managers), recording who changed it and when. */
    async saveServices(crm: PortalCrm, portalId: number, userId: number, input: ServicesSettings): Promise<ServicesSettingsResponse> {
      const { definitions, pipelines } = isServicesObjectType(input.objectType)
        ? await metadataOf(crm, portalId, input.objectType)
        : { definitions: null, pipelines: [] };
      const errors = validatePipelineObject(input, definitions, pipelines, 'services.', 'services');
      if (errors.length) throw invalid(errors);
      await workspace.putSettingWithHistory(portalId, SERVICES_SETTING, input, userId, new Date(now()));
      await copyCustomObjects(portalId, [input.objectType]);
      readsChanged(portalId);
      return readServices(crm, portalId);
    },

    /** CS-SET-3: up to two objects, the first shown first; each validated like services. */
    async saveRevenue(crm: PortalCrm, portalId: number, userId: number, input: RevenueSettings): Promise<RevenueSettingsResponse> {
      const errors = validateRevenueObjects(input.objects);
      for (const [i, o] of input.objects.entries()) {
        const { definitions, pipelines } = isRevenueObjectType(o.objectType)
          ? await metadataOf(crm, portalId, o.objectType)
          : { definitions: null, pipelines: [] };
        errors.push(...validatePipelineObject(o, definitions, pipelines, `revenue.objects.${i}.`, 'revenue'));
      }
      if (errors.length) throw invalid(errors);
      await workspace.putSettingWithHistory(portalId, REVENUE_SETTING, input, userId, new Date(now()));
      await copyCustomObjects(
        portalId,
        input.objects.map((o) => o.objectType),
      );
      readsChanged(portalId);
      return readRevenue(crm, portalId);
    },
  };
}
