/**
 * The text of a batch's cells as they stream (Compare's repeats, issue 13): the window joins the
 * text it read from the run (a prefix: main saves streamed chunks every ~100 ms) with the
 * `batch:delta` events it hears from the moment it watches, each carrying the offset it starts
 * at. Pure: the same text results whatever the order in which the read and the events arrive.
 *
 * - A delta at offset 0 starts the arm's text afresh (a retried cell streams again from nothing).
 * - A delta that starts within the known text extends it (what overlaps is already there).
 * - A delta that starts beyond it leaves a gap: it is kept until a read of the run covers the gap.
 */
export interface LiveText {
  /** The arm's text from its start, as far as known; null before any read or fresh start. */
  text: string | null;
  /** Deltas that could not be joined yet (a gap before them), in arrival order. */
  waiting: { at: number; text: string }[];
}

export const EMPTY_LIVE: LiveText = { text: null, waiting: [] };

function join(known: string, at: number, text: string): string | null {
  if (at > known.length) return null;
  if (at + text.length <= known.length) return known;
  return known.slice(0, at) + text;
}

/** Joins what can be joined of the waiting deltas, in order. */
function drain(text: string, waiting: LiveText['waiting']): LiveText {
  let current = text;
  const rest: LiveText['waiting'] = [];
  for (const delta of waiting) {
    if (delta.at === 0) {
      current = delta.text;
      rest.length = 0;
      continue;
    }
    const joined = rest.length === 0 ? join(current, delta.at, delta.text) : null;
    if (joined === null) rest.push(delta);
    else current = joined;
  }
  return { text: current, waiting: rest };
}

/** One streamed delta; `gap` says a read of the run is needed before the text can grow again. */
export function applyDelta(live: LiveText, at: number, text: string): { live: LiveText; gap: boolean } {
  if (at === 0) return { live: { text, waiting: [] }, gap: false };
  if (live.text === null || live.waiting.length > 0) {
    const next = live.text === null ? { text: null, waiting: [...live.waiting, { at, text }] } : drain(live.text, [...live.waiting, { at, text }]);
    return { live: next, gap: next.waiting.length > 0 };
  }
  const joined = join(live.text, at, text);
  if (joined === null) return { live: { text: live.text, waiting: [{ at, text }] }, gap: true };
  return { live: { text: joined, waiting: [] }, gap: false };
}

/** The text read from the run (a prefix of the stream): the longer of it and what is known wins, then the waiting deltas join. */
export function applyRead(live: LiveText, stored: string): LiveText {
  const known = live.text !== null && live.text.length >= stored.length && live.text.startsWith(stored) ? live.text : stored;
  return drain(known, live.waiting);
}
