/**
 * Reads a Parallax bundle (a JSON object whose `runs` array may hold 100,000 runs) from a stream
 * of bytes without holding the file: a byte scanner finds where each top-level field and each
 * element of `runs` begins and ends (tracking strings, escapes and depth), and hands each one's
 * text to JSON.parse on its own. Memory is bounded by the largest single run (MAX_RUN_BYTES),
 * never by the file. It also refuses what would hurt a recursive reader later: nesting deeper
 * than MAX_DEPTH is refused with where it happens ("runs[3].scores[0].details…: nests more than
 * 64 levels deep").
 */
import { AppError } from '../../../shared/errors';

/** A single run's JSON may be this large (10 MB texts per arm fit); a larger one is refused. */
export const MAX_RUN_BYTES = 256 * 1024 * 1024;
/** Any other top-level field (experiments, packs, collections) may be this large. */
export const MAX_FIELD_BYTES = 256 * 1024 * 1024;
/** Objects and arrays nest at most this deep (a run record itself uses about 8 levels). */
export const MAX_DEPTH = 64;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;

function bad(message: string, details?: string): AppError {
  return new AppError('bad_input', message, details);
}

export interface ScannerHandlers {
  /** A top-level field other than runs, with its parsed value. */
  field(key: string, value: unknown): void | Promise<void>;
  /** One element of runs, parsed. */
  run(value: unknown, index: number): void | Promise<void>;
}

type Where = { key: string } | { index: number };

type State = 'start' | 'keyOrEnd' | 'key' | 'colon' | 'value' | 'afterField' | 'elementOrEnd' | 'element' | 'afterElement' | 'collect' | 'done';

const isSpace = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

export class BundleScanner {
  private state: State = 'start';
  /** What the value being collected is: a top-level field's value, or an element of runs. */
  private collectingRun = false;
  private key = '';
  private keyBytes: number[] = [];
  private keyEscape = false;
  private fields = 0;
  // The value being collected.
  private pieces: Buffer[] = [];
  private size = 0;
  private fromLine = 0;
  private primitive = false;
  private inString = false;
  private escape = false;
  private depth = 0;
  private path: Where[] = [];
  private expectKey: boolean[] = [];
  private keyCollect: number[] | null = null;
  private runIndex = 0;
  private line = 1;
  private first = true;

  constructor(private readonly handlers: ScannerHandlers) {}

  /** How many runs were read. */
  get runs(): number {
    return this.runIndex;
  }

  private name(): string {
    return this.collectingRun ? `runs[${this.runIndex}]` : this.key;
  }

  private pathText(): string {
    let out = this.name();
    for (const part of this.path) out += 'key' in part ? `.${part.key}` : `[${part.index}]`;
    return out;
  }

  private unexpected(byte: number): AppError {
    return bad(`The file is not valid JSON at line ${this.line}: unexpected “${String.fromCharCode(byte)}”.`);
  }

  /** Feeds the next piece of the file. */
  async push(chunk: Buffer): Promise<void> {
    let start = 0;
    if (this.first && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) start = 3;
    if (chunk.length > 0) this.first = false;
    let segment = start;
    // Where the next quote and backslash are (-1: none left in this chunk), found lazily.
    let nextQuote = start - 1;
    let nextSlash = start - 1;
    if (start === 0) {
      nextQuote = -2;
      nextSlash = -2;
    }
    for (let i = start; i < chunk.length; i += 1) {
      const byte = chunk[i]!;
      if (byte === NEWLINE) this.line += 1;
      if (this.state === 'collect' && this.inString && !this.escape && this.keyCollect === null) {
        // Fast path through a string's content: jump to its next quote or backslash (JSON
        // strings hold no raw newline, so no line is skipped uncounted).
        if (nextQuote !== -1 && nextQuote < i) nextQuote = chunk.indexOf(QUOTE, i);
        if (nextSlash !== -1 && nextSlash < i) nextSlash = chunk.indexOf(BACKSLASH, i);
        const next = nextQuote === -1 ? nextSlash : nextSlash === -1 ? nextQuote : Math.min(nextQuote, nextSlash);
        if (next === -1) break;
        if (next > i) {
          i = next - 1;
          continue;
        }
      }
      if (this.state === 'collect') {
        const end = this.collectByte(byte);
        if (end === 'continue') continue;
        // 'after': the value ends with this byte; 'before': it ended just before it (a primitive).
        await this.finish(chunk.subarray(segment, end === 'after' ? i + 1 : i));
        segment = i + 1;
        if (end === 'after') continue;
      }
      if (this.state === 'key') {
        if (this.keyEscape) this.keyEscape = false;
        else if (byte === BACKSLASH) this.keyEscape = true;
        else if (byte === QUOTE) {
          this.key = JSON.parse(`"${Buffer.from(this.keyBytes).toString('utf8')}"`) as string;
          this.state = 'colon';
          continue;
        }
        if (this.keyBytes.length > 1000) throw bad(`The file is not a Parallax export: a field name at line ${this.line} is too long.`);
        this.keyBytes.push(byte);
        continue;
      }
      if (isSpace(byte)) continue;
      switch (this.state) {
        case 'start':
          if (byte !== OPEN_OBJECT) throw bad('This is not a Parallax export: the file does not hold a JSON object.');
          this.state = 'keyOrEnd';
          break;
        case 'keyOrEnd':
          if (byte === CLOSE_OBJECT && this.fields === 0) this.state = 'done';
          else if (byte === QUOTE) {
            this.keyBytes = [];
            this.state = 'key';
          } else throw this.unexpected(byte);
          break;
        case 'colon':
          if (byte !== COLON) throw this.unexpected(byte);
          this.state = 'value';
          break;
        case 'value':
          this.fields += 1;
          if (this.key === 'runs' && byte === OPEN_ARRAY) this.state = 'elementOrEnd';
          else {
            this.begin(byte, false);
            segment = i;
          }
          break;
        case 'afterField':
          if (byte === COMMA) this.state = 'keyOrEnd';
          else if (byte === CLOSE_OBJECT) this.state = 'done';
          else throw this.unexpected(byte);
          break;
        case 'elementOrEnd':
        case 'element':
          if (byte === CLOSE_ARRAY && this.state === 'elementOrEnd') this.state = 'afterField';
          else {
            this.begin(byte, true);
            segment = i;
          }
          break;
        case 'afterElement':
          if (byte === COMMA) this.state = 'element';
          else if (byte === CLOSE_ARRAY) this.state = 'afterField';
          else throw this.unexpected(byte);
          break;
        case 'done':
          throw bad(`The file has more after its JSON object ends (line ${this.line}).`);
        default:
          throw this.unexpected(byte);
      }
      if ((this.state as State) === 'collect') {
        // The value's first byte: a string, an object or array, or a primitive.
        this.collectFirst(byte);
      }
    }
    if (this.state === 'collect') this.append(chunk.subarray(segment));
  }

  private begin(byte: number, run: boolean): void {
    this.state = 'collect';
    this.collectingRun = run;
    this.pieces = [];
    this.size = 0;
    this.fromLine = this.line;
    this.primitive = false;
    this.inString = false;
    this.escape = false;
    this.depth = 0;
    this.path = [];
    this.expectKey = [];
    this.keyCollect = null;
    void byte;
  }

  private collectFirst(byte: number): void {
    if (byte === QUOTE) this.inString = true;
    else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) this.open(byte);
    else this.primitive = true;
  }

  private open(byte: number): void {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) {
      throw bad(
        `${this.pathText()}: nests more than ${MAX_DEPTH} levels deep (line ${this.line}). Parallax reads up to ${MAX_DEPTH} levels; remove that part of the file or export it again from Parallax.`,
      );
    }
    this.path.push(byte === OPEN_OBJECT ? { key: '' } : { index: 0 });
    this.expectKey.push(byte === OPEN_OBJECT);
  }

  /** One byte of the value after its first: where the value ends, if it does. */
  private collectByte(byte: number): 'continue' | 'after' | 'before' {
    if (this.inString) {
      if (this.escape) this.escape = false;
      else if (byte === BACKSLASH) this.escape = true;
      else if (byte === QUOTE) {
        this.inString = false;
        if (this.keyCollect) {
          const top = this.path.at(-1);
          if (top && 'key' in top) top.key = Buffer.from(this.keyCollect).toString('utf8');
          this.keyCollect = null;
        }
        if (this.depth === 0) return 'after';
      } else if (this.keyCollect && this.keyCollect.length < 100) this.keyCollect.push(byte);
      return 'continue';
    }
    if (this.primitive) {
      return isSpace(byte) || byte === COMMA || byte === CLOSE_OBJECT || byte === CLOSE_ARRAY ? 'before' : 'continue';
    }
    switch (byte) {
      case QUOTE:
        this.inString = true;
        if (this.expectKey.at(-1) === true) {
          this.expectKey[this.expectKey.length - 1] = false;
          this.keyCollect = [];
        }
        break;
      case OPEN_OBJECT:
      case OPEN_ARRAY:
        this.open(byte);
        break;
      case CLOSE_OBJECT:
      case CLOSE_ARRAY:
        this.depth -= 1;
        this.path.pop();
        this.expectKey.pop();
        if (this.depth === 0) return 'after';
        break;
      case COMMA: {
        const top = this.path.at(-1);
        if (top && 'index' in top) top.index += 1;
        else if (top) this.expectKey[this.expectKey.length - 1] = true;
        break;
      }
      default:
    }
    return 'continue';
  }

  private append(piece: Buffer): void {
    if (piece.length === 0) return;
    this.size += piece.length;
    const limit = this.collectingRun ? MAX_RUN_BYTES : MAX_FIELD_BYTES;
    if (this.size > limit) {
      throw bad(
        `${this.name()}: more than ${Math.round(limit / 1024 / 1024)} MB in one ${this.collectingRun ? 'run' : 'field'} (from line ${this.fromLine}). Parallax imports runs up to that size.`,
      );
    }
    // A copy: the stream may reuse the chunk's memory.
    this.pieces.push(Buffer.from(piece));
  }

  private async finish(last: Buffer): Promise<void> {
    this.append(last);
    const text = Buffer.concat(this.pieces).toString('utf8');
    this.pieces = [];
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw bad(`The file is not valid JSON in ${this.name()} (from line ${this.fromLine}): ${message.replace(/^SyntaxError: /, '')}.`, message);
    }
    if (this.collectingRun) {
      this.state = 'afterElement';
      await this.handlers.run(value, this.runIndex);
      this.runIndex += 1;
    } else {
      this.state = 'afterField';
      await this.handlers.field(this.key, value);
    }
  }

  /** The file ended: anything unfinished means it was cut short. */
  async end(): Promise<void> {
    if (this.state === 'collect' && this.primitive) await this.finish(Buffer.alloc(0));
    if (this.state === 'start') throw bad('The file holds no data.');
    if (this.state !== 'done') {
      throw bad(`The file is truncated: its JSON ends early (line ${this.line}). It may not have finished saving or copying.`);
    }
  }
}
