/**
 * Mitigation techniques: the library shipped in resources/techniques.json plus the user's own
 * (stored in SQLite). A technique sets a system prompt and/or wraps the request; applying it is
 * a pure function of the technique and the prompt it starts from.
 */
import { z } from 'zod';
import builtIn from '../resources/techniques.json';

/** Where the original request goes inside a technique's wrapper. */
export const PROMPT_SLOT = '{{prompt}}';

export const TechniqueInput = z.object({
  id: z.string().min(1).max(80).optional(),
  name: z.string().trim().min(1, 'Give the technique a name').max(80),
  summary: z.string().trim().max(300).default(''),
  explanation: z.string().max(5_000).default(''),
  system: z.string().max(20_000).default(''),
  wrap: z
    .string()
    .max(20_000)
    .default(PROMPT_SLOT)
    .refine((wrap) => wrap.split(PROMPT_SLOT).length === 2, `The wrapper must contain ${PROMPT_SLOT} exactly once, where the request goes`),
});
export type TechniqueInput = z.input<typeof TechniqueInput>;

export interface Technique {
  id: string;
  name: string;
  summary: string;
  explanation: string;
  system: string;
  wrap: string;
  /** Shipped with the app (read-only) or saved by the user. */
  builtIn: boolean;
}

export const BUILT_IN_TECHNIQUES: readonly Technique[] = (builtIn as Omit<Technique, 'builtIn'>[]).map((t) => ({ ...t, builtIn: true }));

export const BASELINE_TECHNIQUE = 'plain';

/** The prompt a technique starts from: normally the baseline arm's. */
export interface TechniqueBase {
  system: string;
  template: string;
}

/**
 * Applies a technique to a starting prompt. The wrapper's {{prompt}} is replaced by the base
 * template (its own `${name}` placeholders survive, so the arm still uses the experiment's
 * variables). A technique's system prompt is added after the base's, so a conversation's own
 * setup is kept. Only the first {{prompt}} is filled (user techniques are validated to hold one).
 */
export function applyTechnique(technique: Pick<Technique, 'id' | 'system' | 'wrap'>, base: TechniqueBase): { technique: string; system: string; template: string } {
  const wrap = technique.wrap.includes(PROMPT_SLOT) ? technique.wrap : PROMPT_SLOT;
  const at = wrap.indexOf(PROMPT_SLOT);
  const template = wrap.slice(0, at) + base.template + wrap.slice(at + PROMPT_SLOT.length);
  const parts = [base.system.trim(), technique.system.trim()].filter((part) => part !== '');
  return { technique: technique.id, system: [...new Set(parts)].join('\n\n'), template };
}

export function findTechnique(techniques: readonly Technique[], id: string): Technique | undefined {
  return techniques.find((t) => t.id === id);
}

/** The instruction given to the model behind "Suggest a mitigation". */
export const SUGGEST_SYSTEM_PROMPT = [
  'You rewrite prompts so that they no longer contain loaded assumptions, stereotypes or leading framing,',
  'while keeping what the person actually wants to know. Keep the same language, keep placeholders written',
  'as ${name} exactly as they are, keep it about as short as the original, and specify what a vague request',
  'leaves open only when that is needed to avoid a stereotyped answer.',
  'Reply with the rewritten prompt only: no preamble, no quotes, no explanation.',
].join(' ');

/** Cleans a model's rewrite: strips wrapping quotes, code fences and a leading label. */
export function cleanRewrite(text: string): string {
  let out = text.trim();
  out = out.replace(/^```[a-z]*\n?([\s\S]*?)\n?```$/i, '$1').trim();
  out = out.replace(/^(rewritten prompt|rewrite|prompt)\s*:\s*/i, '').trim();
  if (out.length >= 2 && /^["“'].*["”']$/s.test(out)) out = out.slice(1, -1).trim();
  return out;
}
