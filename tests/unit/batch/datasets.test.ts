/** Reading dataset files and checking rows before a batch runs (row and column named). */
import { describe, expect, it } from 'vitest';
import { checkRows, suggestMapping } from '../../../shared/datasets';
import { parseCsv, parseDataset, parseJsonl } from '../../../electron/services/batch/parse';

describe('CSV', () => {
  it('reads quoted values with commas, quotes and newlines, and a byte-order mark', () => {
    const parsed = parseCsv('\uFEFFquestion,reference\n"Who is a ""good"" scientist?","Anyone, really"\n"Two\nlines",x\n');
    expect(parsed.columns).toEqual(['question', 'reference']);
    expect(parsed.rows).toEqual([['Who is a "good" scientist?', 'Anyone, really'], ['Two\nlines', 'x']]);
  });

  it('refuses a malformed file with the row and column', () => {
    expect(() => parseCsv('a,b\n1,2\n3,"open\n')).toThrow(/row 2, column 2 \("b"\)/);
    expect(() => parseCsv('a,b\n1,2,3\n')).toThrow(/row 1, column 3/);
    expect(() => parseCsv('a,b,c\n1,2\n')).toThrow(/row 1, column 3 \("c"\)/);
    expect(() => parseCsv('a,a\n1,2\n')).toThrow(/Columns 1 and 2 are both named "a"/);
    expect(() => parseCsv('a,\n1,2\n')).toThrow(/Column 2 of the header has no name/);
    expect(() => parseCsv('')).toThrow(/empty/);
  });
});

describe('JSONL', () => {
  it('reads one object per line, numbers and booleans as text, blank lines skipped', () => {
    expect(parseJsonl('{"q":"a","n":1}\n\n{"q":"b","ok":true}\n')).toEqual({ columns: ['q', 'n', 'ok'], rows: [['a', '1', ''], ['b', '', 'true']] });
  });

  it('refuses a bad line with its row and line', () => {
    expect(() => parseJsonl('{"q":"a"}\n\n{"q":\n')).toThrow(/row 2 \(line 3/);
    expect(() => parseJsonl('[1,2]\n')).toThrow(/Row 1 \(line 1\) .* not a JSON object/);
    expect(() => parseJsonl('{"q":{"deep":1}}\n')).toThrow(/column "q" holds a list or an object/);
    expect(() => parseDataset('x'.repeat(10), 'jsonl')).toThrow(/not valid JSON/);
  });
});

describe('checking rows before running', () => {
  const columns = ['Topic', 'Audience', 'expected'];
  it('suggests a mapping from the headers', () => {
    expect(suggestMapping(columns, ['topic', 'audience', 'tone'])).toEqual({ variables: { topic: 'Topic', audience: 'Audience' }, reference: 'expected' });
  });

  it('lists variables without a column and empty values by row and column', () => {
    const mapping = { variables: { topic: 'Topic', audience: 'Audience', tone: 'Tone' }, reference: null };
    const { issues, total } = checkRows(columns, [['tides', 'kids', ''], ['', 'adults', 'x'], ['moon', ' ', '']], mapping, ['topic', 'audience', 'tone', 'style']);
    expect(total).toBe(4);
    expect(issues).toEqual([
      { row: null, column: 'Tone', message: '${tone} is mapped to "Tone", which this dataset does not have.' },
      { row: null, column: null, message: '${style} has no column. Choose the column that fills it.' },
      { row: 2, column: 'Topic', message: 'Row 2 has no value in "Topic" for ${topic}.' },
      { row: 3, column: 'Audience', message: 'Row 3 has no value in "Audience" for ${audience}.' },
    ]);
  });
});
