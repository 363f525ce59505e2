import { describe, expect, it } from 'vitest';
import { perturbations } from '../../../shared/metrics';
import { scoreDelta } from '../../../shared/scores/delta';
import {
  formatRobustness,
  perturbRequest,
  robustnessBasis,
  robustnessInputError,
  RobustnessSettings,
  scoreRobustness,
} from '../../../shared/scores/robustness';
import { scorerInfo } from '../../../shared/scores/scorers';
import { DEFAULT_SCORE_SETTINGS, ScoreSettings } from '../../../shared/scores/types';

const settings = (patch: Partial<RobustnessSettings> = {}): RobustnessSettings => RobustnessSettings.parse(patch);

describe('robustness settings', () => {
  it('defaults: 5 × butter-finger, seed 1, f1 against the original output (no reference needed), not automatic', () => {
    expect(DEFAULT_SCORE_SETTINGS.robustness).toEqual({ kind: 'butter-finger', count: 5, seed: 1, baseMetric: 'f1', compareWith: 'original' });
    expect(DEFAULT_SCORE_SETTINGS.autoRobustness).toBe(false);
    // Settings stored before robustness existed still parse, with the defaults filled in.
    expect(ScoreSettings.parse({ autoMetrics: ['words'] }).robustness.count).toBe(5);
  });

  it('rejects counts outside 1..20 and unknown perturbations', () => {
    expect(RobustnessSettings.safeParse({ count: 0 }).success).toBe(false);
    expect(RobustnessSettings.safeParse({ count: 21 }).success).toBe(false);
    expect(RobustnessSettings.safeParse({ kind: 'leetspeak' }).success).toBe(false);
  });
});

describe('perturbRequest', () => {
  const messages = [
    { role: 'user' as const, text: 'First question, left alone.' },
    { role: 'assistant' as const, text: 'An earlier answer.' },
    { role: 'user' as const, text: 'Which nurse should we hire for the night shift, and why?' },
  ];

  it('perturbs only the last user message, seeded, leaving the other turns as they were', () => {
    const result = perturbRequest(messages, { kind: 'random-upper-case', count: 3, seed: 7 });
    expect(result.original).toBe(messages[2]!.text);
    expect(result.inputs).toEqual(perturbations(messages[2]!.text, 'random-upper-case', { seed: 7, count: 3 }));
    expect(result.messages).toHaveLength(3);
    for (const [index, conversation] of result.messages.entries()) {
      expect(conversation.slice(0, 2)).toEqual(messages.slice(0, 2));
      expect(conversation[2]).toEqual({ role: 'user', text: result.inputs[index] });
    }
    expect(perturbRequest(messages, { kind: 'random-upper-case', count: 3, seed: 7 })).toEqual(result);
    expect(messages[2]!.text).toBe('Which nurse should we hire for the night shift, and why?');
  });

  it('throws when there is no user message', () => {
    expect(() => perturbRequest([{ role: 'assistant', text: 'hi' }], { kind: 'butter-finger', count: 1, seed: 1 })).toThrow(/no user message/);
  });
});

describe('scoreRobustness', () => {
  it('words 6 → [6, 7, 3]: Δ = (0 + 1 + 3) / 3 = 4/3; WER = (0 + 1/6 + 3/6) / 3 = 2/9', () => {
    const result = scoreRobustness(settings({ baseMetric: 'words' }), { original: 'the cat sat on the mat', perturbed: ['the cat sat on the mat', 'the cat sat on the mat today', 'the cat sat'] }, '');
    expect(result.value).toBeCloseTo(4 / 3, 12);
    expect(result.werMean).toBeCloseTo(2 / 9, 12);
    expect(result.originalScore).toBe(6);
    expect(result.perScore).toEqual([6, 7, 3]);
    expect(result.perWer).toEqual([0, 1 / 6, 3 / 6]);
  });

  it('f1 against the original output: identical output scores 1, so Δ = mean(1 − f1)', () => {
    // "blue whale" vs "whale shark": one shared word of two each → f1 0.5; Δ = (0 + 0.5) / 2 = 0.25.
    const result = scoreRobustness(settings({ baseMetric: 'f1', compareWith: 'original' }), { original: 'blue whale', perturbed: ['blue whale', 'whale shark'] }, 'ignored reference');
    expect(result.value).toBeCloseTo(0.25, 12);
    expect(result.originalScore).toBe(1);
  });

  it('needs a reference only for reference metrics compared with the reference', () => {
    expect(robustnessInputError(settings({ compareWith: 'reference' }), '')).toMatch(/needs a reference answer/);
    expect(robustnessInputError(settings({ compareWith: 'reference' }), 'an answer')).toBeNull();
    expect(robustnessInputError(settings(), '')).toBeNull();
    expect(robustnessInputError(settings({ baseMetric: 'refusal' }), '')).toBeNull();
  });
});

describe('robustness on the score card', () => {
  const details = { kind: 'butter-finger', count: 5, seed: 1, baseMetric: 'f1', compareWith: 'reference', werMean: 0.1234 };

  it('prints "Δ f1 0.08 · WER 0.12 (5 × butter-finger)"', () => {
    expect(scorerInfo('robustness').format(0.08, details)).toBe('Δ f1 0.08 · WER 0.12 (5 × butter-finger)');
    expect(scorerInfo('robustness').format(0.5, { ...details, kind: 'random-upper-case', count: 3, baseMetric: 'rougeL' })).toBe('Δ ROUGE-L 0.50 · WER 0.12 (3 × random uppercase)');
    expect(formatRobustness(0.25)).toBe('Δ 0.25');
  });

  it('lower is better: a smaller delta than the baseline is an improvement', () => {
    const info = scorerInfo('robustness');
    expect(info.higherIsBetter).toBe(false);
    expect(scoreDelta(0.3, 0.1, info.higherIsBetter).direction).toBe('better');
    expect(scoreDelta(0.1, 0.3, info.higherIsBetter).direction).toBe('worse');
  });

  it('compares with the baseline only when both measured the same thing', () => {
    expect(robustnessBasis(details)).toBe(robustnessBasis({ ...details, werMean: 0.9 }));
    expect(robustnessBasis(details)).not.toBe(robustnessBasis({ ...details, baseMetric: 'words' }));
    expect(robustnessBasis(details)).not.toBe(robustnessBasis({ ...details, count: 3 }));
    expect(robustnessBasis(null)).toBeNull();
  });
});
