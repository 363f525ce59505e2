/** bench/store-basics: open+migrate a new database, and insert 10,000 runs. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ExperimentConfig } from '../shared/domain';
import { createRunRepo, openDb } from '../electron/services/store';
import { median, report, round } from './lib/report';

const RUNS = 10_000;
const REPEATS = 5;
const legacyArms = [
  { label: 'Baseline', technique: 'plain', modelId: 'm', inference: {}, system: '', history: [], template: '${question}' },
  { label: 'Guarded', technique: 'bias-guard', modelId: 'm', inference: {}, system: 'Be fair.', history: [], template: '${question}' },
];
/** A configuration stored before issue 9, upgraded as every parse does. */
const config: ExperimentConfig = ExperimentConfig.parse({ variables: [{ name: 'question', value: 'Who should we hire?' }], arms: legacyArms });
const output = 'lorem ipsum dolor sit amet '.repeat(110);

const openTimes: number[] = [];
const insertTimes: number[] = [];
for (let repeat = 0; repeat < REPEATS; repeat += 1) {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-bench-'));
  try {
    let started = performance.now();
    const db = openDb(join(dir, 'bench.db'));
    openTimes.push(performance.now() - started);
    const runs = createRunRepo(db);
    started = performance.now();
    for (let i = 0; i < RUNS; i += 1) {
      const id = runs.create({
        experimentId: null,
        title: `Run ${i}`,
        config,
        arms: legacyArms.map((arm) => ({ label: arm.label, technique: arm.technique, modelId: arm.modelId, request: { system: arm.system, messages: [{ role: 'user', text: arm.template }], inference: arm.inference } })),
      });
      runs.updateArm(id, 0, { text: output, status: 'completed', outputTokens: 300 });
      runs.updateArm(id, 1, { text: output, status: 'completed', outputTokens: 300 });
      runs.finish(id, 'completed');
    }
    insertTimes.push((performance.now() - started) / RUNS);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

report('store-basics', { open_ms: round(median(openTimes)), insert_ms: round(median(insertTimes), 4) });
