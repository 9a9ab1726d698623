// The Services and Revenue settings as far as the copy needs them (CS-SET-2, CS-SET-3): which
// objects those workspaces show and which of their properties they read, so the copy holds them.
// Kept in sync/ (sync sits below services) so the sync and the services read one definition.
import { z } from 'zod';

/** portal_settings keys of the two sections. */
export const SERVICES_SETTING = 'cs.services';
export const REVENUE_SETTING = 'cs.revenue';

/** At most this many revenue objects (CS-SET-3). */
export const MAX_REVENUE_OBJECTS = 2;

const objectSettingSchema = z.object({
  objectType: z.string().min(1),
  csmProperty: z.string().min(1),
  renewalDateProperty: z.string().min(1).nullable(),
  /** Pipelines shown in the workspace, by id; null: every pipeline of the object. */
  visiblePipelines: z.array(z.string().min(1)).nullable(),
  defaultPipeline: z.string().min(1).nullable(),
  defaultLayout: z.enum(['table', 'board']),
  /**
   * Properties a record must have before it moves into a stage, by stage id. HubSpot's pipelines
   * API does not return the "conditional stage properties" set in HubSpot's pipeline editor (a
   * stage is id, label, displayOrder, metadata, archived: hubspot-crm-data.md §2.3), so managers
   * name them here.
   */
  stageRequirements: z.record(z.string(), z.array(z.string().min(1))),
});

/** One object of the Services or Revenue workspace. */
export type PipelineObjectSetting = z.infer<typeof objectSettingSchema>;

export const servicesSettingSchema = objectSettingSchema;
export type ServicesSetting = PipelineObjectSetting;

export const revenueObjectSchema = objectSettingSchema.extend({
  /** The number property holding the record's amount (deals: amount). */
  amountProperty: z.string().min(1).nullable(),
});
export type RevenueObjectSetting = z.infer<typeof revenueObjectSchema>;
export const revenueSettingSchema = z.object({ objects: z.array(revenueObjectSchema).min(1).max(MAX_REVENUE_OBJECTS) });
export type RevenueSetting = z.infer<typeof revenueSettingSchema>;

export const DEFAULT_SERVICES_SETTING: ServicesSetting = {
  objectType: '0-162',
  csmProperty: 'hubspot_owner_id',
  renewalDateProperty: null,
  visiblePipelines: null,
  defaultPipeline: null,
  defaultLayout: 'table',
  stageRequirements: {},
};

export const DEFAULT_REVENUE_SETTING: RevenueSetting = {
  objects: [
    {
      objectType: 'deals',
      csmProperty: 'hubspot_owner_id',
      renewalDateProperty: 'closedate',
      amountProperty: 'amount',
      visiblePipelines: null,
      defaultPipeline: null,
      defaultLayout: 'table',
      stageRequirements: {},
    },
  ],
};

export function readServicesSetting(stored: unknown): ServicesSetting {
  const parsed = servicesSettingSchema.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_SERVICES_SETTING;
}

export function readRevenueSetting(stored: unknown): RevenueSetting {
  const parsed = revenueSettingSchema.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_REVENUE_SETTING;
}

/** The properties holding a record's pipeline and stage (deals name them differently). */
export function pipelinePropertiesOf(objectType: string): { pipeline: string; stage: string } {
  return objectType === 'deals' ? { pipeline: 'pipeline', stage: 'dealstage' } : { pipeline: 'hs_pipeline', stage: 'hs_pipeline_stage' };
}

/** Properties of a Services or Revenue object the workspace reads beyond what the copy holds anyway. */
export function pipelineObjectCopyProperties(s: PipelineObjectSetting & { amountProperty?: string | null }): string[] {
  const p = pipelinePropertiesOf(s.objectType);
  const props = new Set([s.csmProperty, p.pipeline, p.stage, 'hubspot_owner_assigneddate', 'notes_last_updated', 'notes_last_contacted']);
  if (s.renewalDateProperty) props.add(s.renewalDateProperty);
  if (s.amountProperty) props.add(s.amountProperty);
  for (const names of Object.values(s.stageRequirements)) for (const n of names) props.add(n);
  return [...props].sort();
}
