/**
 * Prompt templating with the workshop's `${name}` notation.
 *
 * The rule, in full:
 * - `${name}` is a placeholder when `name` is a variable name (ASCII letters, digits and `_`,
 *   not starting with a digit). It is replaced by the variable's value, verbatim.
 * - A placeholder whose variable is not defined stays in the text as written and is reported
 *   in `missing` (the editor refuses to run until it is defined).
 * - `$${` and `\${` are escapes: they produce a literal `${` and whatever follows stays
 *   literal too (`$${name}` → `${name}`, `\${name}` → `${name}`). This mirrors Python's
 *   `string.Template`, where `$$` is the escape, and the usual backslash escape.
 * - `${` followed by anything that is not a valid name and a `}` (e.g. `${first name}`,
 *   `${naïve}`) stays literal and is reported in `invalid`, so a typo never passes silently.
 * - Values are inserted once and never expanded again: a value that itself contains
 *   `${other}` (a prompt-injection payload, say) reaches the model exactly as typed.
 * - Values and templates may hold any Unicode; only names are ASCII.
 */
import type { ArmRequest, InferenceSettings, Turn, Variable } from './domain';
import { VARIABLE_NAME } from './domain';

export interface RenderResult {
  text: string;
  /** Variable names the template refers to, first use first, no repeats. */
  used: string[];
  /** Referenced names with no defined variable. */
  missing: string[];
  /** `${...}` bodies that are not valid names (left literal). */
  invalid: string[];
}

const TOKEN = /(\\\$\{|\$\$\{)|\$\{([^{}\n]*)\}/g;

function pushOnce(list: string[], value: string): void {
  if (!list.includes(value)) list.push(value);
}

export function renderTemplate(template: string, values: ReadonlyMap<string, string> | Record<string, string>): RenderResult {
  const lookup = values instanceof Map ? values : new Map(Object.entries(values));
  const used: string[] = [];
  const missing: string[] = [];
  const invalid: string[] = [];
  const text = template.replace(TOKEN, (whole, escape: string | undefined, body: string | undefined) => {
    if (escape) return '${';
    const name = body ?? '';
    if (!VARIABLE_NAME.test(name)) {
      pushOnce(invalid, name);
      return whole;
    }
    pushOnce(used, name);
    const value = lookup.get(name);
    if (value === undefined) {
      pushOnce(missing, name);
      return whole;
    }
    return value;
  });
  return { text, used, missing, invalid };
}

/** Names referenced by a template (valid placeholders only, escapes skipped). */
export function placeholders(template: string): string[] {
  return renderTemplate(template, new Map()).used;
}

function variableMap(variables: readonly Variable[]): Map<string, string> {
  return new Map(variables.map((v) => [v.name, v.value]));
}

export interface ResolvedArm {
  request: ArmRequest;
  used: string[];
  missing: string[];
  invalid: string[];
}

/**
 * What an arm actually sends: system prompt, earlier turns and the new input, each with its
 * placeholders filled in. The new input is always the last message, as the user.
 */
export function resolveArm(arm: { system?: string; history?: Turn[]; template: string; inference?: InferenceSettings }, variables: readonly Variable[]): ResolvedArm {
  const values = variableMap(variables);
  const used: string[] = [];
  const missing: string[] = [];
  const invalid: string[] = [];
  const render = (text: string): string => {
    const result = renderTemplate(text, values);
    result.used.forEach((name) => pushOnce(used, name));
    result.missing.forEach((name) => pushOnce(missing, name));
    result.invalid.forEach((name) => pushOnce(invalid, name));
    return result.text;
  };
  const system = render(arm.system ?? '');
  const messages: Turn[] = (arm.history ?? []).map((turn) => ({ role: turn.role, text: render(turn.text) }));
  messages.push({ role: 'user', text: render(arm.template) });
  return { request: { system, messages, inference: arm.inference ?? {} }, used, missing, invalid };
}
