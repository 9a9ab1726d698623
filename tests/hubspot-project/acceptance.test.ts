// HubSpot acceptance, offline: would `hs project upload` accept this project and build its extensions?
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEntry, inspectProject, stageUpload, uploadFileSet, type ProjectReport } from './project-check';

const PROJECT_DIR = path.resolve(import.meta.dirname, '../..');
const BUILD_TIMEOUT_MS = 60_000;

let report: ProjectReport;
let tmp: string;

beforeAll(async () => {
  report = await inspectProject(PROJECT_DIR);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tiller-hs-'));
});

afterAll(async () => {
  // A failed build rejects before vite's other transforms settle; let them finish before removing their files.
  await new Promise((resolve) => setTimeout(resolve, 300));
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** A copy of the uploaded project that a test may break. */
function stagedCopy(name: string): { projectDir: string; srcDir: string } {
  const projectDir = path.join(tmp, name);
  fs.mkdirSync(projectDir);
  return { projectDir, srcDir: stageUpload(PROJECT_DIR, report.srcDir, projectDir) };
}

describe('the HubSpot project', () => {
  it('passes every offline check', () => {
    expect(report.problems).toEqual([]);
  });

  it('has the app, the pages router, the cards and the settings page', () => {
    expect(report.entries.map((e) => [e.componentType, path.relative(report.srcDir, e.file)]).sort()).toEqual([
      ['CARD', 'app/cards/GuidedActionsCard.tsx'],
      ['CARD', 'app/cards/HealthCard.tsx'],
      ['CARD', 'app/cards/TasksCard.tsx'],
      ['PAGE', 'app/pages/Pages.tsx'],
      ['SETTINGS', 'app/settings/SettingsPage.tsx'],
    ]);
    expect(report.profiles.length).toBeGreaterThan(0);
  });

  it('uploads the entry files and the shared extensions package', () => {
    const upload = uploadFileSet(report.srcDir);
    expect(upload).toContain('app/app-hsmeta.json');
    expect(upload).toContain('app/webhooks/webhooks-hsmeta.json');
    expect(upload).toContain('extensions/index.ts');
    expect(upload).toContain('extensions/package.json');
  });

  it.skipIf(!fs.existsSync(path.join(PROJECT_DIR, '.hsignore')))(
    'leaves the Express backend out of the upload (.hsignore at the project root)',
    () => {
      const backend = [...uploadFileSet(report.srcDir)].filter((file) => file.startsWith('backend/'));
      expect(backend).toEqual([]);
    },
  );

  it(
    'builds every entry with HubSpot’s extension build from the uploaded files alone',
    async () => {
      const { srcDir } = stagedCopy('build');
      for (const entry of report.entries) {
        const staged = path.join(srcDir, path.relative(report.srcDir, entry.file));
        const modules = await buildEntry(staged, path.join(tmp, 'out', entry.uid));
        expect(modules.some((m) => m.includes(`${path.sep}extensions${path.sep}`))).toBe(true);
        expect(modules.filter((m) => m.includes(`${path.sep}backend${path.sep}`))).toEqual([]);
      }
    },
    BUILD_TIMEOUT_MS,
  );
});

describe('the checks catch', () => {
  it('a card hsmeta moved into a subfolder', async () => {
    const { projectDir, srcDir } = stagedCopy('nested-card');
    fs.mkdirSync(path.join(srcDir, 'app/cards/tasks'));
    fs.renameSync(path.join(srcDir, 'app/cards/tasks-card-hsmeta.json'), path.join(srcDir, 'app/cards/tasks/tasks-card-hsmeta.json'));
    const { problems } = await inspectProject(projectDir);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/skipped hsmeta.*app\/cards\/tasks\/tasks-card-hsmeta\.json/)]));
  });

  it('a broken or duplicated uid', async () => {
    const { projectDir, srcDir } = stagedCopy('bad-uid');
    const card = path.join(srcDir, 'app/cards/tasks-card-hsmeta.json');
    const meta = JSON.parse(fs.readFileSync(card, 'utf8'));
    fs.writeFileSync(card, JSON.stringify({ ...meta, uid: 'tiller tasks card!' }));
    expect((await inspectProject(projectDir)).problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/uid "tiller tasks card!"/)]),
    );
    fs.writeFileSync(card, JSON.stringify({ ...meta, uid: 'tiller_pages' }));
    expect((await inspectProject(projectDir)).problems).toEqual(expect.arrayContaining([expect.stringMatching(/Duplicate uid/)]));
  });

  it('a card with an unknown location, an unknown key, a localhost origin and a second pages component', async () => {
    const { projectDir, srcDir } = stagedCopy('bad-config');
    const card = path.join(srcDir, 'app/cards/tasks-card-hsmeta.json');
    const meta = JSON.parse(fs.readFileSync(card, 'utf8'));
    fs.writeFileSync(card, JSON.stringify({ ...meta, extra: 1, config: { ...meta.config, location: 'crm.record.side', objectTypes: [] } }));
    fs.writeFileSync(
      path.join(srcDir, 'hsprofile.dev.json'),
      JSON.stringify({ accountId: 1, variables: { BACKEND_ORIGIN: 'http://localhost:3000' } }),
    );
    fs.writeFileSync(
      path.join(srcDir, 'app/pages/other-hsmeta.json'),
      JSON.stringify({ uid: 'other', type: 'page', config: { entrypoint: '/app/pages/Pages.tsx' } }),
    );
    const { problems } = await inspectProject(projectDir);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/location "crm.record.side"/),
        expect.stringMatching(/objectTypes is required/),
        expect.stringMatching(/unexpected top-level keys extra/),
        expect.stringMatching(/\[dev\].*permittedUrls.fetch\[0\]: not HTTPS/),
        expect.stringMatching(/\[dev\].*localhost is never allowed/),
        expect.stringMatching(/page: 2 components, at most 1/),
      ]),
    );
  });

  it('a webhooks component HubSpot would refuse: bad target, unknown types, missing propertyName, unsubscribable and duplicate properties', async () => {
    const { projectDir, srcDir } = stagedCopy('bad-webhooks');
    const file = path.join(srcDir, 'app/webhooks/webhooks-hsmeta.json');
    const meta = JSON.parse(fs.readFileSync(file, 'utf8'));
    meta.config.settings = { targetUrl: 'https://elsewhere.example/hook', maxConcurrentRequests: 5 };
    meta.config.subscriptions.crmObjects.push(
      { subscriptionType: 'object.creation', objectType: 'widget', active: true },
      { subscriptionType: 'object.propertyChange', objectType: 'contact', active: true },
      { subscriptionType: 'object.propertyChange', objectType: 'email', propertyName: 'hs_email_subject', active: true },
      { subscriptionType: 'object.propertyChange', objectType: 'deal', propertyName: 'hs_lastmodifieddate', active: true },
      { subscriptionType: 'object.creation', objectType: 'contact', active: true },
      { subscriptionType: 'contact.creation', active: true },
    );
    meta.config.subscriptions.hubEvents.push({ subscriptionType: 'deal.deletion', active: true });
    fs.writeFileSync(file, JSON.stringify(meta));
    const { problems } = await inspectProject(projectDir);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/targetUrl https:\/\/elsewhere.example\/hook is not the backend's \/webhooks\/hubspot/),
        expect.stringMatching(/maxConcurrentRequests must be an integer greater than five/),
        expect.stringMatching(/objectType "widget" has no generic webhooks/),
        expect.stringMatching(/a propertyChange needs propertyName/),
        expect.stringMatching(/email.hs_email_subject cannot be subscribed to/),
        expect.stringMatching(/deal.hs_lastmodifieddate cannot be subscribed to/),
        expect.stringMatching(/duplicate subscription object.creation\|contact\|/),
        expect.stringMatching(/contact.creation is not a generic object.\* type/),
        expect.stringMatching(/hubEvents takes contact.privacyDeletion and conversation.\* only/),
      ]),
    );
  });

  it('an entrypoint that is not beside its hsmeta', async () => {
    const { projectDir, srcDir } = stagedCopy('far-entry');
    const card = path.join(srcDir, 'app/cards/tasks-card-hsmeta.json');
    const meta = JSON.parse(fs.readFileSync(card, 'utf8'));
    fs.writeFileSync(card, JSON.stringify({ ...meta, config: { ...meta.config, entrypoint: '/extensions/cards/TasksCard.tsx' } }));
    expect((await inspectProject(projectDir)).problems).toEqual(expect.arrayContaining([expect.stringMatching(/not beside its hsmeta/)]));
  });

  it('a package the entry imports but its folder does not declare', async () => {
    const { projectDir, srcDir } = stagedCopy('undeclared');
    const pkg = path.join(srcDir, 'app/cards/package.json');
    const content = JSON.parse(fs.readFileSync(pkg, 'utf8'));
    delete content.dependencies['@tiller/extensions'];
    fs.writeFileSync(pkg, JSON.stringify(content));
    expect((await inspectProject(projectDir)).problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/imports @tiller\/extensions, which app\/cards\/package.json does not declare/)]),
    );
  });

  it(
    'an entry that imports a missing file',
    async () => {
      const { srcDir } = stagedCopy('missing-import');
      const entry = path.join(srcDir, 'app/cards/TasksCard.tsx');
      fs.writeFileSync(entry, `import './Missing';\n${fs.readFileSync(entry, 'utf8')}`);
      await expect(buildEntry(entry, path.join(tmp, 'out', 'missing'))).rejects.toThrow(/Could not resolve "\.\/Missing"/);
    },
    BUILD_TIMEOUT_MS,
  );
});
