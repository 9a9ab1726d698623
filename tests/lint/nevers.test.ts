import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// The nevers of /work/shared/style.md ("The shape") are lint rules in eslint.config.js; each row
// lints a small offending file at a virtual path with the repository's own config and expects the
// rule to fire with its message. A clean file per layer shows the rules leave ordinary code alone.

const ROOT = path.resolve(import.meta.dirname, '../..');
let eslint: ESLint;

beforeAll(async () => {
  eslint = new ESLint({ cwd: ROOT });
}, 60_000);

type Found = { ruleId: string | null; message: string; severity: number };

async function lint(file: string, code: string): Promise<Found[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return result!.messages.map(({ ruleId, message, severity }) => ({ ruleId, message, severity }));
}

const fires = (ruleId: string, message: string) =>
  expect.arrayContaining([expect.objectContaining({ ruleId, message: expect.stringContaining(message) })]);

const ENGINE = 'src/backend/engines/health/offender.ts';
const CLOCK = 'Engines take `now` as an argument';
const ENV = 'Engines read no environment';
const CONTRACT = 'The UI imports only types from the backend contract';
const BACKEND = 'The UI imports no backend code';
const STORAGE = 'Routes never import storage/';
const SANDBOX = 'The sandbox imports nothing';
const NOT_SDK = 'The sandbox is HubSpot; it does not call HubSpot.';
const SDK = 'Only src/backend/crm/ talks to HubSpot.';

describe('engines are pure', () => {
  it.each([
    [
      'a node: built-in',
      ENGINE,
      "import { readFileSync } from 'node:fs';\nexport const f = () => readFileSync('x');\n",
      'no-restricted-imports',
      'no Node built-ins',
    ],
    ['a bare Node built-in', ENGINE, "import fs from 'fs';\nexport const f = () => fs;\n", 'no-restricted-imports', 'no Node built-ins'],
    [
      'a Node built-in sub-path',
      ENGINE,
      "import { readFile } from 'fs/promises';\nexport const f = () => readFile;\n",
      'no-restricted-imports',
      'no Node built-ins',
    ],
    [
      'a database driver',
      ENGINE,
      "import { Pool } from 'pg';\nexport const f = () => new Pool();\n",
      'no-restricted-imports',
      'no I/O modules',
    ],
    ['a logger', ENGINE, "import pino from 'pino';\nexport const log = pino();\n", 'no-restricted-imports', 'no I/O modules'],
    ['Redis', ENGINE, "import Redis from 'ioredis';\nexport const r = () => new Redis();\n", 'no-restricted-imports', 'no I/O modules'],
    [
      'the HubSpot SDK',
      ENGINE,
      "import { Client } from '@hubspot/api-client';\nexport const c = () => new Client();\n",
      'no-restricted-imports',
      SDK,
    ],
    [
      'storage',
      ENGINE,
      "import { createDatabase } from '../../storage';\nexport const f = createDatabase;\n",
      'no-restricted-imports',
      'Engines import only engines and contract types',
    ],
    [
      'a service',
      ENGINE,
      "import { x } from '../../services/task-buckets';\nexport const f = x;\n",
      'no-restricted-imports',
      'Engines import only engines and contract types',
    ],
    ['Date.now()', ENGINE, 'export const at = () => Date.now();\n', 'no-restricted-properties', CLOCK],
    ['new Date() without a value', ENGINE, 'export const at = () => new Date().getTime();\n', 'no-restricted-syntax', CLOCK],
    ['Date() called as a function', ENGINE, 'export const at = () => Date();\n', 'no-restricted-syntax', CLOCK],
    ['process.env', ENGINE, 'export const tz = () => process.env.TZ;\n', 'no-restricted-globals', ENV],
    [
      'Date.now() in an engine test',
      'src/backend/engines/health/offender.test.ts',
      'export const at = Date.now();\n',
      'no-restricted-properties',
      CLOCK,
    ],
    [
      'process.env in an engine test',
      'src/backend/engines/health/offender.test.ts',
      'export const tz = process.env.TZ;\n',
      'no-restricted-properties',
      ENV,
    ],
    [
      'storage in an engine test',
      'src/backend/engines/health/offender.test.ts',
      "import { createDatabase } from '../../storage';\nexport const f = createDatabase;\n",
      'no-restricted-imports',
      'Engines import only engines and contract types',
    ],
  ])('an engine importing or reading %s fails lint', async (_name, file, code, ruleId, message) => {
    expect(await lint(file, code)).toEqual(fires(ruleId, message));
  });

  it('passes an engine of plain data, an explicit now, luxon, zod, other engines and contract types', async () => {
    const code = [
      "import { DateTime } from 'luxon';",
      "import { z } from 'zod';",
      "import type { TaskBucketName } from '../../contract/api';",
      "import { DAY_MS } from './record';",
      'export const schema = z.object({ at: z.number() });',
      'export const day = (now: number, name: TaskBucketName) => [name, new Date(now).toISOString(), DateTime.fromMillis(now).toISODate(), DAY_MS];',
      '',
    ].join('\n');
    expect(await lint(ENGINE, code)).toEqual([]);
  });

  it('lets an engine test hash its output and measure CPU', async () => {
    const code =
      "import { createHash } from 'node:crypto';\nexport const d = createHash('sha256').digest('hex');\nexport const cpu = process.cpuUsage();\n";
    expect(await lint('src/backend/engines/health/offender.test.ts', code)).toEqual([]);
  });
});

describe('the UI imports only types from the backend contract', () => {
  it.each([
    [
      'a value from the contract',
      'src/extensions/workspace/tasks/Offender.tsx',
      "import { BUCKETS } from '../../../backend/contract/api';\nexport const b = BUCKETS;\n",
      CONTRACT,
    ],
    [
      'a type from any other backend module',
      'src/extensions/api/offender.ts',
      "import type { TaskInput } from '../../backend/engines/task-buckets';\nexport type T = TaskInput;\n",
      BACKEND,
    ],
    [
      'backend code from an extension',
      'src/extensions/shared/offender.ts',
      "import { bucketTasks } from '../../backend/engines/task-buckets';\nexport const f = bucketTasks;\n",
      BACKEND,
    ],
    [
      'backend code from a HubSpot entry file',
      'src/app/cards/Offender.tsx',
      "import { createApp } from '../../backend/http/app';\nexport const f = createApp;\n",
      BACKEND,
    ],
    ['the HubSpot SDK', 'src/extensions/api/offender.ts', "import { Client } from '@hubspot/api-client';\nexport const c = Client;\n", SDK],
  ])('importing %s fails lint', async (_name, file, code, message) => {
    expect(await lint(file, code)).toEqual(fires('@typescript-eslint/no-restricted-imports', message));
  });

  it('passes type-only imports from the contract, in both forms', async () => {
    const code = [
      "import type { TaskBucketsResponse } from '../../../backend/contract/api';",
      "import { type ErrorCode } from '../../../backend/contract/api';",
      "export type { GuidedAction } from '../../../backend/contract/api';",
      'export type R = [TaskBucketsResponse, ErrorCode];',
      '',
    ].join('\n');
    expect(await lint('src/extensions/workspace/tasks/Fine.tsx', code)).toEqual([]);
  });
});

describe('react hooks', () => {
  const FILE = 'src/extensions/workspace/tasks/Hooks.tsx';
  it('fails a hook called conditionally (rules-of-hooks, an error)', async () => {
    const code =
      "import { useState } from 'react';\nexport function Tab({ on }: { on: boolean }) {\n  if (on) useState(0);\n  return null;\n}\n";
    const found = await lint(FILE, code);
    expect(found).toEqual(fires('react-hooks/rules-of-hooks', 'called conditionally'));
    expect(found.find((m) => m.ruleId === 'react-hooks/rules-of-hooks')?.severity).toBe(2);
  });

  it('warns of an effect missing a dependency (exhaustive-deps)', async () => {
    const code = [
      "import { useEffect } from 'react';",
      'export function Tab({ id, load }: { id: string; load: (id: string) => void }) {',
      '  useEffect(() => load(id), []);',
      '  return null;',
      '}',
      '',
    ].join('\n');
    expect(await lint(FILE, code)).toEqual(fires('react-hooks/exhaustive-deps', 'missing dependencies'));
  });
});

describe('http never imports storage', () => {
  it.each([
    ['a value', "import { createDatabase } from '../../storage';\nexport const f = createDatabase;\n"],
    ['a type', "import type { Database } from '../../storage';\nexport type D = Database;\n"],
    ['a repository', "import { FEEDBACK_ANSWERS } from '../../storage/guided-actions-repo';\nexport const a = FEEDBACK_ANSWERS;\n"],
  ])('a route importing %s from storage fails lint', async (_name, code) => {
    expect(await lint('src/backend/http/routes/offender.ts', code)).toEqual(fires('no-restricted-imports', STORAGE));
  });

  it('passes a route that imports a service and the error vocabulary', async () => {
    const code =
      "import { AppError } from '../../app-error';\nimport { loadTaskBuckets } from '../../services/task-buckets';\nexport const f = [AppError, loadTaskBuckets];\n";
    expect(await lint('src/backend/http/routes/fine.ts', code)).toEqual([]);
  });
});

describe('the sandbox imports nothing outside itself', () => {
  it.each([
    [
      'a relative import of an engine',
      'src/backend/sandbox/generator/offender.ts',
      "import { x } from '../../engines/guided-actions/time';\nexport const f = x;\n",
      'house/imports-stay-inside',
    ],
    [
      'a relative import of the crm reading',
      'src/backend/sandbox/offender.ts',
      "import { readDatetime } from '../crm/values';\nexport const f = readDatetime;\n",
      'house/imports-stay-inside',
    ],
    [
      'a relative import that leaves the sandbox package',
      'sandbox/src/offender.ts',
      "import { readDatetime } from '../../src/backend/crm/values';\nexport const f = readDatetime;\n",
      'house/imports-stay-inside',
    ],
    [
      'the product by its source path',
      'sandbox/src/offender.ts',
      "import { readDatetime } from 'src/backend/crm/values';\nexport const f = readDatetime;\n",
      'no-restricted-imports',
    ],
    [
      'the product UI package',
      'sandbox/src/offender.ts',
      "import { x } from '@tiller/extensions';\nexport const f = x;\n",
      'no-restricted-imports',
    ],
    [
      'the HubSpot SDK (today)',
      'src/backend/sandbox/offender.ts',
      "import { Client } from '@hubspot/api-client';\nexport const c = Client;\n",
      'no-restricted-imports',
      NOT_SDK,
    ],
    [
      'the HubSpot SDK (as a package)',
      'sandbox/src/offender.ts',
      "import { Client } from '@hubspot/api-client';\nexport const c = Client;\n",
      'no-restricted-imports',
      NOT_SDK,
    ],
  ])('%s fails lint', async (_name, file, code, ruleId, message = SANDBOX) => {
    expect(await lint(file, code)).toEqual(fires(ruleId, message));
  });

  it.each([
    [
      'src/backend/sandbox/generator/fine.ts',
      "import { toMs } from '../store';\nimport { demo } from '../fixtures/demo';\nimport express from 'express';\nexport const f = [toMs, demo, express];\n",
    ],
    [
      'sandbox/tests/fine.test.ts',
      "import { createSandbox } from '../src/server';\nimport { x } from '@tiller/hubspot-sandbox/fixture';\nexport const f = [createSandbox, x];\n",
    ],
  ])('passes %s, which imports only its own files and ordinary packages', async (file, code) => {
    expect(await lint(file, code)).toEqual([]);
  });
});

describe('only the dev entry imports the sandbox', () => {
  const PRODUCT_SANDBOX = 'Only the dev entry (src/backend/dev.ts) starts the sandbox';
  it.each([
    ['the production entry', 'src/backend/main.ts'],
    ['a service', 'src/backend/services/offender.ts'],
    ['the gateway', 'src/backend/crm/offender.ts'],
    ['a route', 'src/backend/http/routes/offender.ts'],
  ])('%s importing @tiller/hubspot-sandbox fails lint', async (_name, file) => {
    const code = "import { startSandbox } from '@tiller/hubspot-sandbox';\nexport const s = startSandbox;\n";
    expect(await lint(file, code)).toEqual(fires('no-restricted-imports', PRODUCT_SANDBOX));
    const sub = "import type { Fixture } from '@tiller/hubspot-sandbox/fixture';\nexport type F = Fixture;\n";
    expect(await lint(file, sub)).toEqual(fires('no-restricted-imports', PRODUCT_SANDBOX));
  });

  it('passes the dev entry and tests importing it', async () => {
    const code = "import { startSandbox } from '@tiller/hubspot-sandbox';\nexport const s = startSandbox;\n";
    expect(await lint('src/backend/dev.ts', code)).toEqual([]);
    expect(await lint('src/backend/services/fine.test.ts', code)).toEqual([]);
    expect(await lint('tests/e2e/fine.test.ts', code)).toEqual([]);
  });
});

describe('only crm/ imports the HubSpot SDK', () => {
  it.each([
    ['a service', 'src/backend/services/offender.ts'],
    ['a job', 'src/backend/jobs/offender.ts'],
    ['a test', 'tests/e2e/offender.test.ts'],
    ['a bench', 'bench/offender.ts'],
  ])('%s importing @hubspot/api-client fails lint', async (_name, file) => {
    const code = "import { Client } from '@hubspot/api-client';\nexport const c = Client;\n";
    expect(await lint(file, code)).toEqual(fires('no-restricted-imports', SDK));
  });

  it('passes crm/ importing it', async () => {
    expect(await lint('src/backend/crm/fine.ts', "import { Client } from '@hubspot/api-client';\nexport const c = Client;\n")).toEqual([]);
  });
});
