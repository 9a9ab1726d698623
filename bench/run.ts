// npm run bench [-- --only <scenario>] [--json] [--latency <ms>]
// Runs the scenarios against the sandbox with injected latency, prints the table, and writes it on
// top of docs/performance.md (earlier tables are kept below).
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { ScenarioResult } from './harness';
import { bigScan, memory, portalBurst, tasksCold, tasksWarm, type BenchContext } from './scenarios-gateway';
import { HEALTH_SCENARIOS } from './scenarios-health';
import { actionsCold, actionsWarm } from './scenarios-guided-actions';
import { soak } from './scenarios-soak';
import { copySizing } from './scenarios-ops';
import { COPY_SCENARIOS } from './scenarios-copy';
import { tabsWarm } from './scenarios-tabs';
import { bulkComplete } from './scenarios-bulk';

const SCENARIOS: Record<string, (ctx: BenchContext) => Promise<ScenarioResult>> = {
  'tasks-cold': tasksCold,
  'tasks-warm': tasksWarm,
  'portal-burst': (ctx) => portalBurst(ctx),
  'two-instances': (ctx) => portalBurst(ctx, { instances: 2, redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }),
  'big-scan': bigScan,
  memory: () => memory(),
  ...HEALTH_SCENARIOS,
  'actions-cold': actionsCold,
  'actions-warm': actionsWarm,
  soak,
  'copy-sizing': (ctx) => copySizing(ctx.seed),
  ...COPY_SCENARIOS,
  'tabs-warm': tabsWarm,
  'bulk-complete': bulkComplete,
};
// Run only when named (--only soak): ten minutes by default; health-backfill fills a medium copy of its own.
const ON_REQUEST = new Set(['soak', 'copy-sizing', 'health-backfill']);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      json: { type: 'boolean', default: false },
      latency: { type: 'string', default: '100' },
      seed: { type: 'string', default: '1' },
    },
  });
  const ctx: BenchContext = { latencyMs: Number(values.latency), seed: Number(values.seed) };
  const names = values.only ? values.only.split(',') : Object.keys(SCENARIOS).filter((n) => !ON_REQUEST.has(n));
  for (const n of names) if (!SCENARIOS[n]) throw new Error(`Unknown scenario "${n}". Known: ${Object.keys(SCENARIOS).join(', ')}`);

  const results: ScenarioResult[] = [];
  for (const name of names) {
    if (!values.json) process.stderr.write(`running ${name}…\n`);
    // Several scenarios: each in a fresh process, so memory figures are not an earlier scenario's.
    const result =
      names.length > 1
        ? await inChild(name, ctx).catch((err: Error): ScenarioResult => ({
            scenario: name,
            what: 'did not finish',
            figures: {},
            targets: [{ name: 'ran', target: 'finishes', actual: err.message.split('\n')[0] ?? 'error', pass: false }],
          }))
        : await SCENARIOS[name]!(ctx);
    results.push(result);
    if (!values.json) process.stderr.write(`${formatRow(result)}\n`);
  }

  if (values.json) {
    const out = results.map((r) => ({ ...r, pass: Object.fromEntries(r.targets.map((t) => [t.name, t.pass])) }));
    process.stdout.write(`${JSON.stringify(out.length === 1 ? out[0] : out, null, 2)}\n`);
  } else {
    const table = renderTable(results, ctx);
    process.stdout.write(`${table}\n`);
    await recordInDocs(table);
  }
  if (results.some((r) => r.targets.some((t) => !t.pass))) process.exitCode = 1;
}

async function inChild(name: string, ctx: BenchContext): Promise<ScenarioResult> {
  const { execFile } = await import('node:child_process');
  const args = [
    '--import',
    'tsx',
    'bench/run.ts',
    '--only',
    name,
    '--json',
    '--latency',
    String(ctx.latencyMs),
    '--seed',
    String(ctx.seed),
  ];
  const stdout = await new Promise<string>((resolve, reject) => {
    // A failed target exits 1 with its JSON on stdout; only a missing JSON is an error.
    execFile(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 }, (err, out, errOut) => {
      if (out.trim().startsWith('{')) resolve(out);
      else {
        // The table keeps the first line; the child's last words go to stderr, to find out why.
        process.stderr.write(`  ${name} did not finish; its stderr ends with:\n${errOut.split('\n').slice(-30).join('\n')}\n`);
        reject(new Error(`scenario ${name} failed: ${err?.message ?? ''}\n${errOut}`));
      }
    });
  });
  return JSON.parse(stdout) as ScenarioResult;
}

function formatRow(r: ScenarioResult): string {
  return `  ${r.scenario}: ${r.targets.map((t) => `${t.pass ? 'PASS' : 'FAIL'} ${t.name} ${t.actual} (${t.target})`).join('; ')}`;
}

function renderTable(results: ScenarioResult[], ctx: BenchContext): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `## ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    '',
    `Sandbox latency ${ctx.latencyMs} ms per HubSpot call, seed ${ctx.seed}.`,
    '',
    '| scenario | what | figures | targets |',
    '| --- | --- | --- | --- |',
    ...results.map(
      (r) =>
        `| ${r.scenario} | ${r.what} | ${Object.entries(r.figures)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')} | ${r.targets.map((t) => `${t.pass ? '✅' : '❌'} ${t.name}: ${t.actual} (target ${t.target})`).join('<br>')} |`,
    ),
  ];
  return lines.join('\n');
}

async function recordInDocs(table: string): Promise<void> {
  const file = 'docs/performance.md';
  const header =
    '# Performance\n\nFigures measured by `npm run bench` (newest first). Targets come from the issues; ❌ marks a target not met.\n';
  const previous = await readFile(file, 'utf8').catch(() => header);
  const rest = previous.startsWith(header) ? previous.slice(header.length) : previous;
  await writeFile(file, `${header}\n${table}\n${rest}`);
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
