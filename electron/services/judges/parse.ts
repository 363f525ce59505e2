/**
 * Reading a judge's reply when it did not (or could not) call the tool: JSON in prose, in a
 * code fence, with trailing commas or Python literals, wrapped in a tool-call envelope, or
 * plain "Verdict: PASS" lines. Each evaluator then reads the fields it needs with the loose
 * accessors below and throws JudgeReplyError when they are not there.
 */

export class JudgeReplyError extends Error {
  constructor(
    message: string,
    readonly reply?: string,
  ) {
    super(message);
    this.name = 'JudgeReplyError';
  }
}

export type Loose = Record<string, unknown>;

function isRecord(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON.parse, then again after common repairs; undefined when neither parses. */
function tryParse(candidate: string): unknown {
  const attempts = [candidate, repair(candidate)];
  const quoted = repair(candidate).replace(/'([^'\\\n]*)'/g, '"$1"');
  attempts.push(quoted);
  for (const attempt of attempts) {
    try {
      return JSON.parse(attempt);
    } catch {
      // next attempt
    }
  }
  return undefined;
}

function repair(text: string): string {
  return text
    .replace(/[\u201c\u201d\u201e\u201f]/g, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/,\s*([}\]])/g, '$1')
    .replace(/\bTrue\b/g, 'true')
    .replace(/\bFalse\b/g, 'false')
    .replace(/\bNone\b/g, 'null');
}

/** The substring from `start` (a `{` or `[`) to its matching bracket, skipping strings. */
function balanced(text: string, start: number): string | undefined {
  const open = text[start];
  const close = open === '{' ? '}' : ']';
  let depth = 0;
  let quote: string | null = null;
  for (let i = start; i < text.length; i += 1) {
    const char = text[i]!;
    if (quote) {
      if (char === '\\') i += 1;
      else if (char === quote) quote = null;
      continue;
    }
    if (char === '"' || char === '\u201c' || char === '\u201d') quote = char === '"' ? '"' : '\u201d';
    else if (char === open) depth += 1;
    else if (char === close) {
      depth -= 1;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return undefined;
}

/** Unwraps `{"name": "record_x", "arguments": {...}}`-style tool-call envelopes models print as text. */
export function unwrapToolCall(value: unknown): unknown {
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  for (const inner of ['arguments', 'parameters', 'input', 'args']) {
    const candidate = value[inner];
    if (keys.includes(inner) && (keys.includes('name') || keys.includes('tool') || keys.length === 1)) {
      if (isRecord(candidate)) return candidate;
      if (typeof candidate === 'string') {
        const parsed = tryParse(candidate);
        if (isRecord(parsed)) return parsed;
      }
    }
  }
  return value;
}

/** The first JSON object found in the text (whole text, fenced blocks, then any `{...}`). */
export function extractJson(text: string): Loose | undefined {
  const trimmed = text.trim();
  const candidates: string[] = [];
  if (trimmed.startsWith('{')) candidates.push(trimmed);
  for (const match of trimmed.matchAll(/```[a-zA-Z]*\s*\n?([\s\S]*?)```/g)) candidates.push(match[1]!.trim());
  for (let i = trimmed.indexOf('{'); i !== -1; i = trimmed.indexOf('{', i + 1)) {
    const block = balanced(trimmed, i);
    if (block) candidates.push(block);
  }
  for (const candidate of candidates) {
    const parsed = unwrapToolCall(tryParse(candidate));
    if (isRecord(parsed)) return parsed;
  }
  return undefined;
}

function normalizeKey(key: string): string {
  return key
    .trim()
    .toLowerCase()
    .replace(/[*_`#"']/g, ' ')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** "Verdict: PASS" / "**Score**: 4/5" / "- toxicity = 0.1" lines as a record with normalised keys. */
export function keyValueLines(text: string): Loose {
  const result: Loose = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:[-*•]\s*)?(?:\d+[.)]\s*)?([A-Za-z*_`"' ][A-Za-z0-9 _*`"'-]{0,40}?)\s*[:=]\s*(.+?)\s*$/.exec(line);
    if (!match) continue;
    const key = normalizeKey(match[1]!);
    if (key && !(key in result)) result[key] = match[2]!.replace(/^[*`"']+|[*`"'.]+$/g, '').trim();
  }
  return result;
}

/** What a judge said: the structured object (tool input or recovered JSON or key lines) and the raw text. */
export interface JudgeReply {
  data: Loose;
  text: string;
  /** true when the model used the tool. */
  structured: boolean;
}

export function readReply(toolInput: unknown, text: string): JudgeReply {
  const unwrapped = unwrapToolCall(toolInput);
  if (isRecord(unwrapped)) return { data: unwrapped, text, structured: true };
  const json = extractJson(text);
  if (json) return { data: json, text, structured: false };
  return { data: keyValueLines(text), text, structured: false };
}

/** Case- and punctuation-insensitive field lookup; the first alias present wins. */
export function pick(data: Loose, ...aliases: string[]): unknown {
  const normalized = new Map(Object.entries(data).map(([key, value]) => [normalizeKey(key), value]));
  for (const alias of aliases) {
    const value = normalized.get(normalizeKey(alias));
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

const TRUE_WORDS = /^(true|yes|y|pass|passed|passes|ok|faithful|relevant|correct|compliant|supported|1)\b/i;
const FALSE_WORDS = /^(false|no|n|fail|failed|fails|unfaithful|not[ _-]?faithful|irrelevant|not[ _-]?relevant|incorrect|non[ _-]?compliant|unsupported|not[ _-]?supported|0)\b/i;

export function asBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim().replace(/^[*`"'[(]+/, '');
  if (FALSE_WORDS.test(text)) return false;
  if (TRUE_WORDS.test(text)) return true;
  return undefined;
}

/** 4, "4", "4/5", "4 out of 5", "0.3", "30%". */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /(-?\d+(?:\.\d+)?)\s*(%)?/.exec(value);
  if (!match) return undefined;
  const number = Number(match[1]);
  if (!Number.isFinite(number)) return undefined;
  return match[2] ? number / 100 : number;
}

export function asText(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

/** A short, single-line preview of a reply for error messages. */
export function preview(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(an empty reply)';
  return flat.length > max ? `“${flat.slice(0, max)}…”` : `“${flat}”`;
}

/** The reasoning/feedback field under its usual names, or the reply text when there is none. */
export function reasoningOf(reply: JudgeReply): string {
  const value = pick(reply.data, 'reasoning', 'reason', 'explanation', 'rationale', 'feedback', 'justification', 'analysis');
  if (value !== undefined) return asText(value);
  return reply.structured ? '' : reply.text.trim();
}
