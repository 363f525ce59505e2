import { describe, expect, it } from 'vitest';
import { applyTechnique, BUILT_IN_TECHNIQUES, cleanRewrite, findTechnique, TechniqueInput } from '../../../shared/techniques';
import { renderTemplate } from '../../../shared/templates';

const byId = (id: string) => findTechnique(BUILT_IN_TECHNIQUES, id)!;

describe('the technique library', () => {
  it('ships the six workshop techniques, each with an explanation a trainee can read', () => {
    expect(BUILT_IN_TECHNIQUES.map((t) => t.id)).toEqual([
      'plain',
      'system-framing',
      'bias-guard',
      'neutral-rephrasing',
      'balanced-perspectives',
      'specify-scope',
    ]);
    for (const technique of BUILT_IN_TECHNIQUES) {
      expect(technique.builtIn).toBe(true);
      expect(technique.explanation.length).toBeGreaterThan(120);
      expect(technique.wrap.split('{{prompt}}')).toHaveLength(2);
      expect(TechniqueInput.safeParse(technique).success).toBe(true);
    }
  });

  it('plain leaves the prompt alone', () => {
    expect(applyTechnique(byId('plain'), { system: '', template: 'Describe a ${role}.' })).toEqual({
      technique: 'plain',
      system: '',
      template: 'Describe a ${role}.',
    });
  });

  it('system framing sets a system prompt and keeps one the conversation already had', () => {
    const applied = applyTechnique(byId('system-framing'), { system: 'You work for a hospital.', template: 'Q' });
    expect(applied.template).toBe('Q');
    expect(applied.system.startsWith('You work for a hospital.\n\nYou are a fair, careful assistant.')).toBe(true);
  });

  it('the bias guard wraps the request and tells the model to decline discriminatory requests', () => {
    const applied = applyTechnique(byId('bias-guard'), { system: '', template: 'Who is smarter, ${a} or ${b}?' });
    expect(applied.system).toBe('');
    expect(applied.template).toMatch(/free from bias and stereotypes/);
    expect(applied.template).toMatch(/discriminatory.*decline/s);
    expect(applied.template.endsWith('Request: Who is smarter, ${a} or ${b}?')).toBe(true);
    // the arm's placeholders survive the wrapping
    expect(renderTemplate(applied.template, { a: 'cats', b: 'dogs' }).missing).toEqual([]);
  });

  it('balanced perspectives asks for benefits and drawbacks after the request', () => {
    const applied = applyTechnique(byId('balanced-perspectives'), { system: '', template: 'Should we hire remotely?' });
    expect(applied.template.startsWith('Should we hire remotely?\n\n')).toBe(true);
    expect(applied.template).toMatch(/benefits and the drawbacks/);
  });

  it('specifying the scope adds placeholders the editor asks the user to define', () => {
    const applied = applyTechnique(byId('specify-scope'), { system: '', template: 'Describe a typical CEO.' });
    expect(renderTemplate(applied.template, {}).missing).toEqual(['audience', 'context']);
  });

  it('only the first {{prompt}} is filled, and a wrapper without one falls back to the request', () => {
    expect(applyTechnique({ id: 'x', system: '', wrap: 'A {{prompt}} B {{prompt}}' }, { system: '', template: 'Q' }).template).toBe('A Q B {{prompt}}');
    expect(applyTechnique({ id: 'x', system: '', wrap: 'no slot' }, { system: '', template: 'Q' }).template).toBe('Q');
  });

  it('a user technique must hold {{prompt}} exactly once', () => {
    expect(TechniqueInput.safeParse({ name: 'Mine', wrap: 'Please: {{prompt}}' }).success).toBe(true);
    expect(TechniqueInput.safeParse({ name: 'Mine', wrap: 'Please answer' }).success).toBe(false);
    expect(TechniqueInput.safeParse({ name: 'Mine', wrap: '{{prompt}}{{prompt}}' }).success).toBe(false);
    expect(TechniqueInput.parse({ name: 'Mine' }).wrap).toBe('{{prompt}}');
  });

  it('cleans a model rewrite of quotes, fences and labels', () => {
    expect(cleanRewrite('"What affects nursing career choices?"')).toBe('What affects nursing career choices?');
    expect(cleanRewrite('Rewritten prompt: Describe a ${role}.')).toBe('Describe a ${role}.');
    expect(cleanRewrite('```\nDescribe it.\n```')).toBe('Describe it.');
  });
});
