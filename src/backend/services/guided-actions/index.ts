export {
  createGuidedActionsService,
  DEFAULT_LIMIT,
  MAX_LIMIT,
  RECORD_TYPES,
  SETTINGS_KEY,
  type GuidedActionsService,
  type GuidedActionsServiceDeps,
  type RecordFilter,
} from './service';
export { loadGuidedActionsInput, RULE_SOURCES, stillCopyingWarning, type DataPlanResult } from './data-plan';
