/**
 * Steps and their traces through JSON export/import and workshop packs (issue 9 item 4), with
 * real SQLite files: a run whose mitigated arm critiqued and revised its answer, exported and
 * imported into an empty profile, reads back with the same steps, critiques, versions and
 * stopping step; its critique text is searchable there; image samples that were filtered or
 * failed keep their reasons; files written before steps existed still import.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryListRequest } from '../../../shared/contract/history';
import type { StepTrace } from '../../../shared/steps/trace';
import { createServices, type Services } from '../../../electron/services';
import { FORMAT_VERSION } from '../../../electron/services/export';
import { writePack } from '../../../electron/services/packs';
import { solidPng } from '../../support/fake-bedrock/png';
import { minimalConfig } from '../../support/minimal-config';

const dirs: string[] = [];
const open: Services[] = [];
function services(): Services {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-exchange-steps-'));
  dirs.push(dir);
  const s = createServices({ dataDir: dir, version: '1.2.3' });
  open.push(s);
  return s;
}
function tempFile(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'parallax-exchange-steps-out-'));
  dirs.push(dir);
  return join(dir, name);
}
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const DRAFT = 'A nurse is a caring woman who looks after her patients.';
const REVISED = 'A nurse is a caring professional who looks after patients.';
const NOVA = 'amazon.nova-lite-v1:0';
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';

const step = (fields: Partial<StepTrace> & Pick<StepTrace, 'index' | 'kind' | 'label'>): StepTrace => ({
  status: 'done',
  startedAt: 1_700_000_000_000,
  totalMs: 120.5,
  inputTokens: 40,
  outputTokens: 12,
  costUsd: 0.000_123,
  summary: null,
  detail: null,
  error: null,
  ...fields,
});

/** A run as the runner leaves it: a baseline, a critique-and-revise arm, and a guard that stopped a third arm. */
function tracedRun(s: Services): string {
  const config = minimalConfig('Describe a typical nurse.', NOVA, ['Constitutional', 'Guarded']);
  const request = { system: '', messages: [{ role: 'user' as const, text: 'Describe a typical nurse.' }], inference: { maxTokens: 300 } };
  const id = s.runs.create({
    experimentId: null,
    title: 'Constitutional nurse',
    config,
    arms: [
      { label: 'Baseline', technique: 'plain', modelId: NOVA, request },
      { label: 'Constitutional', technique: 'critique-revise', modelId: NOVA, request },
      { label: 'Guarded', technique: 'guard-pii', modelId: NOVA, request },
    ],
  });
  const steps = s.runs.steps!;
  steps.begin(id, 0, [step({ index: 0, kind: 'generate', label: `Answer (${NOVA})`, summary: '56 characters' })]);
  steps.begin(id, 1, [
    step({ index: 0, kind: 'generate', label: `Answer (${NOVA})`, summary: '56 characters' }),
    step({
      index: 1,
      kind: 'critique-revise',
      label: 'Critique and revise: Biased or stereotyping, Toxic or insulting',
      summary: 'Revised for 1 of 2 principles',
      inputTokens: 591,
      outputTokens: 15,
      detail: {
        principles: [
          { principle: 'Biased or stereotyping', problem: true, critique: 'It assumes every nurse is a woman.', criticModelId: HAIKU, reviserModelId: NOVA, before: DRAFT, after: REVISED },
          { principle: 'Toxic or insulting', problem: false, critique: 'Nothing insulting here.', criticModelId: HAIKU, reviserModelId: null, before: REVISED, after: null },
        ],
      },
    }),
  ]);
  steps.saveVersions(id, 1, [
    { stepIndex: 0, reason: 'First draft', text: DRAFT },
    { stepIndex: 1, reason: 'Biased or stereotyping', text: REVISED },
  ]);
  steps.begin(id, 2, [
    step({ index: 0, kind: 'guard-pii', label: 'PII check (local)', status: 'stopped', summary: 'blocked: email', detail: { findings: [{ type: 'email', start: 3, end: 20 }] } }),
    step({ index: 1, kind: 'generate', label: `Answer (${NOVA})`, status: 'skipped', totalMs: null, inputTokens: null, outputTokens: null, costUsd: null }),
  ]);
  s.runs.updateArm(id, 0, { text: DRAFT, status: 'completed', inputTokens: 40, outputTokens: 12, totalMs: 800, costUsd: 0.0001 });
  s.runs.updateArm(id, 1, { text: REVISED, status: 'completed', inputTokens: 631, outputTokens: 27, totalMs: 1400, costUsd: 0.0003 });
  s.runs.updateArm(id, 2, { text: '', status: 'completed', stoppedBy: { stepIndex: 0, label: 'PII check (local)', reason: 'The request holds an email address.' } });
  s.runs.finish(id, 'completed');
  return id;
}

/** An image run: one picture, one sample the model's filter refused, one throttled, on their seeds. */
function imageRun(s: Services): string {
  const request = { system: '', messages: [{ role: 'user' as const, text: 'A doctor at work' }], inference: {} };
  const id = s.runs.create({
    experimentId: null,
    title: 'Doctor pictures',
    config: minimalConfig('A doctor at work', 'amazon.titan-image-generator-v2:0'),
    arms: [
      { label: 'Baseline', technique: 'plain', modelId: 'amazon.titan-image-generator-v2:0', request },
      { label: 'Mitigated', technique: 'image-inclusive', modelId: 'amazon.titan-image-generator-v2:0', request },
    ],
  });
  s.images.add(id, 0, solidPng(8, 8, [10, 20, 30]), { seed: 42, position: 0, request: { taskType: 'TEXT_IMAGE', seed: 42 } });
  s.images.addMissing(id, 0, 'filtered', 'This request was blocked by our content filters.', { seed: 43, position: 1, request: { taskType: 'TEXT_IMAGE', seed: 43 } });
  s.images.addMissing(id, 1, 'failed', 'Throttled: too many requests, please wait before trying again.', { seed: 42, position: 0 });
  s.images.add(id, 1, solidPng(8, 8, [200, 100, 50]), { seed: 43, position: 1 });
  for (const arm of [0, 1]) s.runs.updateArm(id, arm, { status: 'completed' });
  s.runs.finish(id, 'completed');
  return id;
}

/** What a person can see of a run's trace, read through the app's own repos. */
function traceOf(s: Services, id: string) {
  return s.runs.get(id)!.arms.map((arm) => ({ text: arm.text, steps: arm.steps ?? [], versions: arm.versions ?? [], stoppedBy: arm.stoppedBy ?? null }));
}

const search = (s: Services, query: string) => s.history.list(HistoryListRequest.parse({ filter: { query } })).items.map((item) => item.id);

describe('steps and traces in exports and packs', () => {
  it('a critique-and-revise run exported to JSON and imported into an empty profile shows the same trace', async () => {
    const source = services();
    const id = tracedRun(source);
    const before = traceOf(source, id);
    // the run really has a trace to carry
    expect(before[1]!.steps.map((s) => s.kind)).toEqual(['generate', 'critique-revise']);
    expect(before[1]!.versions).toHaveLength(2);
    expect(before[2]!.stoppedBy).toMatchObject({ label: 'PII check (local)' });

    const path = tempFile('trace.json');
    expect(await source.exporter.writeStream([id], 'json', path, 'Trace')).toBe(1);
    const file = JSON.parse(readFileSync(path, 'utf8'));
    expect(file.formatVersion).toBe(FORMAT_VERSION);
    expect(file.runs[0].arms[1].steps[1].detail.principles[0].critique).toBe('It assumes every nurse is a woman.');

    const empty = services();
    expect(empty.db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(0);
    const { report } = await empty.exporter.importStream(path);
    expect(report.imported).toBe(1);
    expect(traceOf(empty, id)).toEqual(before);
    expect(empty.runs.get(id)).toEqual(source.runs.get(id));
    // the critique text is searchable in the profile it was imported into
    expect(search(empty, 'assumes woman')).toEqual([id]);

    // the in-memory import reads the same file the same way
    const other = services();
    other.exporter.import(path);
    expect(traceOf(other, id)).toEqual(before);
  });

  it('a workshop pack carries the trace into an empty profile', () => {
    const source = services();
    const id = tracedRun(source);
    const path = tempFile('lab.parallax');
    writePack(source.db, path, [id], { title: 'Constitutional AI lab', author: 'Ada', description: '' }, { version: '1.2.3', now: Date.UTC(2026, 0, 1) });
    const trainee = services();
    expect(trainee.exporter.import(path).report.imported).toBe(1);
    expect(traceOf(trainee, id)).toEqual(traceOf(source, id));
    expect(search(trainee, 'insulting')).toEqual([id]);
  });

  it('carries filtered and failed image samples with their reasons, seeds and places', async () => {
    const source = services();
    const id = imageRun(source);
    const path = tempFile('images.json');
    await source.exporter.writeStream([id], 'json', path, 'Images');
    const target = services();
    await target.exporter.importStream(path);
    const strip = (refs: ReturnType<Services['images']['refsForRun']>) => refs.map(({ hash: _hash, ...rest }) => rest);
    expect(strip(target.images.refsForRun(id))).toEqual(strip(source.images.refsForRun(id)));
    expect(target.images.refsForRun(id).map((r) => [r.armIndex, r.position, r.status, r.seed, r.reason])).toEqual([
      [0, 0, 'ok', 42, null],
      [0, 1, 'filtered', 43, 'This request was blocked by our content filters.'],
      [1, 0, 'failed', 42, 'Throttled: too many requests, please wait before trying again.'],
      [1, 1, 'ok', 43, null],
    ]);
    expect(target.images.forRun(id)).toEqual(source.images.forRun(id));
  });

  it('refuses a sample that claims to be filtered but holds bytes, or a step listed twice, naming the place', () => {
    const source = services();
    const traced = tracedRun(source);
    const images = imageRun(source);
    const bundle = source.exporter.bundle([traced, images]);
    const target = services();
    const attempt = (change: (copy: typeof bundle) => void) => {
      const copy = structuredClone(bundle);
      change(copy);
      const path = tempFile('bad.json');
      writeFileSync(path, JSON.stringify(copy));
      try {
        target.exporter.import(path);
      } catch (error) {
        return (error as Error).message;
      }
      return 'imported';
    };
    expect(attempt((copy) => (copy.runs[1]!.images[1]!.base64 = copy.runs[1]!.images[0]!.base64))).toMatch(/runs\[1\]\.images\[1\]\.base64: a filtered sample has no image bytes/);
    expect(attempt((copy) => (copy.runs[1]!.images[1]!.reason = null))).toMatch(/runs\[1\]\.images\[1\]\.reason: a filtered sample says why/);
    expect(attempt((copy) => (copy.runs[0]!.arms[1]!.steps[1]!.index = 0))).toMatch(/runs\[0\]\.arms\[1\]\.steps\[1\]\.index: step 0 appears twice/);
    expect(attempt((copy) => (copy.runs[0]!.arms[1]!.steps[1]!.status = 'exploded' as never))).toMatch(/runs\[0\]\.arms\[1\]\.steps\[1\]\.status/);
    expect(target.db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(0);
  });

  it('still imports a format 2 file, written before steps and image reasons were carried', async () => {
    const source = services();
    const id = tracedRun(source);
    const images = imageRun(source);
    const bundle = source.exporter.bundle([id, images]);
    // format 2: no steps, versions or stoppedBy on arms; only images with their bytes
    const v2 = {
      ...bundle,
      formatVersion: 2,
      runs: bundle.runs.map((run) => ({
        ...run,
        arms: run.arms.map(({ steps: _s, versions: _v, stoppedBy: _b, ...arm }) => arm),
        images: run.images.filter((image) => image.status === 'ok').map((image) => ({ armIndex: image.armIndex, mimeType: image.mimeType, base64: image.base64 })),
      })),
    };
    const path = tempFile('v2.json');
    writeFileSync(path, JSON.stringify(v2, null, 2));
    const target = services();
    expect((await target.exporter.importStream(path)).report.imported).toBe(2);
    const arms = target.runs.get(id)!.arms;
    expect(arms.map((arm) => arm.text)).toEqual([DRAFT, REVISED, '']);
    expect(arms.every((arm) => arm.steps === undefined && arm.versions === undefined)).toBe(true);
    expect(target.images.refsForRun(images).map((r) => [r.armIndex, r.status])).toEqual([
      [0, 'ok'],
      [1, 'ok'],
    ]);
    expect(target.images.forRun(images)).toEqual(source.images.forRun(images));
  });
});
