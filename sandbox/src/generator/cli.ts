// Writes a generated demo portal as a fixture file (and optionally its planted cases):
//   npx tsx sandbox/src/generator/cli.ts --size small --seed 1 --now 2026-11-22T19:00:00Z \
//     --out portal.json --cases cases.json
// Without --out the fixture goes to stdout. Then: SANDBOX_FIXTURE=portal.json npm run sandbox
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateDemoPortal, type PortalSize } from './index';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'small' },
    seed: { type: 'string', default: '1' },
    now: { type: 'string' },
    'portal-id': { type: 'string' },
    out: { type: 'string' },
    cases: { type: 'string' },
  },
});
const size = values.size as PortalSize;
if (!['small', 'medium', 'large'].includes(size)) throw new Error(`--size must be small, medium or large (got "${size}")`);
const started = performance.now();
const { fixture, meta } = generateDemoPortal({
  size,
  seed: Number(values.seed),
  now: values.now ? new Date(values.now) : undefined,
  portalId: values['portal-id'] ? Number(values['portal-id']) : undefined,
});
const ms = Math.round(performance.now() - started);
const json = JSON.stringify(fixture);
if (values.out) writeFileSync(values.out, json);
else process.stdout.write(json);
if (values.cases) writeFileSync(values.cases, JSON.stringify(meta, null, 2));
process.stderr.write(`generated ${size} portal (seed ${meta.seed}, now ${meta.now}) in ${ms} ms: ${JSON.stringify(meta.counts)}\n`);
