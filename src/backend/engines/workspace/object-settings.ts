import type { PipelineObjectSettings, RevenueObjectSettings } from '../../contract/workspace';
import { isDateProperty, isUserProperty, type PropertyDef } from './properties';
import type { FieldError } from './settings';

// CS-SET-2 (services) and CS-SET-3 (revenue): checks a Services or Revenue object's settings against
// the object's property definitions and pipelines. Pure: one error per bad field.

export type SettingsPipeline = { id: string; stages: { id: string }[] };

/** Services: the Services object (0-162) or a custom object; revenue: deals or a custom object. */
export function isServicesObjectType(t: string): boolean {
  return t === '0-162' || /^2-\d+$/.test(t);
}
export function isRevenueObjectType(t: string): boolean {
  return t === 'deals' || /^2-\d+$/.test(t);
}

/**
 * The errors of one object's settings; `at` prefixes each field (e.g. "services." or
 * "revenue.objects.0."). `definitions` null: the object is unknown to the portal.
 */
export function validatePipelineObject(
  s: PipelineObjectSettings & { amountProperty?: string | null },
  definitions: readonly PropertyDef[] | null,
  pipelines: readonly SettingsPipeline[],
  at: string,
  kind: 'services' | 'revenue',
): FieldError[] {
  const okType = kind === 'services' ? isServicesObjectType(s.objectType) : isRevenueObjectType(s.objectType);
  if (!okType) {
    return [
      {
        field: `${at}objectType`,
        issue:
          kind === 'services' ? 'must be the Services object (0-162) or a custom object (2-…)' : 'must be deals or a custom object (2-…)',
      },
    ];
  }
  if (definitions === null || definitions.length === 0) {
    return [{ field: `${at}objectType`, issue: `no properties are known for ${s.objectType}: is it an object of this portal?` }];
  }
  const errors: FieldError[] = [];
  const byName = new Map(definitions.map((d) => [d.name, d]));
  const csm = byName.get(s.csmProperty);
  if (!csm) errors.push({ field: `${at}csmProperty`, issue: `${s.objectType} has no property "${s.csmProperty}"` });
  else if (!isUserProperty(csm)) errors.push({ field: `${at}csmProperty`, issue: `"${csm.label}" is not a HubSpot user property` });
  if (s.renewalDateProperty !== null) {
    const d = byName.get(s.renewalDateProperty);
    if (!d) errors.push({ field: `${at}renewalDateProperty`, issue: `${s.objectType} has no property "${s.renewalDateProperty}"` });
    else if (!isDateProperty(d)) errors.push({ field: `${at}renewalDateProperty`, issue: `"${d.label}" is not a date property` });
  }
  if (s.amountProperty !== undefined && s.amountProperty !== null) {
    const d = byName.get(s.amountProperty);
    if (!d) errors.push({ field: `${at}amountProperty`, issue: `${s.objectType} has no property "${s.amountProperty}"` });
    else if (d.type !== 'number') errors.push({ field: `${at}amountProperty`, issue: `"${d.label}" is not a number property` });
  }
  const ids = new Set(pipelines.map((p) => p.id));
  if (pipelines.length === 0) errors.push({ field: `${at}objectType`, issue: `${s.objectType} has no pipelines in this portal` });
  if (s.visiblePipelines !== null) {
    if (s.visiblePipelines.length === 0) errors.push({ field: `${at}visiblePipelines`, issue: 'show at least one pipeline (or all)' });
    s.visiblePipelines.forEach((p, i) => {
      if (!ids.has(p)) errors.push({ field: `${at}visiblePipelines.${i}`, issue: `there is no pipeline "${p}"` });
    });
  }
  if (s.defaultPipeline !== null) {
    if (!ids.has(s.defaultPipeline)) errors.push({ field: `${at}defaultPipeline`, issue: `there is no pipeline "${s.defaultPipeline}"` });
    else if (s.visiblePipelines !== null && !s.visiblePipelines.includes(s.defaultPipeline))
      errors.push({ field: `${at}defaultPipeline`, issue: 'the default pipeline must be one of the visible pipelines' });
  }
  const stages = new Set(pipelines.flatMap((p) => p.stages.map((st) => st.id)));
  for (const [stageId, names] of Object.entries(s.stageRequirements)) {
    if (!stages.has(stageId)) {
      errors.push({ field: `${at}stageRequirements.${stageId}`, issue: `there is no stage "${stageId}"` });
      continue;
    }
    names.forEach((n, i) => {
      const d = byName.get(n);
      if (!d) errors.push({ field: `${at}stageRequirements.${stageId}.${i}`, issue: `${s.objectType} has no property "${n}"` });
      else if (d.readOnly) errors.push({ field: `${at}stageRequirements.${stageId}.${i}`, issue: `"${d.label}" is calculated by HubSpot` });
    });
  }
  return errors;
}

/** Revenue (CS-SET-3): one or two different objects, each valid. */
export function validateRevenueObjects(objects: readonly RevenueObjectSettings[]): FieldError[] {
  const errors: FieldError[] = [];
  if (objects.length === 0 || objects.length > 2) errors.push({ field: 'revenue.objects', issue: 'one or two objects' });
  objects.forEach((o, i) => {
    if (objects.findIndex((x) => x.objectType === o.objectType) !== i)
      errors.push({ field: `revenue.objects.${i}.objectType`, issue: `${o.objectType} is listed twice` });
  });
  return errors;
}
