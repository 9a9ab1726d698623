// The screens the preview can show, read from the HubSpot project the way HubSpot reads it:
// hsproject.json's srcDir, then every *-hsmeta.json of a card, page or settings component under
// app/, each naming its entry file. A new card needs no preview change.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export const SURFACE_KINDS = ['page', 'settings', 'card'] as const;
export type SurfaceKind = (typeof SURFACE_KINDS)[number];

/** One extension entry point: the file HubSpot bundles, and where HubSpot shows it. */
export type Surface = {
  uid: string;
  kind: SurfaceKind;
  title: string;
  /** The extension point: 'pages', 'settings' or a card's location such as 'crm.record.sidebar'. */
  location: string;
  /** Absolute path of the entry file. */
  entry: string;
  /** Cards only: the CRM object types the card appears on. */
  objectTypes: string[];
};

/** What the preview needs from the project besides the surfaces. */
export type PreviewProject = {
  appName: string;
  surfaces: Surface[];
  /** The dev profile's variables (src/hsprofile.dev.json), as HubSpot gives them to extensions. */
  variables: Record<string, string | number | boolean>;
  /** Origins hubspot.fetch may call (app-hsmeta permittedUrls.fetch, profile variables substituted). */
  permittedFetchOrigins: string[];
};

const projectSchema = z.object({ srcDir: z.string() });
const componentSchema = z.object({
  uid: z.string(),
  type: z.string(),
  config: z.looseObject({
    name: z.string().optional(),
    entrypoint: z.string().optional(),
    location: z.string().optional(),
    objectTypes: z.array(z.string()).optional(),
  }),
});
const appSchema = z.object({
  type: z.literal('app'),
  config: z.looseObject({ name: z.string(), permittedUrls: z.looseObject({ fetch: z.array(z.string()).default([]) }).optional() }),
});
const profileSchema = z.object({ variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}) });

async function readJson(file: string): Promise<unknown> {
  return JSON.parse(await readFile(file, 'utf8')) as unknown;
}

function substitute(value: string, variables: Record<string, string | number | boolean>, file: string): string {
  return value.replace(/\$\{(\w+)\}/g, (_, name: string) => {
    const v = variables[name];
    if (v === undefined) throw new Error(`${file}: \${${name}} is not defined in the dev profile.`);
    return String(v);
  });
}

/** Reads the project under `projectDir`; a malformed hsmeta file or a missing entry file throws, naming the file. */
export async function readPreviewProject(projectDir: string, profile = 'dev'): Promise<PreviewProject> {
  const project = projectSchema.parse(await readJson(path.join(projectDir, 'hsproject.json')));
  const srcDir = path.resolve(projectDir, project.srcDir);
  const profileFile = path.join(srcDir, `hsprofile.${profile}.json`);
  const variables = profileSchema.parse(await readJson(profileFile)).variables;
  const appDir = path.join(srcDir, 'app');
  const files = (await readdir(appDir, { recursive: true }))
    .filter((f) => f.endsWith('-hsmeta.json') && !f.split(path.sep).includes('node_modules'))
    .sort();
  let appName = 'App';
  let permittedFetchOrigins: string[] = [];
  const surfaces: Surface[] = [];
  for (const rel of files) {
    const file = path.join(appDir, rel);
    const raw = await readJson(file);
    if ((raw as { type?: unknown }).type === 'app') {
      const app = appSchema.parse(raw).config;
      appName = app.name;
      permittedFetchOrigins = (app.permittedUrls?.fetch ?? []).map((u) => new URL(substitute(u, variables, file)).origin);
      continue;
    }
    const meta = componentSchema.parse(raw);
    const kind = SURFACE_KINDS.find((k) => k === meta.type);
    if (!kind) continue; // webhooks and other non-UI components
    const { entrypoint } = meta.config;
    if (!entrypoint) throw new Error(`${file}: config.entrypoint is missing.`);
    const entry = path.join(srcDir, entrypoint);
    await stat(entry).catch(() => {
      throw new Error(`${file}: entry file ${entrypoint} does not exist.`);
    });
    const location = kind === 'page' ? 'pages' : kind === 'settings' ? 'settings' : meta.config.location;
    if (!location) throw new Error(`${file}: a card needs config.location.`);
    const title = meta.config.name ?? meta.uid;
    surfaces.push({ uid: meta.uid, kind, title, location, entry, objectTypes: meta.config.objectTypes ?? [] });
  }
  // Pages first, then cards, then settings: the order a user meets them.
  const order: Record<SurfaceKind, number> = { page: 0, card: 1, settings: 2 };
  surfaces.sort((a, b) => order[a.kind] - order[b.kind] || a.title.localeCompare(b.title));
  // Pages and settings have no name of their own in their hsmeta: HubSpot shows the app's.
  for (const s of surfaces) if (s.kind !== 'card') s.title = s.kind === 'page' ? appName : `${appName} settings`;
  return { appName, surfaces, variables, permittedFetchOrigins };
}
