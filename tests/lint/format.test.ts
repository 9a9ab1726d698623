import path from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';

// The formatter's configuration (.prettierrc.json) writes the house style that the code already
// follows: single quotes, semicolons, trailing commas, 140 columns, double quotes in JSX.

const ROOT = path.resolve(import.meta.dirname, '../..');

async function format(file: string, code: string): Promise<string> {
  const filepath = path.join(ROOT, file);
  const options = await prettier.resolveConfig(filepath, { editorconfig: true });
  return prettier.format(code, { ...options, filepath });
}

describe('prettier writes the house style', () => {
  it.each([
    ['single quotes and semicolons', 'const a = "x"\n', "const a = 'x';\n"],
    [
      'a trailing comma in a broken call',
      `f(\n  ${'a'.repeat(70)},\n  ${'b'.repeat(70)}\n);\n`,
      `f(\n  ${'a'.repeat(70)},\n  ${'b'.repeat(70)},\n);\n`,
    ],
    ['parentheses around a single arrow parameter', 'const f = x => x;\n', 'const f = (x) => x;\n'],
  ])('%s', async (_name, input, expected) => {
    expect(await format('src/backend/services/example.ts', input)).toBe(expected);
  });

  it('keeps a line of 140 columns on one line and breaks one of 141', async () => {
    const fits = `export const x = [${"'a', ".repeat(23)}'bbb'];`;
    expect(fits).toHaveLength(140);
    expect(await format('src/backend/services/example.ts', `${fits}\n`)).toBe(`${fits}\n`);
    const over = fits.replace("'bbb'", "'bbbb'");
    expect((await format('src/backend/services/example.ts', `${over}\n`)).split('\n').length).toBeGreaterThan(2);
  });

  it('keeps double quotes in JSX attributes', async () => {
    const code = 'export const A = () => <Text variant="microcopy">{label}</Text>;\n';
    expect(await format('src/extensions/shared/Example.tsx', code)).toBe(code);
  });

  it('leaves out built files, data, the lock file and prose', async () => {
    const ignored = async (file: string) =>
      (await prettier.getFileInfo(path.join(ROOT, file), { ignorePath: path.join(ROOT, '.prettierignore') })).ignored;
    expect(await ignored('dist/backend/main.mjs')).toBe(true);
    expect(await ignored('.data/portal.json')).toBe(true);
    expect(await ignored('package-lock.json')).toBe(true);
    expect(await ignored('docs/performance.md')).toBe(true);
    expect(await ignored('src/backend/crm/values.ts')).toBe(false);
  });
});
