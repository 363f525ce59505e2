/** Joining a streaming sample's text read from its run with the deltas heard since (shared/runs/live-text.ts). */
import { describe, expect, it } from 'vitest';
import { applyDelta, applyRead, EMPTY_LIVE, type LiveText } from '../../../shared/runs/live-text';

const ANSWER = 'Nurses work long shifts and care for patients of every background.';

/** The answer cut into deltas at the given offsets: [at, text]. */
function deltas(cuts: number[]): [number, string][] {
  const points = [0, ...cuts, ANSWER.length];
  return points.slice(0, -1).map((at, i) => [at, ANSWER.slice(at, points[i + 1])]);
}

function play(start: LiveText, list: [number, string][]): LiveText {
  return list.reduce((live, [at, text]) => applyDelta(live, at, text).live, start);
}

describe('a streaming sample’s text', () => {
  it('grows from the start when the window watched from the first delta', () => {
    const live = play(EMPTY_LIVE, deltas([6, 20, 41]));
    expect(live).toEqual({ text: ANSWER, waiting: [] });
  });

  it('joins a read that overlaps the deltas heard, whichever arrives first', () => {
    const list = deltas([6, 20, 41]).slice(1); // watching began after the first delta
    // read first (it already holds 30 characters), then the deltas: no repeat
    expect(play(applyRead(EMPTY_LIVE, ANSWER.slice(0, 30)), list).text).toBe(ANSWER);
    // deltas first (they wait: nothing to join them to), then the read
    const waiting = play(EMPTY_LIVE, list);
    expect(waiting.text).toBeNull();
    expect(applyRead(waiting, ANSWER.slice(0, 12)).text).toBe(ANSWER);
  });

  it('keeps a delta beyond the known text until a read covers the gap, and says so', () => {
    const read = applyRead(EMPTY_LIVE, ANSWER.slice(0, 6));
    const { live, gap } = applyDelta(read, 20, ANSWER.slice(20, 41));
    expect(gap).toBe(true);
    expect(live.text).toBe(ANSWER.slice(0, 6));
    const after = applyDelta(live, 41, ANSWER.slice(41));
    expect(after.gap).toBe(true);
    expect(applyRead(after.live, ANSWER.slice(0, 25)).text).toBe(ANSWER);
  });

  it('never shortens the text with an older read, and starts afresh when a retried cell streams again', () => {
    const live = play(EMPTY_LIVE, deltas([6, 20]));
    expect(applyRead(live, ANSWER.slice(0, 10)).text).toBe(ANSWER);
    const retried = applyDelta(applyRead(live, ANSWER), 0, 'Retry');
    expect(retried.live.text).toBe('Retry');
    // a read of a different text (the arm re-ran) replaces it
    expect(applyRead({ text: 'Old answer', waiting: [] }, 'New').text).toBe('New');
  });
});
