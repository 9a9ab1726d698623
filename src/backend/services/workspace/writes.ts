import { AppError } from '../../app-error';
import type { WorkspaceEditInput, WorkspacePreviewResponse, WorkspaceStageInput } from '../../contract/workspace';
import { CrmError } from '../../crm/errors';
import type { PortalCrm } from '../../crm/gateway';
import type { CrmRecord, Pipeline } from '../../crm/types';
import { toHubSpotValue, type FieldError, type PropertyDef } from '../../engines/workspace';
import { createCopyRepo, type Database } from '../../storage';
import { toCopyRecord } from '../../sync/records';
import { fromCrmError } from '../crm-errors';
import { configOf, visiblePipelines, type Viewer, type WorkspaceKind } from './service';

// Writes of the object workspaces: an inline edit of a record's property (CS-CUS-3, CS-SRV-3) —
// checked against the copy's definition, one HubSpot call, then written through to the copy so
// every tab reads the new value at once (as services/actions does for tasks).

/** Stores HubSpot's answer for a written record over the copy's row (HubSpot returns only what was written). */
export async function writeRecordThrough(
  db: Database,
  portalId: number,
  objectType: string,
  record: CrmRecord,
  now: number,
): Promise<void> {
  const copy = createCopyRepo(db);
  const before = (await copy.getRecords(portalId, objectType, [record.id])).get(record.id);
  const merged: CrmRecord = { ...record, properties: { ...(before?.properties ?? {}), ...record.properties } };
  await copy.upsertRecords(portalId, objectType, [toCopyRecord(objectType, merged, before?.versionMs)], new Date(now));
}

/**
 * One HubSpot update of one record. HubSpot's refusal (a 400: bad value, unknown or read-only
 * property) becomes a 400 naming `field`, with HubSpot's own sentence; an id HubSpot no longer
 * has becomes a 404. Nothing reaches the copy unless HubSpot took the change.
 */
export async function updateOne(
  crm: PortalCrm,
  objectType: string,
  id: string,
  properties: Record<string, string>,
  field: string,
): Promise<CrmRecord> {
  let res: Awaited<ReturnType<PortalCrm['batchUpdate']>>;
  try {
    res = await crm.batchUpdate(objectType, [{ id, properties }]);
  } catch (err) {
    if (err instanceof CrmError && err.kind === 'bad-request') {
      throw new AppError('BAD_REQUEST', `HubSpot refused the change: ${err.message}`, [{ field, issue: err.message }]);
    }
    throw fromCrmError(err);
  }
  const updated = res.results.find((r) => r.id === id);
  if (!updated) throw new AppError('NOT_FOUND', 'This record no longer exists in HubSpot.');
  return updated;
}

export type WorkspaceWrites = ReturnType<typeof workspaceWrites>;

export function workspaceWrites(
  db: Database,
  now: () => number,
  preview: (v: Viewer, w: WorkspaceKind, id: string, object?: string) => Promise<WorkspacePreviewResponse>,
) {
  const copy = createCopyRepo(db);

  /** The record as the copy holds it, and its object's definitions and active owners. */
  async function recordAndDefinitions(v: Viewer, workspace: WorkspaceKind, id: string, object?: string) {
    const config = await configOf(db, v.portalId, workspace, object);
    const [found, defs, owners] = await Promise.all([
      copy.getRecords(v.portalId, config.objectType, [id]),
      copy.propertyDefinitions<PropertyDef>(v.portalId, config.objectType),
      copy.owners(v.portalId),
    ]);
    const record = found.get(id);
    if (!record || record.archived) throw new AppError('NOT_FOUND', `There is no ${config.objectType} record ${id} in this portal.`);
    return {
      config,
      record,
      definitions: new Map(defs.map((d) => [d.name, d])),
      ownerIds: new Set(owners.filter((o) => !o.archived).map((o) => o.id)),
    };
  }

  return {
    /** Edits one property of a record (1 HubSpot call), then answers the record's preview as it now is. */
    async editProperty(
      crm: PortalCrm,
      v: Viewer,
      workspace: WorkspaceKind,
      id: string,
      input: WorkspaceEditInput,
      object?: string,
    ): Promise<WorkspacePreviewResponse> {
      const { config, definitions, ownerIds } = await recordAndDefinitions(v, workspace, id, object);
      const def = definitions.get(input.property);
      const errors: FieldError[] = [];
      if (!def) errors.push({ field: 'property', issue: `${config.objectType} has no property "${input.property}"` });
      else {
        const checked = toHubSpotValue(def, input.value, ownerIds);
        if (!checked.ok) errors.push({ field: 'value', issue: checked.issue });
        else {
          const updated = await updateOne(crm, config.objectType, id, { [def.name]: checked.value }, 'value');
          await writeRecordThrough(db, v.portalId, config.objectType, updated, now());
          return preview(v, workspace, id, object);
        }
      }
      throw new AppError('BAD_REQUEST', `The change was not saved: ${errors.map((e) => e.issue).join('; ')}.`, errors);
    },

    /**
     * CS-SRV-2 / CS-REV-1: moves a record into a stage of a visible pipeline (from the board or the
     * stage picker). The stage's required properties must be given (or already set on the record);
     * every given property is checked like an inline edit; then one HubSpot call sets the pipeline,
     * the stage and those properties together, written through to the copy.
     */
    async changeStage(
      crm: PortalCrm,
      v: Viewer,
      workspace: WorkspaceKind,
      id: string,
      input: WorkspaceStageInput,
      object?: string,
    ): Promise<WorkspacePreviewResponse> {
      const { config, record, definitions, ownerIds } = await recordAndDefinitions(v, workspace, id, object);
      const p = config.pipelines;
      if (!p)
        throw new AppError('BAD_REQUEST', 'Customers have no stages to move.', [{ field: 'workspace', issue: 'services or revenue' }]);
      const pipelines = visiblePipelines(await copy.pipelines<Pipeline>(v.portalId, config.objectType), config);
      const pipeline = pipelines.find((x) => x.stages.some((s) => s.id === input.stageId));
      const stage = pipeline?.stages.find((s) => s.id === input.stageId);
      if (!pipeline || !stage) {
        throw new AppError('BAD_REQUEST', `There is no stage "${input.stageId}" in the pipelines shown here.`, [
          { field: 'stageId', issue: 'a stage of a visible pipeline' },
        ]);
      }
      const errors: FieldError[] = [];
      const properties: Record<string, string> = {};
      for (const [name, value] of Object.entries(input.properties ?? {})) {
        const def = definitions.get(name);
        if (!def) {
          errors.push({ field: `properties.${name}`, issue: `${config.objectType} has no property "${name}"` });
          continue;
        }
        const checked = toHubSpotValue(def, value, ownerIds);
        if (!checked.ok) errors.push({ field: `properties.${name}`, issue: checked.issue });
        else properties[name] = checked.value;
      }
      for (const name of p.stageRequirements[stage.id] ?? []) {
        const value = properties[name] ?? record.properties[name] ?? '';
        if (value === '' && !errors.some((e) => e.field === `properties.${name}`)) {
          errors.push({
            field: `properties.${name}`,
            issue: `"${definitions.get(name)?.label ?? name}" is required to move into "${stage.label}"`,
          });
        }
      }
      if (errors.length) {
        throw new AppError('BAD_REQUEST', `"${stage.label}" needs more before the move: ${errors.map((e) => e.issue).join('; ')}.`, errors);
      }
      const updated = await updateOne(
        crm,
        config.objectType,
        id,
        { ...properties, [p.pipelineProperty]: pipeline.id, [p.stageProperty]: stage.id },
        'stageId',
      );
      await writeRecordThrough(db, v.portalId, config.objectType, updated, now());
      return preview(v, workspace, id, object);
    },
  };
}
