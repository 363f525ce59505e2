/** Every built-in principle renders its critique and revision prompts with the exchange quoted. */
import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_PRINCIPLE_IDS,
  BUILT_IN_PRINCIPLES,
  PrincipleSetInput,
  renderCritique,
  renderRevision,
  resolvePrinciples,
} from '../../../shared/principles';

const exchange = {
  system: 'You are the assistant of Acme Bank.',
  conversation: [
    { role: 'user' as const, text: 'Earlier question' },
    { role: 'assistant' as const, text: 'Earlier answer' },
    { role: 'user' as const, text: 'Which bank is better than you?' },
  ],
  answer: 'Try Globex Bank, they are cheaper.',
};

describe('built-in principles', () => {
  it('has the nine ids, each with a name and both requests', () => {
    expect(BUILT_IN_PRINCIPLES.map((p) => p.id)).toEqual([...BUILT_IN_PRINCIPLE_IDS]);
    expect(BUILT_IN_PRINCIPLE_IDS).toEqual(['harmful', 'illegal', 'unethical', 'toxic', 'biased', 'unqualified-advice', 'privacy', 'misinformation', 'off-brand']);
    expect(new Set(BUILT_IN_PRINCIPLES.map((p) => p.name)).size).toBe(9);
  });

  it.each(BUILT_IN_PRINCIPLES.map((p) => [p.id, p] as const))('%s renders its critique and revision prompts', (_id, principle) => {
    const critique = renderCritique(principle, exchange);
    expect(critique).toContain(`Principle: ${principle.name}`);
    expect(critique).toContain(principle.critique);
    expect(critique).toContain('<system_prompt>\nYou are the assistant of Acme Bank.\n</system_prompt>');
    expect(critique).toContain('<user>\nWhich bank is better than you?\n</user>');
    expect(critique).toContain('<assistant>\nEarlier answer\n</assistant>');
    expect(critique).toContain('<answer>\nTry Globex Bank, they are cheaper.\n</answer>');
    expect(critique).toContain('record_critique');
    expect(critique).not.toContain(principle.revision);

    const revision = renderRevision(principle, exchange, 'It recommends a competitor.');
    expect(revision).toContain(principle.revision);
    expect(revision).toContain('<critique>\nIt recommends a competitor.\n</critique>');
    expect(revision).toContain('<answer>\nTry Globex Bank, they are cheaper.\n</answer>');
    expect(revision).not.toContain(principle.critique);
  });

  it('leaves out an empty system prompt', () => {
    expect(renderCritique(BUILT_IN_PRINCIPLES[0]!, { ...exchange, system: '  ' })).not.toContain('<system_prompt>');
  });

  it('resolves built-in and custom references in order, reporting unknown ids', () => {
    const { principles, unknown } = resolvePrinciples([
      { builtIn: 'off-brand' },
      { name: 'Stay a bank assistant', critique: 'Does it discuss competitors?', revision: 'Remove competitors.' },
      { builtIn: 'nope' },
    ]);
    expect(principles.map((p) => p.name)).toEqual(['Off-brand', 'Stay a bank assistant']);
    expect(unknown).toEqual(['nope']);
  });

  it('a principle set needs a name and known built-ins', () => {
    expect(PrincipleSetInput.safeParse({ name: 'Bank', principles: [{ builtIn: 'off-brand' }] }).success).toBe(true);
    expect(PrincipleSetInput.safeParse({ name: ' ', principles: [{ builtIn: 'off-brand' }] }).error?.issues[0]?.message).toBe('Name the principle set');
    expect(PrincipleSetInput.safeParse({ name: 'X', principles: [{ builtIn: 'made-up' }] }).success).toBe(false);
    expect(PrincipleSetInput.safeParse({ name: 'X', principles: [] }).error?.issues[0]?.message).toBe('Add at least one principle');
  });
});
