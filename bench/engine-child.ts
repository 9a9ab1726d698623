// The guided-actions engine alone, in a process of its own (no sandbox heap, no HTTP): evaluates
// one dumped input RUNS times and prints the CPU and wall time of each evaluation as JSON.
// Used by the actions-cold scenario: the first evaluation pays V8's compilation, the later ones are
// what a running backend pays per evaluation. WARM_UP=1: the startup warm-up runs first, as a
// deployed instance runs it before it listens (its own time is printed on stderr).
import { readFileSync } from 'node:fs';
import { defaultGuidedActionSettings, evaluateGuidedActions, type GuidedActionsInput } from '../src/backend/engines/guided-actions';
import { warmUpGuidedActions } from '../src/backend/services/guided-actions/warm-up';

const [file, runsArg] = process.argv.slice(2);
if (process.env.WARM_UP === '1') {
  const w = warmUpGuidedActions();
  process.stderr.write(`warm-up: ${w.rounds} rounds, ${Math.round(w.ms)} ms wall, ${Math.round(w.cpuMs)} ms CPU\n`);
}
const { now, input } = JSON.parse(readFileSync(file!, 'utf8')) as { now: number; input: GuidedActionsInput };
const runs: { cpuMs: number; wallMs: number; actions: number }[] = [];
for (let i = 0; i < Number(runsArg ?? 20); i++) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = evaluateGuidedActions(input, now, [], defaultGuidedActionSettings);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  runs.push({ cpuMs: (cpu.user + cpu.system) / 1000, wallMs, actions: result.actions.length });
}
process.stdout.write(`${JSON.stringify(runs)}\n`);
