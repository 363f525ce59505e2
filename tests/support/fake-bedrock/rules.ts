/** The ordered rule list: which scripted outcome answers a request. */
import type { FakeOperation, FakeRule } from './types';

export interface RequestFacts {
  operation: FakeOperation;
  /** The model id, or the guardrail id for ApplyGuardrail. */
  target?: string;
  text: string;
  /** ApplyGuardrail's source (INPUT / OUTPUT). */
  source?: string;
}

type Outcome = 'reply' | 'body' | 'error' | 'streamError' | 'drop';
const OUTCOMES: readonly Outcome[] = ['reply', 'body', 'error', 'streamError', 'drop'];

/** Which operations each outcome can answer; a rule whose outcome does not fit is skipped. */
const FITS: Record<Outcome | 'paceOnly', readonly FakeOperation[] | 'all'> = {
  reply: ['Converse', 'ConverseStream', 'InvokeModel'],
  body: ['Converse', 'InvokeModel', 'ApplyGuardrail', 'ListFoundationModels', 'ListInferenceProfiles', 'ListGuardrails'],
  error: 'all',
  drop: 'all',
  streamError: ['ConverseStream'],
  paceOnly: ['Converse', 'ConverseStream'],
};

function outcomesOf(rule: FakeRule): Outcome[] {
  return OUTCOMES.filter((outcome) => rule[outcome] !== undefined);
}

function matches(pattern: string | RegExp | undefined, value: string | undefined): boolean {
  if (pattern === undefined) return true;
  if (value === undefined) return false;
  if (typeof pattern === 'string') return value.includes(pattern);
  pattern.lastIndex = 0; // a /g or /y regex would otherwise remember the last match
  return pattern.test(value);
}

/** Throws on a rule that could never do what its author meant. */
export function validateRule(rule: FakeRule): void {
  const outcomes = outcomesOf(rule);
  if (outcomes.length > 1) throw new Error(`fake-bedrock: a rule takes exactly one outcome, got ${outcomes.join(' + ')}`);
  if (outcomes.length === 0 && rule.pace === undefined) throw new Error('fake-bedrock: a rule needs an outcome (reply, body, error, streamError, drop) or a pace');
  const fit = FITS[outcomes[0] ?? 'paceOnly'];
  const operations = rule.operation === undefined ? [] : [rule.operation].flat();
  if (fit !== 'all' && operations.length > 0 && !operations.some((operation) => fit.includes(operation))) {
    throw new Error(`fake-bedrock: ${outcomes[0] ?? 'a pace-only rule'} cannot answer ${operations.join(', ')}`);
  }
  if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 1)) throw new Error(`fake-bedrock: times must be a positive integer, got ${rule.times}`);
}

export class RuleBook {
  private rules: { rule: FakeRule; remaining: number }[] = [];

  add(rule: FakeRule): void {
    validateRule(rule);
    this.rules.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule that fits the request, consumed once; undefined when none fits. */
  take(facts: RequestFacts): FakeRule | undefined {
    const index = this.rules.findIndex(({ rule }) => this.fits(rule, facts));
    const entry = this.rules[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.rules.splice(index, 1);
    return entry.rule;
  }

  private fits(rule: FakeRule, facts: RequestFacts): boolean {
    const operations = rule.operation === undefined ? undefined : [rule.operation].flat();
    if (operations && !operations.includes(facts.operation)) return false;
    const outcome = outcomesOf(rule)[0] ?? 'paceOnly';
    const fit = FITS[outcome];
    if (fit !== 'all' && !fit.includes(facts.operation)) return false;
    if (rule.source !== undefined && rule.source !== facts.source) return false;
    return matches(rule.model, facts.target) && matches(rule.prompt, facts.text);
  }
}
