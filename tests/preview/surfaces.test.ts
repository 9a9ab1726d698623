// The preview finds its screens as HubSpot finds them: from the project's hsmeta files.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readPreviewProject } from '../../src/preview/surfaces';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('readPreviewProject', () => {
  it("lists Tiller's app pages, cards and settings with their entry files and the dev profile's fetch origin", async () => {
    const project = await readPreviewProject(process.cwd());
    expect(project.appName).toBe('Tiller');
    expect(project.permittedFetchOrigins).toEqual(['https://tiller-dev.example.com']);
    expect(project.surfaces.map((s) => [s.uid, s.kind, s.location, path.relative(process.cwd(), s.entry)])).toEqual([
      ['tiller_pages', 'page', 'pages', 'src/app/pages/Pages.tsx'],
      ['tiller_guided_actions_card', 'card', 'crm.record.sidebar', 'src/app/cards/GuidedActionsCard.tsx'],
      ['tiller_health_card', 'card', 'crm.record.sidebar', 'src/app/cards/HealthCard.tsx'],
      ['tiller_tasks_card', 'card', 'crm.record.sidebar', 'src/app/cards/TasksCard.tsx'],
      ['tiller_settings', 'settings', 'settings', 'src/app/settings/SettingsPage.tsx'],
    ]);
  });

  it('names the hsmeta file whose entry file is missing', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'preview-project-'));
    cpSync('tests/preview/fixture', dir, { recursive: true });
    const meta = path.join(dir, 'src/app/cards/probe-card-hsmeta.json');
    writeFileSync(
      meta,
      JSON.stringify({ uid: 'probe_card', type: 'card', config: { entrypoint: '/app/cards/Gone.tsx', location: 'crm.record.sidebar' } }),
    );
    await expect(readPreviewProject(dir)).rejects.toThrow(/probe-card-hsmeta\.json: entry file \/app\/cards\/Gone\.tsx does not exist/);
  });
});
