import { describe, expect, it } from 'vitest';
import { combinePairwise, readReply, readWinner, toPreference } from '../../../electron/services/judges';

describe('pairwise order swap', () => {
  it('maps letters to arms by order', () => {
    expect(toPreference('A', 'baseline-first')).toBe('baseline');
    expect(toPreference('B', 'baseline-first')).toBe('arm');
    expect(toPreference('A', 'arm-first')).toBe('arm');
    expect(toPreference('B', 'arm-first')).toBe('baseline');
    expect(toPreference('tie', 'arm-first')).toBe('tie');
  });

  it('a winner must win in both orders; any disagreement is a tie', () => {
    expect(combinePairwise('B', 'A')).toBe('arm');
    expect(combinePairwise('A', 'B')).toBe('baseline');
    // Position bias: the judge picks whatever it reads first (or second) both times.
    expect(combinePairwise('A', 'A')).toBe('tie');
    expect(combinePairwise('B', 'B')).toBe('tie');
    expect(combinePairwise('B', 'tie')).toBe('tie');
    expect(combinePairwise('tie', 'tie')).toBe('tie');
  });

  it('reads the winner from tool input, JSON, [[A]] and prose', () => {
    expect(readWinner(readReply({ winner: 'Response B' }, ''))).toBe('B');
    expect(readWinner(readReply(undefined, 'Final verdict: [[A]]'))).toBe('A');
    expect(readWinner(readReply(undefined, 'Overall, Answer B is better because it is specific.'))).toBe('B');
    expect(readWinner(readReply(undefined, '{"winner": "tie"}'))).toBe('tie');
    expect(() => readWinner(readReply({ winner: 'the second one' }, ''))).toThrow(/named no winner/);
  });
});
