/**
 * The guided labs shipped in resources/labs.json: every entry parses, its templates are complete
 * (no missing, unused or malformed variables), every technique it names exists and is the one
 * its arms apply; runs remember their lab.
 */
import { mediumOf } from '../../../shared/images';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import raw from '../../../resources/labs.json';
import { CompareRunRequest } from '../../../shared/contract/compare';
import { guidedLabs, LAB_DEFAULT_MODEL, labProblems, labDraft, labSummaries, labTitle, loadLabs } from '../../../shared/labs';
import { armTechniqueKey, checkConfig, resolveArmRequest } from '../../../shared/arms/resolve';
import { BUILT_IN_TECHNIQUES, findTechnique, PROMPT_SLOT } from '../../../shared/techniques';
import { labHandlers } from '../../../electron/handlers/labs';
import { createExperimentRepo, createRunRepo, openDb, type Db } from '../../../electron/services/store';

describe('the shipped guided labs', () => {
  it('all parse, with unique ids, and none is left out', () => {
    expect(labProblems()).toEqual([]);
    expect(guidedLabs()).toHaveLength((raw as unknown[]).length);
    expect(guidedLabs().length).toBeGreaterThanOrEqual(6);
    expect(new Set(guidedLabs().map((lab) => lab.id)).size).toBe(guidedLabs().length);
  });

  it.each(guidedLabs().map((lab) => [lab.id, lab] as const))('%s: templates have no missing, unused, duplicate or malformed variables', (_id, lab) => {
    const problems = checkConfig(lab.config);
    expect(problems.missing.flat()).toEqual([]);
    expect(problems.invalid.flat()).toEqual([]);
    expect(problems.unused).toEqual([]);
    expect(problems.duplicates).toEqual([]);
    expect(problems.emptyPrompts).toEqual([]);
    expect(problems.ok).toBe(true);
  });

  it.each(guidedLabs().map((lab) => [lab.id, lab] as const))('%s: names only existing techniques, and its arms apply them', (_id, lab) => {
    for (const id of lab.techniques) expect(findTechnique(BUILT_IN_TECHNIQUES, id), `technique ${id}`).toBeDefined();
    expect(lab.config.arms[0]!.mode).toBe('baseline');
    expect(lab.techniques).toContain('plain');
    lab.config.arms.forEach((arm, index) => {
      const steps = arm.mode === 'baseline' ? [] : arm.steps;
      const resolved = resolveArmRequest(lab.config, index);
      for (const step of steps) {
        if (step.kind !== 'technique') continue;
        // every technique a step applies is listed, and the arm's resolved request carries its
        // system prompt and its wrapper's fixed text
        expect(lab.techniques).toContain(step.techniqueId);
        const technique = findTechnique(BUILT_IN_TECHNIQUES, step.techniqueId)!;
        if (technique.system) expect(resolved.request.system, `${arm.label} system`).toContain(technique.system);
        for (const part of technique.wrap.split(PROMPT_SLOT)) expect(resolved.request.messages.at(-1)!.text, `${arm.label} prompt`).toContain(part.split('${')[0]);
      }
      expect(resolved.steps.every((step) => step.status !== 'problem')).toBe(true);
      // text labs run on the user's default generation model; image labs name their image model
      if (mediumOf(lab.config) === 'text') expect(resolved.request.modelId).toBe(LAB_DEFAULT_MODEL);
      else expect(resolved.request.modelId).toMatch(/image|canvas|stable-diffusion/);
    });
  });

  it.each(guidedLabs().map((lab) => [lab.id, lab] as const))('%s: has a guide a trainee can read', (_id, lab) => {
    expect(lab.lookFor.length).toBeGreaterThanOrEqual(2);
    expect(lab.whyItWorks.split(/\s+/).length).toBeGreaterThan(30);
    expect(new Set(lab.config.arms.map((arm) => arm.label)).size).toBe(lab.config.arms.length);
  });

  it('covers the workshop: loaded assumptions, bias guard, balance, scope, system framing, hijacking, injection', () => {
    const byId = new Map(guidedLabs().map((lab) => [lab.id, lab]));
    const request = (id: string, arm: number) => resolveArmRequest(byId.get(id)!.config, arm).request;
    expect(request('loaded-assumptions', 0).messages.at(-1)!.text).toContain('mostly women');
    const hijack = byId.get('persona-hijacking')!.config;
    expect(hijack.arms.every((_, i) => request('persona-hijacking', i).messages.length >= 3)).toBe(true);
    expect(request('persona-hijacking', 0).system).toBe('');
    expect(request('persona-hijacking', 1).system).not.toBe('');
    const injection = byId.get('prompt-injection')!;
    expect(injection.config.variables[0]!.value).toMatch(/ignore all previous instructions/i);
    expect(request('prompt-injection', 1).messages.at(-1)!.text).toContain('<document>');
    expect(new Set(guidedLabs().map((lab) => lab.level))).toEqual(new Set(['intro', 'intermediate']));
    // issue 9: the prompt-engineering cases and the constitutional labs, as steps over the baseline
    const stepsOf = (id: string, arm: number) => {
      const a = byId.get(id)!.config.arms[arm]!;
      return a.mode === 'baseline' ? [] : a.steps;
    };
    expect(stepsOf('vague-superhero', 1).map((s) => s.kind)).toEqual(['specify']);
    expect(request('vague-superhero', 1).messages.at(-1)!.text).toMatch(/^Write a short essay about a superhero\.\n\nThe superhero is/);
    expect(byId.get('loaded-health-question')!.config.arms).toHaveLength(3);
    expect(request('system-prompt-extraction', 0).system).toContain('STAFF-40-OFF');
    expect(request('fake-end-conversation', 1).messages.at(-1)!.text).toContain('END CONVERSATION');
    expect(stepsOf('fake-end-conversation', 1)).toEqual([{ kind: 'technique', techniqueId: 'system-framing' }]);
    expect(stepsOf('constitutional-illegal', 1)).toEqual([{ kind: 'critique-revise', principles: [{ builtIn: 'illegal' }] }]);
    const persona = stepsOf('constitutional-persona', 1)[0]!;
    expect(persona.kind === 'critique-revise' && 'critique' in persona.principles[0]! && persona.principles[0].critique).toMatch(/competitors/);
    const both = stepsOf('constitutional-both', 2)[0]!;
    expect(both.kind === 'critique-revise' && both.principles.length).toBe(2);
    expect(request('constitutional-both', 2).messages.length).toBe(request('constitutional-persona', 0).messages.length);
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
    expect(loadLabs([{ ...good, config: { ...config, arms: config.arms.slice(0, 1) } }]).problems[0]).toMatch(/2 to 4 arms/);
    expect(loadLabs({}).problems).toHaveLength(1);
  });

  it('opens as a draft on the given model, without sharing state with the shipped lab', () => {
    const lab = guidedLabs().find((l) => l.id === 'persona-hijacking')!;
    const draft = labDraft(lab, 'my.model-v1:0');
    expect(draft).toMatchObject({ name: lab.title, description: lab.summary, labId: lab.id });
    expect(draft.config.arms.map((_, i) => resolveArmRequest(draft.config, i).request.modelId)).toEqual(lab.config.arms.map(() => 'my.model-v1:0'));
    const baseline = draft.config.arms[0]!;
    const shipped = lab.config.arms[0]!;
    if (baseline.mode !== 'baseline' || shipped.mode !== 'baseline') throw new Error('arms[0] is the baseline');
    baseline.history[0]!.text = 'changed';
    draft.config.variables[0]!.value = 'changed';
    expect(shipped.history[0]!.text).not.toBe('changed');
    expect(lab.config.variables[0]!.value).not.toBe('changed');
    expect(shipped.modelId).toBe(LAB_DEFAULT_MODEL);
  });

  it('gives titles for ids (History), and labs:list answers with them', async () => {
    expect(labTitle('loaded-assumptions')).toBe('Loaded assumptions');
    expect(labTitle('from-some-pack')).toBeUndefined();
    expect(labTitle(null)).toBeUndefined();
    const listed = await labHandlers()['labs:list']({});
    expect(listed).toEqual(labSummaries());
    expect(listed.map((l) => l.id)).toEqual(guidedLabs().map((l) => l.id));
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
    const config = labDraft(guidedLabs()[0]!, 'm').config;
    expect(CompareRunRequest.parse({ config }).labId).toBeNull();
    expect(CompareRunRequest.parse({ config, labId: 'loaded-assumptions' }).labId).toBe('loaded-assumptions');
  });

  it('writes runs.lab_id for an unsaved lab draft; otherwise the saved experiment\'s lab still fills it', () => {
    dir = mkdtempSync(join(tmpdir(), 'parallax-labs-'));
    db = openDb(join(dir, 'labs.db'));
    const runs = createRunRepo(db, () => 1000);
    const { config } = labDraft(guidedLabs()[0]!, 'm');
    const arms = config.arms.map((arm, i) => ({ label: arm.label, technique: armTechniqueKey(arm), modelId: resolveArmRequest(config, i).request.modelId, request: { system: '', messages: [], inference: {} } }));
    const labOf = (id: string) => db!.prepare('SELECT lab_id FROM runs WHERE id = ?').pluck().get(id);

    expect(labOf(runs.create({ experimentId: null, labId: 'loaded-assumptions', title: 'Lab', config, arms }))).toBe('loaded-assumptions');
    expect(labOf(runs.create({ experimentId: null, title: 'Plain', config, arms }))).toBeNull();
    expect(labOf(runs.create({ experimentId: null, labId: null, title: 'Plain', config, arms }))).toBeNull();

    const saved = createExperimentRepo(db, () => 1000).save({ name: 'Saved lab', description: '', labId: 'prompt-injection', config });
    expect(labOf(runs.create({ experimentId: saved.id, title: 'From experiment', config, arms }))).toBe('prompt-injection');
    expect(labOf(runs.create({ experimentId: saved.id, labId: 'loaded-assumptions', title: 'Explicit', config, arms }))).toBe('loaded-assumptions');
  });
});
