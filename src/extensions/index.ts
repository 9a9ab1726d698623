// The one module the HubSpot entry files import. `hubspot` is re-exported so that the entry,
// the screens and the hooks share a single copy of @hubspot/ui-extensions in the bundle.
export { hubspot } from '@hubspot/ui-extensions';
export { TasksCard } from './cards/TasksCard';
export { GuidedActionsCard } from './cards/GuidedActionsCard';
export { HealthCard } from './cards/HealthCard';
export { SettingsPage } from './settings/SettingsPage';
export { WorkspaceHome } from './workspace/WorkspaceHome';
export { WorkspacePages } from './workspace/WorkspacePages';
export { useBackend, useBackendCall, callBackend, backendUrl, ViewAsProvider } from './api/useBackend';
export type { BackendState, BackendError, BackendRequest, QueryParams } from './api/useBackend';
