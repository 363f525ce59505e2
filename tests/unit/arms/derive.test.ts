/**
 * The arm model (issue 9): every arm is resolved from the baseline (turns, system, variables,
 * overrides, steps), stored configurations from before are upgraded, and arms detach / re-attach.
 */
import { describe, expect, it } from 'vitest';
import { detachArm, reattachArm } from '../../../shared/arms/edit';
import { armTechniqueKey, checkConfig, resolveArmRequest } from '../../../shared/arms/resolve';
import { upgradeConfig } from '../../../shared/arms/upgrade';
import { ExperimentConfig, type ArmConfig, type BaselineArm } from '../../../shared/domain';
import { applyTechnique, BUILT_IN_TECHNIQUES, findTechnique } from '../../../shared/techniques';

const guard = findTechnique(BUILT_IN_TECHNIQUES, 'bias-guard')!;
const framing = findTechnique(BUILT_IN_TECHNIQUES, 'system-framing')!;

const baseline: BaselineArm = {
  mode: 'baseline',
  label: 'Baseline',
  modelId: 'amazon.nova-lite-v1:0',
  inference: { temperature: 0.2, maxTokens: 300 },
  system: 'You help a ${team} team.',
  history: [
    { role: 'user', text: 'Hi, I hire ${job}s.' },
    { role: 'assistant', text: 'Happy to help.' },
  ],
  template: 'Who makes a better ${job}?',
};
const variables = [
  { name: 'job', value: 'nurse' },
  { name: 'team', value: 'hiring' },
];
const config = (...arms: ArmConfig[]) => ({ variables, arms: [baseline, ...arms] });

describe('deriving an arm from the baseline', () => {
  it('a derived arm sends the baseline\'s turns, system and prompt with variables filled, its steps applied in order', () => {
    const c = config({ mode: 'derived', label: 'Guarded', steps: [{ kind: 'technique', techniqueId: 'bias-guard' }, { kind: 'specify', details: 'Consider ${job}s of any gender.' }], overrides: {} });
    const { request, steps } = resolveArmRequest(c, 1);
    expect(request.modelId).toBe('amazon.nova-lite-v1:0');
    expect(request.system).toBe('You help a hiring team.');
    expect(request.messages.slice(0, 2)).toEqual([
      { role: 'user', text: 'Hi, I hire nurses.' },
      { role: 'assistant', text: 'Happy to help.' },
    ]);
    const last = request.messages.at(-1)!.text;
    expect(last).toMatch(/^Answer the request below[\s\S]*Request: Who makes a better nurse\?\n\nConsider nurses of any gender\.$/);
    expect(steps.map((s) => [s.label, s.status])).toEqual([
      ['Bias guard', 'applied'],
      ['Specify what is left open', 'applied'],
    ]);
  });

  it('editing the baseline changes every derived arm, not a variant', () => {
    const arms: ArmConfig[] = [
      { mode: 'derived', label: 'Framed', steps: [{ kind: 'technique', techniqueId: 'system-framing' }], overrides: {} },
      { mode: 'detached', label: 'Pirate', modelId: 'm', inference: {}, system: 'You are a pirate.', history: [], template: 'Arr?', steps: [] },
    ];
    const edited = { variables, arms: [{ ...baseline, template: 'Who is the best ${job}?', history: [] }, ...arms] };
    const framed = resolveArmRequest(edited, 1).request;
    expect(framed.messages).toEqual([{ role: 'user', text: 'Who is the best nurse?' }]);
    expect(framed.system).toBe(`You help a hiring team.\n\n${framing.system}`);
    expect(resolveArmRequest(edited, 2).request.messages).toEqual([{ role: 'user', text: 'Arr?' }]);
  });

  it('overrides change the model and merge inference key by key', () => {
    const c = config({ mode: 'derived', label: 'Haiku', steps: [], overrides: { modelId: 'anthropic.claude-3-haiku', inference: { temperature: 0.9 } } });
    const { request } = resolveArmRequest(c, 1);
    expect(request.modelId).toBe('anthropic.claude-3-haiku');
    expect(request.inference).toEqual({ temperature: 0.9, maxTokens: 300 });
    expect(request.messages.at(-1)!.text).toBe('Who makes a better nurse?');
  });

  it('model-calling steps are applied when the arm runs; answer steps run on the answer; a missing technique is a problem', () => {
    const c = config({
      mode: 'derived',
      label: 'Chain',
      steps: [{ kind: 'rewrite', instruction: '' }, { kind: 'critique-revise', principles: [{ builtIn: 'illegal' }] }, { kind: 'technique', techniqueId: 'gone' }],
      overrides: {},
    });
    const resolved = resolveArmRequest(c, 1);
    expect(resolved.steps.map((s) => s.status)).toEqual(['at-run', 'answer', 'problem']);
    expect(resolved.changesAtRun).toBe(true);
    const problems = checkConfig(c);
    expect(problems.stepProblems[1]![0]).toMatch(/"gone" is not in your library/);
    expect(problems.ok).toBe(false);
    expect(checkConfig(config({ mode: 'derived', label: 'OK', steps: [], overrides: {} })).ok).toBe(true);
  });

  it('names arms for History: plain, the first technique, a step kind, or variant', () => {
    expect(armTechniqueKey(baseline)).toBe('plain');
    expect(armTechniqueKey({ mode: 'derived', label: 'x', steps: [{ kind: 'specify', details: 'd' }, { kind: 'technique', techniqueId: 'bias-guard' }], overrides: {} })).toBe('bias-guard');
    expect(armTechniqueKey({ mode: 'derived', label: 'x', steps: [{ kind: 'specify', details: 'd' }], overrides: {} })).toBe('specify');
    expect(armTechniqueKey({ mode: 'detached', label: 'x', modelId: 'm', inference: {}, system: '', history: [], template: 'q', steps: [] })).toBe('variant');
  });

  it('only the first arm is the baseline', () => {
    expect(ExperimentConfig.safeParse({ variables: [], arms: [{ mode: 'derived', label: 'x', steps: [], overrides: {} }] }).success).toBe(false);
    expect(ExperimentConfig.safeParse({ variables: [], arms: [baseline, baseline] }).success).toBe(false);
    expect(ExperimentConfig.safeParse({ variables: [], arms: [baseline] }).success).toBe(true);
  });
});

describe('upgrading stored configurations from before issue 9', () => {
  const legacyBase = { label: 'Baseline', technique: 'plain', modelId: 'm1', inference: { temperature: 0.2 }, system: 'Sys', history: [{ role: 'user', text: 'Earlier' }], template: 'Ask ${job}' };
  const upgrade = (arm: Record<string, unknown>, techniques = BUILT_IN_TECHNIQUES) =>
    (upgradeConfig({ variables: [], arms: [legacyBase, arm] }, techniques) as { arms: unknown[] }).arms;

  it('arms[0] becomes the baseline', () => {
    expect(upgrade({ ...legacyBase })[0]).toEqual({ mode: 'baseline', label: 'Baseline', modelId: 'm1', inference: { temperature: 0.2 }, system: 'Sys', history: legacyBase.history, template: 'Ask ${job}' });
  });

  it('technique applied to the baseline → derived with a technique step and the overrides that differ', () => {
    const applied = applyTechnique(guard, legacyBase);
    expect(upgrade({ ...legacyBase, label: 'G', technique: 'bias-guard', modelId: 'm2', inference: { temperature: 0.7 }, system: applied.system, template: applied.template })[1]).toEqual({
      mode: 'derived',
      label: 'G',
      steps: [{ kind: 'technique', techniqueId: 'bias-guard' }],
      overrides: { modelId: 'm2', inference: { temperature: 0.7 } },
    });
  });

  it('a plain copy that differs only in model or inference → derived with no steps', () => {
    expect(upgrade({ ...legacyBase, label: 'P', modelId: 'm3' })[1]).toEqual({ mode: 'derived', label: 'P', steps: [], overrides: { modelId: 'm3' } });
  });

  it('a user technique counts when it is in the library given (the migration passes the user\'s)', () => {
    const mine = { id: 'ask', name: 'Ask', summary: '', explanation: '', system: '', wrap: 'Ask first.\n\n{{prompt}}', builtIn: false };
    const arm = { ...legacyBase, label: 'A', technique: 'ask', template: 'Ask first.\n\nAsk ${job}' };
    expect(upgrade(arm)[1]).toMatchObject({ mode: 'detached' });
    expect(upgrade(arm, [...BUILT_IN_TECHNIQUES, mine])[1]).toEqual({ mode: 'derived', label: 'A', steps: [{ kind: 'technique', techniqueId: 'ask' }], overrides: {} });
  });

  it('anything else → detached, its own text kept: other turns, edited text, a dropped setting', () => {
    expect(upgrade({ ...legacyBase, label: 'T', history: [] })[1]).toMatchObject({ mode: 'detached', history: [], template: 'Ask ${job}' });
    expect(upgrade({ ...legacyBase, label: 'E', technique: 'bias-guard', template: 'Edited' })[1]).toMatchObject({ mode: 'detached', template: 'Edited', system: 'Sys' });
    expect(upgrade({ ...legacyBase, label: 'D', inference: {} })[1]).toMatchObject({ mode: 'detached', inference: {} });
  });

  it('upgrading twice changes nothing; the schema does it on every parse', () => {
    const once = upgradeConfig({ variables: [], arms: [legacyBase, { ...legacyBase, label: 'P', modelId: 'm3' }] });
    expect(upgradeConfig(once)).toBe(once);
    expect(ExperimentConfig.parse({ variables: [], arms: [legacyBase, { ...legacyBase, label: 'P', modelId: 'm3' }] })).toEqual(once);
  });
});

describe('detaching and re-attaching', () => {
  const c = config({ mode: 'derived', label: 'Guarded', steps: [{ kind: 'technique', techniqueId: 'bias-guard' }, { kind: 'rewrite', instruction: '' }], overrides: { modelId: 'm2' } });

  it('detach keeps what the arm sends as its own text (placeholders as written) and its model-calling steps', () => {
    const variant = detachArm(c, 1);
    expect(variant).toMatchObject({ mode: 'detached', label: 'Guarded', modelId: 'm2', system: 'You help a ${team} team.', history: baseline.history, steps: [{ kind: 'rewrite', instruction: '' }] });
    expect(variant.template).toBe(applyTechnique(guard, baseline).template);
    expect(resolveArmRequest({ variables, arms: [baseline, variant] }, 1).request).toEqual(resolveArmRequest(c, 1).request);
  });

  it('re-attach is lossless while the text is untouched, and says so when it was edited', () => {
    const variant = detachArm(c, 1);
    expect(reattachArm({ variables, arms: [baseline, variant] }, 1)).toEqual({ arm: c.arms[1], lossless: true });
    expect(reattachArm({ variables, arms: [baseline, { ...variant, template: 'Edited' }] }, 1)?.lossless).toBe(false);
    const pirate: ArmConfig = { mode: 'detached', label: 'Pirate', modelId: 'm', inference: {}, system: 'Pirate', history: [], template: 'Arr', steps: [] };
    expect(reattachArm({ variables, arms: [baseline, pirate] }, 1)).toBeNull();
  });
});
