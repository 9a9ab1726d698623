// @tiller/hubspot-sandbox: the local HubSpot stand-in, as a package.
export { SANDBOX_MARKER, startSandbox, ValidationError } from './server';
export type { Sandbox, SandboxOptions, SandboxPortalInfo, SandboxStats, SandboxControl, FaultKind, AppLifecycleEvent } from './server';
export { FixtureError } from './fixture';
export type { Fixture } from './fixture';
export { signatureV3, MAX_RETRIES, retryDelayMs } from './webhooks';
export type { WebhooksOptions, WebhookStats } from './webhooks';
export type { WebhookEvent, WebhookSubscriptions } from './webhooks-events';
export type { ChangesRequest, ChangeOp } from './webhooks-changes';
