// `npm test`: every check the project has, in order, stopping at the first failure.
// Ends with one plain line: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const vitestReport = join(root, 'test-results', 'vitest.json');

const steps = [
  ['type check: shared', bin('tsc'), ['-p', 'shared']],
  ['type check: renderer', bin('tsc'), ['-p', 'renderer']],
  ['type check: main, tests, bench', bin('tsc'), ['-p', '.']],
  ['seams and lint (eslint)', bin('eslint'), ['.']],
  ['security scan (electronegativity)', process.execPath, [join(root, 'scripts', 'electronegativity-check.mjs')]],
  ['build (vite)', bin('vite'), ['build', '--logLevel', 'warn']],
  [
    'unit, integration and end-to-end tests (vitest)',
    bin('vitest'),
    ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`],
  ],
];

function summary() {
  if (!existsSync(vitestReport)) return null;
  const report = JSON.parse(readFileSync(vitestReport, 'utf8'));
  return `${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped`;
}

rmSync(vitestReport, { force: true });
const started = Date.now();
/** "4 min 12 s": the whole run's duration, printed whether it passed or not. */
const total = () => {
  const seconds = Math.round((Date.now() - started) / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)} min ${seconds % 60} s` : `${seconds} s`;
};
for (const [label, command, args] of steps) {
  const t0 = Date.now();
  console.log(`\n━━ ${label}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${label} failed after ${seconds}s (npm test ran for ${total()}).`);
    const line = summary();
    if (line) console.log(line);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${label} (${seconds}s)`);
}
console.log(`\nAll checks passed in ${total()}.`);
console.log(summary() ?? '0 passed, 0 failed');
