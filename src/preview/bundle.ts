// Bundles the REAL extension entry files for the browser, as HubSpot bundles them for its worker,
// with two differences only: each bundle first runs the preview host (host/install.tsx), which
// plays HubSpot's side of the worker globals (hubspot.extend, hubspot.fetch, the context and action
// hooks, logger), and @hubspot/ui-extensions' remote component registry is swapped for ours
// (host/registry.tsx), so each component renders as HTML in this page instead of being sent to
// HubSpot's renderer. Everything else of the SDK (the page router, hooks, PageRoutes) runs as is.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import type { Surface } from './surfaces';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HOST_INSTALL = path.join(HERE, 'host', 'install.tsx');
const HOST_REGISTRY = path.join(HERE, 'host', 'registry.tsx');
// The one SDK file the preview replaces: every standard, CRM and page component is created by it.
const REGISTRY_FILE = /[\\/]@hubspot[\\/]ui-extensions[\\/]dist[\\/]shared\.synced[\\/]utils[\\/]remote-component-registry\.synced\.js$/;

/** The built files by name (`<surface uid>.js`, shared `chunk-*.js`), and the build's warnings. */
export type PreviewBuild = { files: Map<string, { contents: Uint8Array; contentType: string }>; warnings: string[] };

export type PreviewBundler = { build(): Promise<PreviewBuild>; dispose(): Promise<void> };

/** An incremental esbuild context over every surface: build() again after a source edit is fast. */
export async function createPreviewBundler(surfaces: Surface[], opts: { production?: boolean } = {}): Promise<PreviewBundler> {
  const outdir = path.join(HERE, '.out'); // never written (write: false); names the outputs
  let registryReplaced = false;
  const plugin: esbuild.Plugin = {
    name: 'tiller-preview',
    setup(build) {
      build.onResolve({ filter: /^preview-entry:/ }, (args) => ({
        path: args.path.slice('preview-entry:'.length),
        namespace: 'preview-entry',
      }));
      build.onLoad({ filter: /.*/, namespace: 'preview-entry' }, (args) => {
        const surface = surfaces.find((s) => s.uid === args.path);
        if (!surface) throw new Error(`unknown preview surface ${args.path}`);
        // Import order is evaluation order: the host's globals exist before the SDK reads them.
        return {
          contents: `import ${JSON.stringify(HOST_INSTALL)};\nimport ${JSON.stringify(surface.entry)};\n`,
          resolveDir: path.dirname(surface.entry),
          loader: 'js',
        };
      });
      build.onResolve({ filter: /remote-component-registry\.synced\.js$/ }, async (args) => {
        if (args.pluginData === 'inner') return undefined;
        const resolved = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: 'inner' });
        if (!REGISTRY_FILE.test(resolved.path)) return undefined;
        registryReplaced = true;
        return { path: HOST_REGISTRY };
      });
      build.onEnd((result) => {
        if (result.errors.length === 0 && !registryReplaced) {
          result.errors.push({
            id: 'registry',
            pluginName: 'tiller-preview',
            text: '@hubspot/ui-extensions no longer loads remote-component-registry.synced.js: the preview cannot render its components (update src/preview/bundle.ts).',
            location: null,
            notes: [],
            detail: undefined,
          });
        }
      });
    },
  };
  const ctx = await esbuild.context({
    entryPoints: Object.fromEntries(surfaces.map((s) => [s.uid, `preview-entry:${s.uid}`])),
    bundle: true,
    write: false,
    outdir,
    format: 'esm',
    splitting: true,
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    sourcemap: 'inline',
    minify: opts.production ?? false,
    define: { 'process.env.NODE_ENV': JSON.stringify(opts.production ? 'production' : 'development') },
    logLevel: 'silent',
    plugins: [plugin],
  });
  return {
    async build() {
      registryReplaced = false;
      const result = await ctx.rebuild();
      // Errors added by onEnd (the registry check) do not reject the rebuild: reject here.
      if (result.errors.length) throw Object.assign(new Error('The preview bundle did not build.'), { errors: result.errors });
      const files = new Map<string, { contents: Uint8Array; contentType: string }>();
      for (const f of result.outputFiles ?? []) {
        files.set(path.relative(outdir, f.path).split(path.sep).join('/'), {
          contents: f.contents,
          contentType: 'text/javascript; charset=utf-8',
        });
      }
      return { files, warnings: result.warnings.map((w) => w.text) };
    },
    dispose: () => ctx.dispose(),
  };
}

/** esbuild's build failure as one readable paragraph (file:line: message). */
export function describeBuildError(err: unknown): string {
  const failure = err as { errors?: esbuild.Message[] };
  if (!failure.errors?.length) return err instanceof Error ? err.message : String(err);
  return failure.errors
    .map((e) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ${e.text}` : e.text))
    .join('\n');
}
