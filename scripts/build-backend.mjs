// npm run build: the backend as it is deployed, one ES module per entry with the SQL migrations
// beside it. Packages stay external (node_modules is installed where it runs). Running plain
// JavaScript instead of TypeScript through tsx saves ~75 MB of resident memory per process and
// some CPU per request (docs/performance.md, "memory").
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Packages stay external, but our own TypeScript workspace packages (the sandbox) cannot run on
 * plain Node as they are published in the repository: a bench backend that starts the sandbox
 * bundles them in. The production entry imports none (tests/build/production-entry.test.ts).
 */
const bundleWorkspacePackages = {
  name: 'bundle-workspace-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@tiller/') ? undefined : { path: args.path, external: true }));
  },
};

/**
 * Bundles `entry` (a path from the repository root) into `outDir`/<name>.mjs and copies the
 * migrations there (storage looks for them beside the running module). Returns the module's path.
 * `withWorkspacePackages`: bundle @tiller/* workspace packages in (bench backends).
 */
export async function buildBackend(entry = 'src/backend/main.ts', outDir = 'dist/backend', { withWorkspacePackages = false } = {}) {
  const out = path.resolve(root, outDir);
  const outfile = path.join(out, `${path.basename(entry, path.extname(entry))}.mjs`);
  await build({
    entryPoints: [path.resolve(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    ...(withWorkspacePackages ? { plugins: [bundleWorkspacePackages] } : { packages: 'external' }),
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  rmSync(path.join(out, 'migrations'), { recursive: true, force: true });
  cpSync(path.join(root, 'src/backend/storage/migrations'), path.join(out, 'migrations'), { recursive: true });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = await buildBackend();
  process.stdout.write(`built ${path.relative(root, file)}\n`);
}
