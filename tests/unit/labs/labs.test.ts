/**
 * The guided labs shipped in resources/labs.json: every entry parses, its templates are complete
 * (no missing, unused or malformed variables), every technique it names exists and is the one
 * its arms apply; runs remember their lab.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import raw from '../../../resources/labs.json';
import { CompareRunRequest } from '../../../shared/contract/compare';
import { GUIDED_LABS, LAB_DEFAULT_MODEL, LAB_PROBLEMS, labDraft, labSummaries, labTitle, loadLabs } from '../../../shared/labs';
import { checkConfig } from '../../../shared/templates';
import { BUILT_IN_TECHNIQUES, findTechnique, PROMPT_SLOT } from '../../../shared/techniques';
import { labHandlers } from '../../../electron/handlers/labs';
import { createExperimentRepo, createRunRepo, openDb, type Db } from '../../../electron/services/store';

describe('the shipped guided labs', () => {
  it('all parse, with unique ids, and none is left out', () => {
    expect(LAB_PROBLEMS).toEqual([]);
    expect(GUIDED_LABS).toHaveLength((raw as unknown[]).length);
    expect(GUIDED_LABS.length).toBeGreaterThanOrEqual(6);
    expect(new Set(GUIDED_LABS.map((lab) => lab.id)).size).toBe(GUIDED_LABS.length);
  });

  it.each(GUIDED_LABS.map((lab) => [lab.id, lab] as const))('%s: templates have no missing, unused, duplicate or malformed variables', (_id, lab) => {
    const problems = checkConfig(lab.config);
    expect(problems.missing.flat()).toEqual([]);
    expect(problems.invalid.flat()).toEqual([]);
    expect(problems.unused).toEqual([]);
    expect(problems.duplicates).toEqual([]);
    expect(problems.emptyPrompts).toEqual([]);
    expect(problems.ok).toBe(true);
  });

  it.each(GUIDED_LABS.map((lab) => [lab.id, lab] as const))('%s: names only existing techniques, and its arms apply them', (_id, lab) => {
    for (const id of lab.techniques) expect(findTechnique(BUILT_IN_TECHNIQUES, id), `technique ${id}`).toBeDefined();
    // the list of techniques is exactly what the arms use
    expect([...new Set(lab.config.arms.map((arm) => arm.technique))].sort()).toEqual([...lab.techniques].sort());
    expect(lab.config.arms[0]!.technique).toBe('plain');
    for (const arm of lab.config.arms) {
      const technique = findTechnique(BUILT_IN_TECHNIQUES, arm.technique)!;
      // an arm that names a technique carries its system prompt and its wrapper's fixed text
      if (technique.system) expect(arm.system, `${arm.label} system`).toContain(technique.system);
      for (const part of technique.wrap.split(PROMPT_SLOT)) expect(arm.template, `${arm.label} template`).toContain(part);
      expect(arm.modelId).toBe(LAB_DEFAULT_MODEL);
    }
  });

  it.each(GUIDED_LABS.map((lab) => [lab.id, lab] as const))('%s: has a guide a trainee can read', (_id, lab) => {
    expect(lab.lookFor.length).toBeGreaterThanOrEqual(2);
    expect(lab.whyItWorks.split(/\s+/).length).toBeGreaterThan(30);
    expect(new Set(lab.config.arms.map((arm) => arm.label)).size).toBe(lab.config.arms.length);
  });

  it('covers the workshop: loaded assumptions, bias guard, balance, scope, system framing, hijacking, injection', () => {
    const byId = new Map(GUIDED_LABS.map((lab) => [lab.id, lab]));
    expect(byId.get('loaded-assumptions')!.config.arms[0]!.template).toContain('mostly women');
    expect(byId.get('persona-hijacking')!.config.arms.every((arm) => arm.history.length >= 2)).toBe(true);
    expect(byId.get('persona-hijacking')!.config.arms[0]!.system).toBe('');
    expect(byId.get('persona-hijacking')!.config.arms[1]!.system).not.toBe('');
    const injection = byId.get('prompt-injection')!;
    expect(injection.config.variables[0]!.value).toMatch(/ignore all previous instructions/i);
    expect(injection.config.arms[1]!.template).toContain('<document>');
    expect(new Set(GUIDED_LABS.map((lab) => lab.level))).toEqual(new Set(['intro', 'intermediate']));
  });
});

describe('loading labs', () => {
  const good = (raw as unknown[])[0] as Record<string, unknown>;

  it('leaves out a malformed entry (reported) instead of failing the whole list', () => {
    const { labs, problems } = loadLabs([good, { ...good, id: 'broken', level: 'expert' }, { ...good, id: 'no-guide', lookFor: undefined }, good]);
    expect(labs.map((lab) => lab.id)).toEqual([good.id]);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/"broken".*level/);
    expect(problems[1]).toMatch(/"no-guide".*lookFor/);
    expect(problems[2]).toMatch(/earlier lab/);
  });

  it('rejects unknown fields and a lab with one arm', () => {
    expect(loadLabs([{ ...good, extra: 1 }]).problems).toHaveLength(1);
    const config = good.config as { variables: unknown[]; arms: unknown[] };
    expect(loadLabs([{ ...good, config: { ...config, arms: config.arms.slice(0, 1) } }]).problems[0]).toMatch(/2 or 3 arms/);
    expect(loadLabs({}).problems).toHaveLength(1);
  });

  it('opens as a draft on the given model, without sharing state with the shipped lab', () => {
    const lab = GUIDED_LABS.find((l) => l.id === 'persona-hijacking')!;
    const draft = labDraft(lab, 'my.model-v1:0');
    expect(draft).toMatchObject({ name: lab.title, description: lab.summary, labId: lab.id });
    expect(draft.config.arms.map((arm) => arm.modelId)).toEqual(lab.config.arms.map(() => 'my.model-v1:0'));
    draft.config.arms[0]!.history[0]!.text = 'changed';
    draft.config.variables[0]!.value = 'changed';
    expect(lab.config.arms[0]!.history[0]!.text).not.toBe('changed');
    expect(lab.config.variables[0]!.value).not.toBe('changed');
    expect(lab.config.arms[0]!.modelId).toBe(LAB_DEFAULT_MODEL);
  });

  it('gives titles for ids (History), and labs:list answers with them', async () => {
    expect(labTitle('loaded-assumptions')).toBe('Loaded assumptions');
    expect(labTitle('from-some-pack')).toBeUndefined();
    expect(labTitle(null)).toBeUndefined();
    const listed = await labHandlers()['labs:list']({});
    expect(listed).toEqual(labSummaries());
    expect(listed.map((l) => l.id)).toEqual(GUIDED_LABS.map((l) => l.id));
    expect(Object.keys(listed[0]!).sort()).toEqual(['id', 'level', 'summary', 'techniques', 'title']);
  });
});

describe('runs remember their lab', () => {
  let dir: string | undefined;
  let db: Db | undefined;
  afterEach(() => {
    db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    db = undefined;
    dir = undefined;
  });

  it('compare:run takes an optional labId, null by default', () => {
    const config = labDraft(GUIDED_LABS[0]!, 'm').config;
    expect(CompareRunRequest.parse({ config }).labId).toBeNull();
    expect(CompareRunRequest.parse({ config, labId: 'loaded-assumptions' }).labId).toBe('loaded-assumptions');
  });

  it('writes runs.lab_id for an unsaved lab draft; otherwise the saved experiment\'s lab still fills it', () => {
    dir = mkdtempSync(join(tmpdir(), 'parallax-labs-'));
    db = openDb(join(dir, 'labs.db'));
    const runs = createRunRepo(db, () => 1000);
    const { config } = labDraft(GUIDED_LABS[0]!, 'm');
    const arms = config.arms.map((arm) => ({ label: arm.label, technique: arm.technique, modelId: arm.modelId, request: { system: '', messages: [], inference: {} } }));
    const labOf = (id: string) => db!.prepare('SELECT lab_id FROM runs WHERE id = ?').pluck().get(id);

    expect(labOf(runs.create({ experimentId: null, labId: 'loaded-assumptions', title: 'Lab', config, arms }))).toBe('loaded-assumptions');
    expect(labOf(runs.create({ experimentId: null, title: 'Plain', config, arms }))).toBeNull();
    expect(labOf(runs.create({ experimentId: null, labId: null, title: 'Plain', config, arms }))).toBeNull();

    const saved = createExperimentRepo(db, () => 1000).save({ name: 'Saved lab', description: '', labId: 'prompt-injection', config });
    expect(labOf(runs.create({ experimentId: saved.id, title: 'From experiment', config, arms }))).toBe('prompt-injection');
    expect(labOf(runs.create({ experimentId: saved.id, labId: 'loaded-assumptions', title: 'Explicit', config, arms }))).toBe('loaded-assumptions');
  });
});
