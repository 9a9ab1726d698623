/** Bundles `entry` into `outDir`/<name>.mjs with the migrations beside it; returns the module's path. */
export function buildBackend(entry?: string, outDir?: string, options?: { withWorkspacePackages?: boolean }): Promise<string>;
