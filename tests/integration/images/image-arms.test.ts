/**
 * Image arms through the step engine, the real SDK and the fake Bedrock: baseline, negative and
 * inclusive prompts, and the ask-don't-assume chat, 4 samples each on the same seeds.
 */
import { describe, expect, it } from 'vitest';
import { ImageSettings } from '../../../shared/images';
import { DEFAULT_NEGATIVE_PHRASES } from '../../../shared/steps/kinds/image-negative';
import type { StepConfig } from '../../../shared/steps/registry';
import type { StepTrace } from '../../../shared/steps/trace';
import { BUILT_IN_TECHNIQUES } from '../../../shared/techniques';
import { runArm } from '../../../electron/services/steps/engine';
import { imageGenerator } from '../../../electron/services/steps/generate-images';
import { useServicesAgainstFake } from '../../support/services-against-fake';
import { minimalConfig } from '../../support/minimal-config';

const ctx = useServicesAgainstFake('parallax-image-arms-');
const IMAGE_MODEL = 'amazon.titan-image-generator-v2:0';
const WRITER = 'amazon.nova-lite-v1:0';

async function runImageArm(runId: string, armIndex: number, steps: StepConfig[], answers: string[] = []) {
  const traces: StepTrace[] = [];
  const asked: string[] = [];
  const outcome = await runArm({
    runId,
    armIndex,
    request: {
      modelId: IMAGE_MODEL,
      system: '',
      messages: [{ role: 'user', text: 'A portrait of a doctor' }],
      inference: {},
      image: ImageSettings.parse({ width: 256, height: 256, seed: 7, samples: 4 }),
    },
    steps,
    env: { techniques: BUILT_IN_TECHNIQUES, defaultModelId: WRITER, variables: new Map() },
    models: ctx.services.bedrock,
    signal: new AbortController().signal,
    generator: imageGenerator({ model: ctx.services.bedrock, images: ctx.services.images }),
    hooks: {
      onStep: (trace) => traces.push(trace),
      onText: () => undefined,
      ask: async (_index, question) => {
        asked.push(question);
        return answers.shift() ?? 'Leave it open.';
      },
    },
  });
  return { outcome, traces, asked };
}

function imageBodies(armPrompt: RegExp) {
  return ctx.fake.requests.filter((r) => r.operation === 'InvokeModel' && armPrompt.test(r.body.textToImageParams.text)).map((r) => r.body);
}

describe('image arms', () => {
  it('baseline, negative and inclusive arms draw 4 samples each on the same seeds, each with its own request', async () => {
    const runId = ctx.services.runs.create({ experimentId: null, title: 'A doctor', config: minimalConfig('A portrait of a doctor', 'amazon.titan-image-generator-v2:0', ['Negative prompt', 'Inclusive prompt']), arms: [] });
    const baseline = await runImageArm(runId, 0, []);
    const negative = await runImageArm(runId, 1, [{ kind: 'image-negative', phrases: [...DEFAULT_NEGATIVE_PHRASES] }]);
    const inclusive = await runImageArm(runId, 2, [{ kind: 'image-inclusive', addition: 'The doctor may be of any gender, age or ethnicity.' }]);
    for (const arm of [baseline, negative, inclusive]) {
      expect(arm.outcome.status).toBe('completed');
      expect(arm.outcome.answer).toMatch(/4 of 4 images generated/);
    }
    const refs = ctx.services.images.refsForRun(runId);
    expect(refs.filter((r) => r.status === 'ok')).toHaveLength(12);
    const seedsOf = (armIndex: number) => refs.filter((r) => r.armIndex === armIndex).map((r) => r.seed);
    expect(seedsOf(0)).toEqual([7, 8, 9, 10]);
    expect(seedsOf(1)).toEqual(seedsOf(0));
    expect(seedsOf(2)).toEqual(seedsOf(0));
    const negativeBody = refs.find((r) => r.armIndex === 1)!.request as { textToImageParams: { negativeText: string } };
    expect(negativeBody.textToImageParams.negativeText).toContain('caricature');
    expect(imageBodies(/any gender, age or ethnicity/)).toHaveLength(4);
    expect(imageBodies(/^A portrait of a doctor$/).every((body) => body.textToImageParams.negativeText === undefined || body.textToImageParams.negativeText.includes('stereotype'))).toBe(true);
  });

  it('the chat asks who is in the picture, takes the answer, writes the prompt and generates with it', async () => {
    ctx.fake.on({ operation: 'Converse', times: 1, reply: { text: 'Should the doctor be a woman, a man, or should I leave that open? Any age or setting?' } });
    ctx.fake.on({ operation: 'Converse', prompt: /older woman/, reply: { text: 'Thanks. <imageprompt>A portrait of a doctor, an older Black woman in a rural clinic, warm light</imageprompt>' } });
    const runId = ctx.services.runs.create({ experimentId: null, title: 'A doctor', config: minimalConfig('A portrait of a doctor', 'amazon.titan-image-generator-v2:0', ['Negative prompt', 'Inclusive prompt']), arms: [] });
    const { outcome, traces, asked } = await runImageArm(runId, 1, [{ kind: 'image-chat', maxQuestions: 3 }], ['An older woman, Black, in a rural clinic.']);
    expect(outcome.status).toBe('completed');
    expect(asked).toEqual(['Should the doctor be a woman, a man, or should I leave that open? Any age or setting?']);
    const chat = traces.filter((t) => t.kind === 'image-chat').at(-1)!;
    expect(chat.status).toBe('done');
    expect(chat.detail).toMatchObject({ prompt: 'A portrait of a doctor, an older Black woman in a rural clinic, warm light' });
    expect((chat.detail as { chat: unknown[] }).chat).toHaveLength(4);
    expect(imageBodies(/older Black woman in a rural clinic/)).toHaveLength(4);
    expect(ctx.fake.requests.filter((r) => r.operation === 'Converse').map((r) => r.modelId)).toEqual([WRITER, WRITER]);
  });

  it('a chat whose writer never writes a prompt fails with a message that says what to do; nothing is generated', async () => {
    ctx.fake.on({ operation: 'Converse', reply: { text: 'Who is in the picture?' } });
    const runId = ctx.services.runs.create({ experimentId: null, title: 'A nurse', config: minimalConfig('A portrait of a doctor', 'amazon.titan-image-generator-v2:0', ['Negative prompt', 'Inclusive prompt']), arms: [] });
    const { outcome } = await runImageArm(runId, 0, [{ kind: 'image-chat', maxQuestions: 1 }]);
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.message).toMatch(/did not write an image prompt.*Try another model/);
    expect(ctx.fake.requests.filter((r) => r.operation === 'InvokeModel')).toHaveLength(0);
  });
});
