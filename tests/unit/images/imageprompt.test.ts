import { describe, expect, it } from 'vitest';
import { extractImagePrompt } from '../../../shared/images';

describe('extractImagePrompt', () => {
  it('takes the prompt inside the tag, trimmed', () => {
    expect(extractImagePrompt('Thanks! <imageprompt>\n A nurse in her 50s, South Asian, in a busy ward \n</imageprompt>')).toEqual({
      found: true,
      prompt: 'A nurse in her 50s, South Asian, in a busy ward',
      count: 1,
    });
  });

  it('says none when the model asked a question instead', () => {
    expect(extractImagePrompt('Should the doctor be a man, a woman, or should I leave that open?')).toEqual({ found: false, reason: 'none' });
  });

  it('uses the last of several tags', () => {
    const result = extractImagePrompt('<imageprompt>first draft</imageprompt> no wait: <IMAGEPROMPT>final prompt</IMAGEPROMPT>');
    expect(result).toEqual({ found: true, prompt: 'final prompt', count: 2 });
  });

  it('ignores tags inside fenced code blocks and inline code', () => {
    const text = [
      'I will write it like this:',
      '```',
      '<imageprompt>an example inside a fence</imageprompt>',
      '```',
      'or `<imageprompt>inline example</imageprompt>`.',
      '<imageprompt>the real one</imageprompt>',
    ].join('\n');
    expect(extractImagePrompt(text)).toEqual({ found: true, prompt: 'the real one', count: 1 });
  });

  it('finds nothing when the only tag is inside an unterminated fence', () => {
    expect(extractImagePrompt('~~~\n<imageprompt>inside</imageprompt>\n')).toEqual({ found: false, reason: 'none' });
  });

  it('reports an unclosed tag and an empty tag', () => {
    expect(extractImagePrompt('<imageprompt>a doctor with')).toEqual({ found: false, reason: 'unclosed' });
    expect(extractImagePrompt('<imageprompt>  </imageprompt>')).toEqual({ found: false, reason: 'empty' });
  });

  it('keeps non-ASCII text exactly', () => {
    expect(extractImagePrompt('<imageprompt>Ärztin, 60 Jahre, lächelnd — 医者</imageprompt>')).toMatchObject({ prompt: 'Ärztin, 60 Jahre, lächelnd — 医者' });
  });
});
