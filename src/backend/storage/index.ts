// The storage layer's public surface. Tests also use ./testing.
export {
  createDatabase,
  DEFAULT_PGLITE_DATA_DIR,
  type CreateDatabaseOptions,
  type Database,
  type DatabaseKind,
  type Queryable,
  type Session,
  type SqlParam,
  type StorageLogger,
} from './database';
export { loadMigrations, migrate, MigrationError, MIGRATIONS_DIR, pendingMigrations, type Migration } from './migrate';
export {
  actionKey,
  createGuidedActionsRepo,
  FEEDBACK_ANSWERS,
  recordKey,
  type ActionRef,
  type ActionState,
  type ExpiredItem,
  type Feedback,
  type FeedbackAnswer,
  type GuidedActionsRepo,
  type SeenItem,
} from './guided-actions-repo';
export { createSettingsRepo, type SettingsRepo } from './settings-repo';
export {
  createInstallationsRepo,
  INSTALL_STATUSES,
  type Installation,
  type InstallationInput,
  type InstallationsRepo,
  type InstallStatus,
  type StoredTokens,
} from './installations-repo';
export {
  createHealthRepo,
  type AlertRow,
  type CustomerRow,
  type HealthRepo,
  type RecordState,
  type RunKind,
  type RunStatus,
  type RunTotal,
  type ScoredWrite,
  type SnapshotJson,
  type StoredProfile,
  type StoredRun,
} from './health-repo';
export {
  createCopyRepo,
  SYNC_STATES,
  TRACKED_HISTORY,
  type PropertyChange,
  type UpsertOptions,
  type AssociatedRef,
  type CopyAssociation,
  type CopyOwner,
  type CopyRecord,
  type CopyRepo,
  type CopyUser,
  type RecordQuery,
  type SyncState,
  type SyncStateName,
  type SyncStatePatch,
} from './copy-repo';
export {
  BULK_BATCH_SIZE,
  createActionsRepo,
  ITEM_STATES,
  JOB_STATUSES,
  type ActionsRepo,
  type ItemResult,
  type ItemState,
  type JobItem,
  type JobStatus,
  type StoredJob,
  type StoredTaskView,
} from './actions-repo';
export {
  countTasks,
  listTaskPage,
  matchingTaskIds,
  type DueWindow,
  type TaskFilter,
  type TaskPageCursor,
  type TaskRow,
  type TaskSort,
  type TaskSortKey,
} from './tasks-query';
export { createWorkspaceRepo, type CsmAssignment, type SettingsChangeRow, type StoredView, type WorkspaceRepo } from './workspace-repo';
export { listSlimRecords, type SlimQuery, type SlimRecord } from './record-query';
export { createSummaryRepo, type ReportChoiceRow, type StoredDashboard, type SummaryRepo } from './summary-repo';
export {
  createHealthCopyRepo,
  type CustomerRecord,
  type DirtyRow,
  type HealthCopyRepo,
  type LinkedRecord,
  type Touched,
} from './health-copy-repo';
export { createFeedRepo, type FeedRepo } from './feed-repo';
export {
  pairKey,
  readAssociationDirections,
  readAssociationPairs,
  readGuidedActionsBook,
  readOpenSequenceTasks,
  readRecordsByIds,
  type GuidedActionsBookQuery,
  type LiveRecord,
  type PairAnswer,
  type PairRequest,
  type WantedRecords,
} from './copy-query';
export { createSequencesRepo, type SequencesRepo, type StoredEnrollment } from './sequences-repo';
