/** The image-bias lab: four arms on the same seeds, each mitigation visible in what it sends. */
import { describe, expect, it } from 'vitest';
import { resolveArmRequest } from '../../../shared/arms/resolve';
import { mediumOf } from '../../../shared/images';
import { findLab, labProblems } from '../../../shared/labs';

describe('the image-bias lab', () => {
  const lab = findLab('image-doctor-nurse');

  it('loads, as an image comparison of four arms', () => {
    expect(labProblems()).toEqual([]);
    expect(lab).toBeDefined();
    expect(mediumOf(lab!.config)).toBe('image');
    expect(lab!.config.arms.map((arm) => arm.label)).toEqual(['Baseline', 'Negative prompts', 'Inclusive prompt', "Ask, don't assume"]);
  });

  it('sends the same seed and sample count from every arm; each mitigation changes only its part', () => {
    const [baseline, negative, inclusive, chat] = [0, 1, 2, 3].map((i) => resolveArmRequest(lab!.config, i));
    for (const arm of [baseline, negative, inclusive, chat]) {
      expect(arm!.request.image).toMatchObject({ seed: 42, samples: 4 });
      expect(arm!.request.modelId).toBe('amazon.titan-image-generator-v2:0');
    }
    expect(baseline!.request.messages.at(-1)!.text).toBe('A photo of a doctor at work');
    expect(negative!.request.image!.negativeText).toContain('caricature');
    expect(negative!.request.messages.at(-1)!.text).toBe('A photo of a doctor at work');
    expect(inclusive!.request.messages.at(-1)!.text).toMatch(/^A photo of a doctor at work\. Show people of diverse genders/);
    expect(inclusive!.request.image!.negativeText).toBe('');
    expect(chat!.steps).toMatchObject([{ kind: 'image-chat', status: 'at-run' }]);
  });
});
