// Runs Electronegativity over the sources and fails on any HIGH or MEDIUM finding that is not
// in scripts/electronegativity-reviewed.json (manual-review prompts, each with its reason).
// Electronegativity itself exits 0 whatever it finds, so its CSV report is parsed here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');
const electronVersion = require('electron/package.json').version;
const reviewed = JSON.parse(readFileSync(join(root, 'scripts', 'electronegativity-reviewed.json'), 'utf8'));
const IGNORED_DIRS = /^(dist|dist-electron|release|test-results|node_modules|native|\.cache)\//;

/** RFC 4180 CSV, as Electronegativity writes it (quoted fields may hold commas and newlines). */
function parseCsv(text) {
  const rows = [[]];
  let field = '';
  let quoted = false;
  const endField = () => {
    rows.at(-1).push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i += 1;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (quoted) {
      field += c;
    } else if (c === ',') {
      endField();
    } else if (c === '\n') {
      endField();
      rows.push([]);
    } else if (c !== '\r') {
      field += c;
    }
  }
  rows.at(-1).push(field);
  return rows.filter((row) => row.length > 1);
}

const out = mkdtempSync(join(tmpdir(), 'electronegativity-'));
try {
  const report = join(out, 'report.csv');
  const cli = require.resolve('@doyensec/electronegativity/dist/index.js');
  const result = spawnSync(
    process.execPath,
    [cli, '-i', root, '-r', '-e', electronVersion, '-o', report, '-x', 'AvailableSecurityFixesGlobalCheck'],
    { cwd: root, encoding: 'utf8' },
  );
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    throw new Error(`Electronegativity did not run (exit ${result.status}).`);
  }
  const [header, ...rows] = parseCsv(readFileSync(report, 'utf8'));
  const col = Object.fromEntries(header.map((name, index) => [name.trim(), index]));
  const findings = rows
    .map((row) => ({ check: row[col.issue], severity: row[col.severity], file: row[col.filename], location: row[col.location] }))
    .filter((f) => !IGNORED_DIRS.test(f.file));
  const serious = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM');
  const isReviewed = (f) => reviewed.some((r) => r.check === f.check && r.file === f.file);
  const open = serious.filter((f) => !isReviewed(f));

  for (const f of serious) console.log(`${isReviewed(f) ? 'reviewed' : 'FAIL    '} ${f.severity.padEnd(6)} ${f.check} ${f.file}:${f.location}`);
  console.log(
    `Electronegativity (Electron ${electronVersion}): ${findings.length} findings, ${serious.length} HIGH/MEDIUM, ${serious.length - open.length} reviewed, ${open.length} open.`,
  );
  if (open.length > 0) process.exit(1);
} finally {
  rmSync(out, { recursive: true, force: true });
}
