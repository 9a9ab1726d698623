// The preview bundle swaps the SDK's component registry; if the SDK stops loading it, the build
// must fail with a sentence, not render HubSpot's remote components into nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPreviewBundler, describeBuildError } from '../../src/preview/bundle';

describe('the preview bundle', () => {
  it('fails, saying why, when the SDK no longer loads the registry it replaces', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'preview-bundle-'));
    const entry = path.join(dir, 'Plain.tsx');
    writeFileSync(entry, 'export const nothing = 1;\n');
    const bundler = await createPreviewBundler([
      { uid: 'plain', kind: 'card', title: 'Plain', location: 'crm.record.sidebar', entry, objectTypes: [] },
    ]);
    try {
      const failure = await bundler.build().then(
        () => null,
        (err: unknown) => err,
      );
      expect(describeBuildError(failure)).toMatch(/no longer loads remote-component-registry\.synced\.js/);
    } finally {
      await bundler.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
