// Offline stand-in for `hs project validate` + `hs project upload`: HubSpot's own parsing library,
// its upload filter and its extension build, plus the checks that skipValidation leaves out.
import fs from 'node:fs';
import path from 'node:path';
import { getProjectMetadata, isKnownPlatformVersion, isLegacyProject, parseProjectConfig } from '@hubspot/project-parsing-lib/projects';
import { translate, type IntermediateRepresentationNode } from '@hubspot/project-parsing-lib/translate';
import { validateUid } from '@hubspot/project-parsing-lib/uid';
import { getAllHsProfiles, loadHsProfileFile } from '@hubspot/project-parsing-lib/profiles';
import { Components } from '@hubspot/project-parsing-lib/constants';
import {
  collectFileDependencies,
  collectWorkspaceDirectories,
  findAndParsePackageJsonFiles,
  parseLocalSpec,
  validateWorkspaceProtocolDependencies,
} from '@hubspot/project-parsing-lib/workspaces';
import { shouldIgnoreFile } from '@hubspot/local-dev-lib/ignoreRules';
import { buildSingleExtension } from '@hubspot/ui-extensions-dev-server/build';

export const TARGET_PLATFORM_VERSION = '2026.03';
// The hsmeta keys the parser accepts on 2026.03 (`permissions` arrives with 2026.09-beta).
const TOP_LEVEL_KEYS = new Set(['uid', 'type', 'config', 'dependencies']);
// The component types Tiller ships; anything else is a typo or an unplanned feature.
const SHIPPED_TYPES = new Set(['APPLICATION', 'CARD', 'PAGE', 'SETTINGS', 'WEBHOOKS']);
const CARD_LOCATIONS = new Set(['crm.record.tab', 'crm.record.sidebar', 'crm.preview', 'helpdesk.sidebar']);
const CARD_OBJECT_TYPES = new Set([
  'contacts',
  'companies',
  'deals',
  'tickets',
  'leads',
  'services',
  'appointments',
  'courses',
  'listings',
]);
const ENTRY_EXTENSIONS = new Set(['.js', '.jsx', '.ts', '.tsx']);

export type Entry = { uid: string; componentType: string; file: string; hsmetaDir: string };

export type ProjectReport = {
  problems: string[];
  srcDir: string;
  profiles: string[];
  entries: Entry[];
  /** Every profile's substituted app config, keyed by profile name. */
  appConfigs: Record<string, Record<string, unknown>>;
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function walk(dir: string, skip = new Set(['node_modules'])): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full, skip));
    else out.push(full);
  }
  return out;
}

/** The srcDir-relative files `hs project upload` would zip: srcDir minus HubSpot's ignore rules (incl. `.hsignore`). */
export function uploadFileSet(srcDir: string): Set<string> {
  return new Set(
    walk(srcDir)
      .map((file) => path.relative(srcDir, file).split(path.sep).join('/'))
      .filter((name) => !shouldIgnoreFile(name, true)),
  );
}

function checkUrl(label: string, value: unknown, problems: string[], { originOnly }: { originOnly: boolean }) {
  if (typeof value !== 'string') return problems.push(`${label}: not a string`);
  if (value.includes('${')) return problems.push(`${label}: unresolved profile variable in ${value}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return problems.push(`${label}: not a URL: ${value}`);
  }
  if (url.protocol !== 'https:') problems.push(`${label}: not HTTPS: ${value}`);
  if (['localhost', '127.0.0.1', '[::1]', '0.0.0.0'].includes(url.hostname) || url.hostname.endsWith('.localhost')) {
    problems.push(`${label}: localhost is never allowed: ${value}`);
  }
  if (originOnly && value.replace(/\/$/, '') !== url.origin) problems.push(`${label}: must be a bare origin: ${value}`);
}

function checkApp(profile: string, node: IntermediateRepresentationNode, problems: string[]) {
  const config = isRecord(node.config) ? node.config : {};
  const where = `[${profile}] app ${node.uid}`;
  for (const field of ['name', 'description', 'distribution'] as const) {
    if (typeof config[field] !== 'string' || !(config[field] as string).trim()) problems.push(`${where}: config.${field} is required`);
  }
  if (config.distribution !== 'marketplace') problems.push(`${where}: distribution must be "marketplace"`);
  const auth = isRecord(config.auth) ? config.auth : {};
  if (auth.type !== 'oauth') problems.push(`${where}: auth.type must be "oauth" for marketplace apps`);
  const scopes = Array.isArray(auth.requiredScopes) ? auth.requiredScopes : [];
  if (!scopes.includes('oauth')) problems.push(`${where}: requiredScopes must include "oauth"`);
  const redirects = Array.isArray(auth.redirectUrls) ? auth.redirectUrls : [];
  if (redirects.length === 0) problems.push(`${where}: auth.redirectUrls is empty`);
  redirects.forEach((url, i) => checkUrl(`${where}: redirectUrls[${i}]`, url, problems, { originOnly: false }));
  const permitted = isRecord(config.permittedUrls) ? config.permittedUrls : {};
  const fetchUrls = Array.isArray(permitted.fetch) ? permitted.fetch : [];
  if (fetchUrls.length === 0) problems.push(`${where}: permittedUrls.fetch is empty`);
  fetchUrls.forEach((url, i) => checkUrl(`${where}: permittedUrls.fetch[${i}]`, url, problems, { originOnly: true }));
  if (!isRecord(config.support) || typeof config.support.supportEmail !== 'string')
    problems.push(`${where}: support.supportEmail is required`);
}

// The webhooks component (reference hubspot-sync.md §1.1–§1.4): generic object.* subscriptions in
// crmObjects, legacy <type>.<event> ones in legacyCrmObjects, privacy deletion and conversations in hubEvents.
const GENERIC_EVENTS = new Set(['creation', 'deletion', 'merge', 'restore', 'propertyChange', 'associationChange']);
// The generic format's object types (D-GEN list), as singular API names; meeting_event is the docs' spelling.
const WEBHOOK_OBJECT_TYPES = new Set([
  'appointment',
  'call',
  'cart',
  'commerce_payment',
  'communication',
  'company',
  'contact',
  'course',
  'deal',
  'discount',
  'email',
  'fee',
  'feedback_submission',
  'goal_target',
  'invoice',
  'lead',
  'line_item',
  'listing',
  'meeting',
  'meeting_event',
  'note',
  'order',
  'partner_client',
  'postal_mail',
  'product',
  'quote',
  'quote_template',
  'service',
  'subscription',
  'task',
  'tax',
  'ticket',
  'user',
]);
const LEGACY_TYPES = new Set(['contact', 'company', 'deal', 'ticket', 'product', 'line_item']);
// "not available for CRM property change subscriptions" (D-WH); EMAIL's html/subject are not supported (D-GEN).
const UNSUBSCRIBABLE: Record<string, Set<string>> = {
  '*': new Set(['hs_lastmodifieddate', 'num_unique_conversion_events']),
  email: new Set(['hs_email_html', 'hs_email_subject']),
  communication: new Set(['hs_communication_body']),
};
const MAX_SUBSCRIPTIONS = 1000;

function checkWebhooks(
  profile: string,
  node: IntermediateRepresentationNode,
  appConfig: Record<string, unknown> | undefined,
  problems: string[],
) {
  const config = isRecord(node.config) ? node.config : {};
  const where = `[${profile}] ${node.metaFilePath}`;
  const settings = isRecord(config.settings) ? config.settings : undefined;
  const subs = isRecord(config.subscriptions) ? config.subscriptions : undefined;
  if (!settings) problems.push(`${where}: config.settings is required`);
  if (!subs) problems.push(`${where}: config.subscriptions is required`);
  if (!settings || !subs) return;
  checkUrl(`${where}: settings.targetUrl`, settings.targetUrl, problems, { originOnly: false });
  const fetch =
    isRecord(appConfig?.permittedUrls) && Array.isArray(appConfig.permittedUrls.fetch) ? appConfig.permittedUrls.fetch.map(String) : [];
  if (typeof settings.targetUrl === 'string' && !fetch.some((origin) => settings.targetUrl === `${origin}/webhooks/hubspot`)) {
    problems.push(`${where}: settings.targetUrl ${settings.targetUrl} is not the backend's /webhooks/hubspot`);
  }
  const mcr = settings.maxConcurrentRequests;
  if (mcr !== undefined && !(typeof mcr === 'number' && Number.isInteger(mcr) && mcr > 5))
    problems.push(`${where}: settings.maxConcurrentRequests must be an integer greater than five`);
  const seen = new Set<string>();
  let total = 0;
  const list = (key: string) =>
    Array.isArray(subs[key])
      ? (subs[key] as unknown[])
      : subs[key] === undefined
        ? []
        : (problems.push(`${where}: subscriptions.${key} must be an array`), []);
  for (const [key, items] of [
    ['crmObjects', list('crmObjects')],
    ['legacyCrmObjects', list('legacyCrmObjects')],
    ['hubEvents', list('hubEvents')],
  ] as const) {
    items.forEach((raw, i) => {
      total++;
      const at = `${where}: subscriptions.${key}[${i}]`;
      if (!isRecord(raw) || typeof raw.subscriptionType !== 'string') return problems.push(`${at}: subscriptionType is required`);
      if (typeof raw.active !== 'boolean') problems.push(`${at}: active must be true or false`);
      const [prefix = '', event = ''] = raw.subscriptionType.split('.');
      let objectType = '';
      if (key === 'crmObjects') {
        if (prefix !== 'object' || !GENERIC_EVENTS.has(event))
          return problems.push(`${at}: ${raw.subscriptionType} is not a generic object.* type`);
        objectType = String(raw.objectType ?? '');
        if (!WEBHOOK_OBJECT_TYPES.has(objectType))
          return problems.push(`${at}: objectType ${JSON.stringify(raw.objectType)} has no generic webhooks`);
      } else if (key === 'legacyCrmObjects') {
        if (!LEGACY_TYPES.has(prefix) || !GENERIC_EVENTS.has(event) || (event === 'associationChange' && prefix === 'product'))
          return problems.push(`${at}: ${raw.subscriptionType} is not a legacy CRM type`);
        objectType = prefix;
      } else if (raw.subscriptionType !== 'contact.privacyDeletion' && prefix !== 'conversation') {
        return problems.push(`${at}: hubEvents takes contact.privacyDeletion and conversation.* only`);
      }
      if (event === 'propertyChange') {
        if (typeof raw.propertyName !== 'string' || !raw.propertyName) return problems.push(`${at}: a propertyChange needs propertyName`);
        if (UNSUBSCRIBABLE['*']!.has(raw.propertyName) || UNSUBSCRIBABLE[objectType]?.has(raw.propertyName))
          problems.push(`${at}: ${objectType}.${raw.propertyName} cannot be subscribed to`);
      } else if (raw.propertyName !== undefined) problems.push(`${at}: propertyName only goes with propertyChange`);
      const id = `${raw.subscriptionType}|${objectType}|${String(raw.propertyName ?? '')}`;
      if (seen.has(id)) problems.push(`${at}: duplicate subscription ${id}`);
      seen.add(id);
    });
  }
  if (total > MAX_SUBSCRIPTIONS) problems.push(`${where}: ${total} subscriptions, at most ${MAX_SUBSCRIPTIONS} per app`);
}

function checkEntry(srcDir: string, node: IntermediateRepresentationNode, problems: string[]): Entry | null {
  const config = isRecord(node.config) ? node.config : {};
  const where = `${node.metaFilePath}`;
  const entrypoint = config.entrypoint;
  if (typeof entrypoint !== 'string' || !entrypoint.startsWith('/')) {
    problems.push(`${where}: config.entrypoint must be a path from srcDir starting with "/"`);
    return null;
  }
  const file = path.join(srcDir, entrypoint);
  const hsmetaDir = path.dirname(path.join(srcDir, node.metaFilePath));
  // The dev server resolves entrypoints by basename in the hsmeta's folder; the upload by full path.
  if (path.dirname(file) !== hsmetaDir) problems.push(`${where}: entrypoint ${entrypoint} is not beside its hsmeta`);
  if (!ENTRY_EXTENSIONS.has(path.extname(file))) problems.push(`${where}: entrypoint ${entrypoint} has an unsupported extension`);
  if (!fs.existsSync(file)) problems.push(`${where}: entrypoint ${entrypoint} does not exist`);
  return { uid: node.uid, componentType: node.componentType, file, hsmetaDir };
}

function checkCard(node: IntermediateRepresentationNode, problems: string[]) {
  const config = isRecord(node.config) ? node.config : {};
  const where = `${node.metaFilePath}`;
  if (typeof config.name !== 'string' || !config.name.trim()) problems.push(`${where}: card config.name is required`);
  if (typeof config.location !== 'string' || !CARD_LOCATIONS.has(config.location)) {
    problems.push(`${where}: card location ${JSON.stringify(config.location)} is not one of ${[...CARD_LOCATIONS].join(', ')}`);
  }
  const objectTypes = config.objectTypes;
  if (!Array.isArray(objectTypes) || objectTypes.length === 0) problems.push(`${where}: card objectTypes is required`);
  else for (const type of objectTypes) if (!CARD_OBJECT_TYPES.has(String(type))) problems.push(`${where}: unknown card objectType ${type}`);
}

function checkHsmetaFiles(srcDir: string, problems: string[]) {
  for (const file of walk(srcDir).filter((f) => f.endsWith('-hsmeta.json'))) {
    const rel = path.relative(srcDir, file);
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      problems.push(`${rel}: invalid JSON (translate would silently drop it)`);
      continue;
    }
    if (!isRecord(parsed)) {
      problems.push(`${rel}: not a JSON object`);
      continue;
    }
    const unknown = Object.keys(parsed).filter((key) => !TOP_LEVEL_KEYS.has(key));
    if (unknown.length) problems.push(`${rel}: unexpected top-level keys ${unknown.join(', ')}`);
    const type = parsed.type;
    const component = typeof type === 'string' ? Components[type] : undefined;
    if (!component) {
      problems.push(`${rel}: unknown component type ${JSON.stringify(type)}`);
      continue;
    }
    const expectedDir = component.parentComponent ? path.join(component.parentComponent, component.dir) : component.dir;
    if (path.dirname(rel) !== expectedDir) problems.push(`${rel}: a ${String(type)} must live in ${expectedDir}/`);
  }
}

function bareImports(file: string): string[] {
  const source = fs.readFileSync(file, 'utf8');
  const specifiers = [...source.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*['"]([^'"]+)['"]/g)].map(
    (match) => match[1] ?? match[2] ?? '',
  );
  return specifiers
    .filter((s) => s && !s.startsWith('.') && !s.startsWith('/'))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
}

async function checkPackages(srcDir: string, entries: Entry[], upload: Set<string>, problems: string[]) {
  const parsed = await findAndParsePackageJsonFiles(srcDir);
  const workspaces = await collectWorkspaceDirectories(parsed);
  let fileDeps: Awaited<ReturnType<typeof collectFileDependencies>> = [];
  try {
    fileDeps = await collectFileDependencies(parsed);
    validateWorkspaceProtocolDependencies(parsed, workspaces);
  } catch (error) {
    problems.push(`package resolution: ${(error as Error).message}`);
    return;
  }
  for (const entry of entries) {
    const pkg = parsed.find((p) => p.dir === entry.hsmetaDir);
    const relDir = path.relative(srcDir, entry.hsmetaDir);
    if (!pkg?.content) {
      problems.push(`${relDir}: no package.json beside ${path.basename(entry.file)} (HubSpot installs and builds per folder)`);
      continue;
    }
    for (const name of bareImports(entry.file)) {
      const spec = pkg.content.dependencies?.[name];
      if (!spec) {
        problems.push(`${relDir}/${path.basename(entry.file)}: imports ${name}, which ${relDir}/package.json does not declare`);
        continue;
      }
      const localSpec = parseLocalSpec(spec);
      if (!localSpec) continue;
      // collectFileDependencies lists each target once, whichever package.json named it first.
      const target = fs.existsSync(path.resolve(pkg.dir, localSpec.rawPath))
        ? fs.realpathSync(path.resolve(pkg.dir, localSpec.rawPath))
        : null;
      const local = fileDeps.find((d) => d.packageName === name && d.localPath === target);
      if (!local) {
        problems.push(`${relDir}: ${name} (${spec}) did not resolve with HubSpot's file: resolution`);
        continue;
      }
      const rel = path.relative(fs.realpathSync(srcDir), local.localPath);
      if (rel.startsWith('..')) {
        problems.push(`${relDir}: ${name} resolves outside srcDir (${local.localPath})`);
        continue;
      }
      const packageFiles = walk(local.localPath).map((f) => path.relative(fs.realpathSync(srcDir), f).split(path.sep).join('/'));
      const missing = packageFiles.filter((f) => /\.(tsx?|jsx?|json)$/.test(f) && !upload.has(f));
      if (missing.length) problems.push(`${relDir}: ${name} files left out of the upload: ${missing.slice(0, 5).join(', ')}`);
    }
  }
}

function checkLocalJson(srcDir: string, appConfigs: ProjectReport['appConfigs'], problems: string[]) {
  const file = path.join(srcDir, 'app', 'local.json');
  if (!fs.existsSync(file)) return;
  const local = JSON.parse(fs.readFileSync(file, 'utf8')) as { proxy?: Record<string, string> };
  const permitted = new Set(
    Object.values(appConfigs).flatMap((config) => {
      const urls = isRecord(config.permittedUrls) ? config.permittedUrls.fetch : [];
      return Array.isArray(urls) ? urls.map(String) : [];
    }),
  );
  for (const [from, to] of Object.entries(local.proxy ?? {})) {
    checkUrl(`app/local.json proxy key`, from, problems, { originOnly: true });
    if (!permitted.has(from)) problems.push(`app/local.json: ${from} is not a permitted fetch origin of any profile`);
    if (!/^http:\/\/localhost(:\d+)?(\/|$)/.test(to))
      problems.push(`app/local.json: ${from} should map to http://localhost:<port>, not ${to}`);
  }
}

/** Everything HubSpot's tooling would object to, checked offline. */
export async function inspectProject(projectDir: string): Promise<ProjectReport> {
  const problems: string[] = [];
  const report: ProjectReport = { problems, srcDir: '', profiles: [], entries: [], appConfigs: {} };
  let config;
  try {
    config = parseProjectConfig(projectDir);
  } catch (error) {
    problems.push(`hsproject.json: ${(error as Error).message}`);
    return report;
  }
  const srcDir = path.resolve(projectDir, config.srcDir);
  report.srcDir = srcDir;
  if (!isKnownPlatformVersion(config.platformVersion) || isLegacyProject(config.platformVersion)) {
    problems.push(`hsproject.json: platformVersion ${config.platformVersion} is unknown or legacy`);
  }
  if (config.platformVersion !== TARGET_PLATFORM_VERSION)
    problems.push(`hsproject.json: platformVersion must be ${TARGET_PLATFORM_VERSION}`);

  checkHsmetaFiles(srcDir, problems);

  const metadata = await getProjectMetadata(srcDir);
  for (const [type, { count, maxCount }] of Object.entries(metadata.components)) {
    if (count > maxCount) problems.push(`${type}: ${count} components, at most ${maxCount} allowed`);
  }
  if ((metadata.components.app?.count ?? 0) !== 1) problems.push('exactly one app component is required');

  report.profiles = await getAllHsProfiles(srcDir);
  if (report.profiles.length === 0) problems.push('no hsprofile.<name>.json in srcDir: the backend origin has no value');
  for (const profile of report.profiles) {
    const hsProfile = loadHsProfileFile(srcDir, profile);
    if (!isRecord(hsProfile.variables)) problems.push(`hsprofile.${profile}.json: variables missing`);
    let result;
    try {
      result = await translate({ projectSourceDir: srcDir, platformVersion: config.platformVersion }, { skipValidation: true, profile });
    } catch (error) {
      problems.push(`[${profile}] translate: ${(error as Error).message}`);
      continue;
    }
    const webhooks: IntermediateRepresentationNode[] = [];
    for (const skipped of result.skippedHsMetaFiles) problems.push(`[${profile}] skipped hsmeta (wrong folder): ${skipped}`);
    const nodes = Object.values(result.intermediateRepresentation.intermediateNodesIndexedByUid);
    if (nodes.length !== metadata.hsMetaFiles.length) {
      problems.push(`[${profile}] ${metadata.hsMetaFiles.length} hsmeta files but ${nodes.length} components`);
    }
    for (const node of nodes) {
      const uidProblem = validateUid(node.uid);
      if (uidProblem) problems.push(`${node.metaFilePath}: uid ${JSON.stringify(node.uid)}: ${uidProblem}`);
      if (!SHIPPED_TYPES.has(node.componentType)) problems.push(`${node.metaFilePath}: unexpected component type ${node.componentType}`);
      if (node.componentType === 'APPLICATION') {
        checkApp(profile, node, problems);
        report.appConfigs[profile] = isRecord(node.config) ? node.config : {};
      }
      if (node.componentType === 'CARD') checkCard(node, problems);
      if (node.componentType === 'WEBHOOKS') webhooks.push(node);
      if (['CARD', 'PAGE', 'SETTINGS'].includes(node.componentType) && profile === report.profiles[0]) {
        const entry = checkEntry(srcDir, node, problems);
        if (entry) report.entries.push(entry);
      }
    }
    for (const node of webhooks) checkWebhooks(profile, node, report.appConfigs[profile], problems);
  }
  checkLocalJson(srcDir, report.appConfigs, problems);
  const upload = uploadFileSet(srcDir);
  for (const entry of report.entries) {
    const rel = path.relative(srcDir, entry.file).split(path.sep).join('/');
    if (!upload.has(rel)) problems.push(`${rel}: entry file is left out of the upload`);
  }
  await checkPackages(srcDir, report.entries, upload, problems);
  report.problems = [...new Set(problems)];
  return report;
}

/**
 * Copies what `hs project upload` would send into `dest` and links it to the installed
 * node_modules, with the local packages pointing at the copy, so a build sees only uploaded code.
 */
export function stageUpload(projectDir: string, srcDir: string, dest: string): string {
  const stagedSrc = path.join(dest, path.relative(projectDir, srcDir));
  for (const rel of uploadFileSet(srcDir)) {
    const to = path.join(stagedSrc, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(path.join(srcDir, rel), to);
  }
  fs.copyFileSync(path.join(projectDir, 'hsproject.json'), path.join(dest, 'hsproject.json'));
  const modules = path.join(projectDir, 'node_modules');
  const stagedModules = path.join(dest, 'node_modules');
  fs.mkdirSync(stagedModules, { recursive: true });
  for (const name of fs.readdirSync(modules)) {
    const full = path.join(modules, name);
    if (name.startsWith('@') && fs.lstatSync(full).isDirectory()) {
      fs.mkdirSync(path.join(stagedModules, name), { recursive: true });
      for (const member of fs.readdirSync(full)) {
        const real = fs.realpathSync(path.join(full, member));
        const inProject = !path.relative(srcDir, real).startsWith('..');
        // A workspace package (e.g. @tiller/extensions) must resolve to the staged copy, or to nothing.
        const target = inProject ? path.join(stagedSrc, path.relative(srcDir, real)) : real;
        fs.symlinkSync(target, path.join(stagedModules, name, member), 'dir');
      }
    } else {
      fs.symlinkSync(fs.realpathSync(full), path.join(stagedModules, name));
    }
  }
  return stagedSrc;
}

/** Builds one entry with HubSpot's production extension build; returns the modules in the bundle. */
export async function buildEntry(file: string, outputDir: string): Promise<string[]> {
  // Vite picks React's development JSX runtime unless NODE_ENV says production (vitest sets "test").
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await buildSingleExtension({
      file,
      root: path.dirname(file),
      outputDir,
      emptyOutDir: true,
      minify: true,
      logLevel: 'silent',
      securityAuditPluginEnabled: false,
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const name = path.basename(file, path.extname(file));
  const manifest = JSON.parse(fs.readFileSync(path.join(outputDir, `${name}-manifest.json`), 'utf8')) as {
    modules?: { internal?: { module: string }[] };
  };
  return (manifest.modules?.internal ?? []).map((m) => m.module);
}
