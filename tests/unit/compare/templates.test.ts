import { describe, expect, it } from 'vitest';
import type { ArmConfig, BaselineArm } from '../../../shared/domain';
import { checkConfig } from '../../../shared/arms/resolve';
import { placeholders, renderTemplate, resolveArm } from '../../../shared/templates';

const arm = (patch: Partial<BaselineArm> = {}): BaselineArm => ({
  mode: 'baseline',
  label: 'A',
  modelId: 'm',
  inference: {},
  system: '',
  history: [],
  template: '',
  ...patch,
});
/** The first arm is the baseline, the others variants with their own text. */
const arms = (...list: BaselineArm[]): ArmConfig[] => list.map((a, i): ArmConfig => (i === 0 ? a : { ...a, mode: 'detached', steps: [] }));

describe('prompt templating (${name})', () => {
  it('replaces every use of a defined variable and lists names in first-use order', () => {
    const result = renderTemplate('Is ${b} better than ${a}? Compare ${a} and ${b}.', { a: 'tea', b: 'coffee' });
    expect(result).toEqual({ text: 'Is coffee better than tea? Compare tea and coffee.', used: ['b', 'a'], missing: [], invalid: [] });
  });

  it('keeps a missing variable as written and reports it once', () => {
    const result = renderTemplate('Who is the better ${role}, ${group_a} or ${group_a}?', { role: 'nurse' });
    expect(result.text).toBe('Who is the better nurse, ${group_a} or ${group_a}?');
    expect(result.missing).toEqual(['group_a']);
  });

  it('treats $${name} and \\${name} as a literal ${name}', () => {
    expect(renderTemplate('Cost: $${price} or \\${price}, really ${price}', { price: '3' }).text).toBe(
      'Cost: ${price} or ${price}, really 3',
    );
    const escaped = renderTemplate('$${x}', {});
    expect(escaped).toEqual({ text: '${x}', used: [], missing: [], invalid: [] });
  });

  it('leaves malformed placeholders literal and reports them', () => {
    const result = renderTemplate('A ${first name} and ${9lives} and ${naïve} and ${} and a lone $ and {x}', {});
    expect(result.text).toBe('A ${first name} and ${9lives} and ${naïve} and ${} and a lone $ and {x}');
    expect(result.invalid).toEqual(['first name', '9lives', 'naïve', '']);
    expect(result.missing).toEqual([]);
  });

  it('inserts Unicode values verbatim and never expands placeholders inside values', () => {
    const result = renderTemplate('${greeting}, ${name}! ${rtl}', {
      greeting: 'こんにちは',
      name: 'Zoë 👩🏽‍⚕️',
      rtl: 'مرحبا ${greeting}',
    });
    expect(result.text).toBe('こんにちは, Zoë 👩🏽‍⚕️! مرحبا ${greeting}');
  });

  it('handles special replacement patterns in values literally ($&, $1)', () => {
    expect(renderTemplate('x=${v}', { v: '$& $1 $$' }).text).toBe('x=$& $1 $$');
  });

  it('lists placeholders without values', () => {
    expect(placeholders('${a} $${b} ${c} ${a}')).toEqual(['a', 'c']);
  });
});

describe('resolving an arm', () => {
  it('fills system prompt, earlier turns and the new input, which comes last as the user', () => {
    const resolved = resolveArm(
      arm({
        system: 'You advise on ${topic}.',
        history: [
          { role: 'user', text: 'Hi, I am ${name}.' },
          { role: 'assistant', text: 'Hello ${name}.' },
        ],
        template: 'Tell me about ${topic}.',
        inference: { temperature: 0.2 },
      }),
      [
        { name: 'topic', value: 'hiring' },
        { name: 'name', value: 'Ana' },
      ],
    );
    expect(resolved.request).toEqual({
      system: 'You advise on hiring.',
      messages: [
        { role: 'user', text: 'Hi, I am Ana.' },
        { role: 'assistant', text: 'Hello Ana.' },
        { role: 'user', text: 'Tell me about hiring.' },
      ],
      inference: { temperature: 0.2 },
    });
    expect(resolved.used).toEqual(['topic', 'name']);
  });
});

describe('checking a configuration before a run', () => {
  it('reports missing per arm, unused and duplicate variables, and empty prompts', () => {
    const problems = checkConfig({
      variables: [
        { name: 'role', value: 'nurse' },
        { name: 'unused', value: 'x' },
        { name: 'role', value: 'doctor' },
      ],
      arms: arms(arm({ template: 'Describe a ${role}' }), arm({ template: 'Describe a ${role} from ${place}' }), arm({ template: '   ' })),
    });
    expect(problems.missing).toEqual([[], ['place'], []]);
    expect(problems.unused).toEqual(['unused']);
    expect(problems.duplicates).toEqual(['role']);
    expect(problems.emptyPrompts).toEqual([2]);
    expect(problems.ok).toBe(false);
  });

  it('is ok when every placeholder is defined; variables used only in a system prompt count as used', () => {
    const problems = checkConfig({
      variables: [{ name: 'tone', value: 'calm' }],
      arms: arms(arm({ template: 'Hi' }), arm({ system: 'Be ${tone}.', template: 'Hi' })),
    });
    expect(problems.ok).toBe(true);
    expect(problems.unused).toEqual([]);
  });

  it('needs a mitigated arm beside the baseline: one arm alone cannot run', () => {
    const alone = checkConfig({ variables: [], arms: [arm({ template: 'Hi' })] });
    expect(alone.needsMitigatedArm).toBe(true);
    expect(alone.ok).toBe(false);
    expect(checkConfig({ variables: [], arms: arms(arm({ template: 'Hi' }), arm({ template: 'Hi' })) }).needsMitigatedArm).toBe(false);
  });
});
