// npm's registry here serves only some platforms of packages such as @rollup/rollup-*: `npm install`
// skips the missing optional ones and records nothing for them, and `npm ci` then refuses the lock
// ("Missing: @rollup/rollup-android-arm-eabi@ from lock file"). This adds platform-tagged entries
// for them so `npm ci` sees a complete lock and skips them by os/cpu, as on any machine.
// Run after every `npm install`: `npm run fix-lock`.
import { readFileSync, writeFileSync } from 'node:fs';

const OS = ['android', 'darwin', 'freebsd', 'linux', 'openbsd', 'openharmony', 'win32', 'sunos', 'aix', 'netbsd'];
const CPU = ['arm64', 'arm', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'mips64el', 'wasm32'];

function platform(name) {
  const base = name.split('/').pop();
  const os = OS.find((o) => base.split('-').includes(o));
  const rest = os ? base.slice(base.indexOf(os) + os.length) : base;
  const cpu = CPU.find((c) => rest.split('-').includes(c));
  const libc = base.includes('musl') ? 'musl' : /-gnu|gnueabihf/.test(base) ? 'glibc' : undefined;
  return { os, cpu, libc };
}

const file = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [key, meta] of Object.entries(packages)) {
  for (const [dep, range] of Object.entries(meta.optionalDependencies ?? {})) {
    const top = `node_modules/${dep}`;
    if (packages[top] || packages[`${key}/node_modules/${dep}`]) continue;
    const { os, cpu, libc } = platform(dep);
    if (!os) continue;
    packages[top] = {
      version: range.replace(/^[~^]/, ''),
      ...(meta.dev ? { dev: true } : {}),
      optional: true,
      ...(cpu ? { cpu: [cpu] } : {}),
      os: [os],
      ...(libc ? { libc: [libc] } : {}),
    };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`fix-lock: added ${added} platform entries`);
