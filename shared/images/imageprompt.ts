/**
 * The disambiguation chat's hand-off: the prompt-writer model asks about the people in the
 * picture until it knows enough, then writes the image prompt inside <imageprompt>…</imageprompt>.
 * Model output is untrusted text: tags quoted inside code (fenced blocks or inline code) are
 * examples, not the hand-off, and only a complete, non-empty tag counts.
 */

export type ImagePromptExtraction =
  | { found: true; prompt: string; /** complete tags outside code; the last one is used */ count: number }
  | { found: false; reason: 'none' | 'unclosed' | 'empty' };

const TAG = /<imageprompt>([\s\S]*?)<\/imageprompt>/gi;

/** Blanks out fenced code blocks and inline code spans (same length, so offsets stay put). */
function withoutCode(text: string): string {
  const blank = (match: string) => match.replace(/[^\n]/g, ' ');
  return text
    .replace(/^( {0,3})(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^\1?\2[`~]*[ \t]*$|(?![\s\S]))/gm, blank)
    .replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, blank);
}

export function extractImagePrompt(text: string): ImagePromptExtraction {
  const visible = withoutCode(text);
  const matches = [...visible.matchAll(TAG)];
  if (matches.length === 0) {
    return { found: false, reason: /<imageprompt>/i.test(visible) ? 'unclosed' : 'none' };
  }
  const prompts = matches.map((m) => text.slice(m.index! + '<imageprompt>'.length, m.index! + m[0].length - '</imageprompt>'.length).trim());
  const usable = prompts.filter((p) => p !== '');
  if (usable.length === 0) return { found: false, reason: 'empty' };
  return { found: true, prompt: usable.at(-1)!, count: usable.length };
}

/** The chat text a person reads: the hand-off tag shown as a labelled line instead of markup. */
export function describeImagePrompt(extraction: ImagePromptExtraction): string {
  if (extraction.found) return `Image prompt: ${extraction.prompt}`;
  if (extraction.reason === 'unclosed') return 'The prompt writer started an image prompt but did not finish it.';
  if (extraction.reason === 'empty') return 'The prompt writer wrote an empty image prompt.';
  return 'The prompt writer has not written an image prompt yet.';
}
