// `npm run build` produces the backend as it is deployed (`npm run serve`): one ES module that runs
// on plain Node, with every migration beside it.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBackend } from '../../scripts/build-backend.mjs';

const run = promisify(execFile);
const migrations = path.resolve('src/backend/storage/migrations');

describe('npm run build', () => {
  let out: string;
  let file: string;
  beforeAll(async () => {
    // inside the repository, where its packages resolve (they stay external, as in production)
    mkdirSync('dist', { recursive: true });
    out = mkdtempSync(path.resolve('dist/test-build-'));
    file = await buildBackend('src/backend/main.ts', out);
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('copies every migration beside the module, unchanged', () => {
    const names = readdirSync(migrations).sort();
    expect(names.length).toBeGreaterThan(0);
    expect(readdirSync(path.join(out, 'migrations')).sort()).toEqual(names);
    for (const n of names)
      expect(readFileSync(path.join(out, 'migrations', n), 'utf8')).toBe(readFileSync(path.join(migrations, n), 'utf8'));
  });

  it('runs on plain Node without tsx, and reports a bad configuration in plain words', async () => {
    const err = await run(process.execPath, [file], {
      env: { PATH: process.env.PATH, HUBSPOT_MODE: 'hubspot', HUBSPOT_CLIENT_ID: 'id' },
    }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(err?.code).toBe(1);
    expect(err?.stderr).toMatch(/^Tiller could not start: Invalid configuration:\n- HUBSPOT_CLIENT_SECRET: is required/);
  });

  it('uses the Node flags the bench runs the backend with', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.serve).toMatch(/^node (--[\w-]+=?\S* )*dist\/backend\/main\.mjs$/);
  });
});
