/**
 * Local prompt-injection and persona-hijack heuristics: no model, a score 0–1 and the evidence
 * (which rule, the words it matched, where in the original text). Matches run on folded text
 * (zero-width characters dropped, look-alike letters mapped to Latin: ./normalize.ts), and a
 * phrase that only matches once folded is reported as hidden. Heuristics catch the well-known
 * phrasings; a determined attacker paraphrases past them, which is why a classifier model and
 * Bedrock Guardrails sit beside this check.
 */
import { foldText, originalSpan } from './normalize';

export const INJECTION_RULES = ['role-tag', 'ignore-instructions', 'persona-hijack', 'conversation-reset', 'reveal-system-prompt', 'hidden-instruction', 'obfuscation'] as const;
export type InjectionRule = (typeof INJECTION_RULES)[number];

export const INJECTION_RULE_LABELS: Record<InjectionRule, string> = {
  'role-tag': 'Spoofed role tag (a fake Human:/Assistant:/System: turn)',
  'ignore-instructions': '“Ignore previous instructions” or a paraphrase',
  'persona-hijack': 'Tries to give the assistant a new persona or rules',
  'conversation-reset': 'Fake end of conversation / reset marker',
  'reveal-system-prompt': 'Asks to reveal the system prompt or hidden instructions',
  'hidden-instruction': 'Instruction to the AI hidden in a pasted document',
  obfuscation: 'Zero-width or look-alike characters',
};

/** How much one rule's match weighs; rules combine as independent signals: 1 − Π(1 − w). */
const WEIGHTS: Record<InjectionRule, number> = {
  'role-tag': 0.45,
  'ignore-instructions': 0.75,
  'persona-hijack': 0.45,
  'conversation-reset': 0.6,
  'reveal-system-prompt': 0.6,
  'hidden-instruction': 0.65,
  obfuscation: 0.35,
};

export interface InjectionEvidence {
  rule: InjectionRule;
  /** The words as the user wrote them (look-alikes and all), at most 160 characters. */
  match: string;
  /** UTF-16 offsets in the original text. */
  start: number;
  end: number;
  /** True when the phrase only matched after zero-width / look-alike characters were folded. */
  hidden: boolean;
}

export interface InjectionResult {
  /** 0 (nothing found) to 1. */
  score: number;
  /** The rules that matched, strongest first. */
  rules: InjectionRule[];
  evidence: InjectionEvidence[];
  invisibleChars: number;
  lookAlikeChars: number;
}

const W = String.raw`\s+`;
const OPT_WORDS = String.raw`(?:(?:all|any|every|the|your|my|of|these|those|its|prior|earlier|previous|above|preceding|original|initial|system|developer|safety|other)\s+){0,4}`;

const PATTERNS: { rule: InjectionRule; pattern: RegExp }[] = [
  // A line that starts a fake turn, or chat-template tokens pasted into the message.
  { rule: 'role-tag', pattern: /(?:^|\n)[ \t>*#[(]*(?:human|assistant|system|user|ai)[ \t]*[)\]]?[ \t]*:(?=[ \t]*\S)/g },
  { rule: 'role-tag', pattern: /<\|(?:im_start|im_end|system|user|assistant|endoftext)\|>|\[\/?inst\]|<<\/?sys>>|<\/?(?:system|assistant)>/g },
  {
    rule: 'ignore-instructions',
    pattern: new RegExp(
      String.raw`\b(?:ignore|disregard|forget|override|overrule|bypass|skip|drop|discard|abandon|set\s+aside|throw\s+out|pay\s+no\s+attention\s+to|do\s+not\s+(?:follow|obey)|don'?t\s+(?:follow|obey)|stop\s+following)${W}${OPT_WORDS}(?:instructions?|prompts?|rules|directions|directives|guidelines|guardrails|restrictions|constraints|context|messages?|programming|orders|commands|policies|everything\s+(?:above|before|said))\b`,
      'g',
    ),
  },
  { rule: 'ignore-instructions', pattern: /\b(?:instructions?|rules)\s+(?:above|before\s+this)\s+(?:are|is)\s+(?:void|cancel+ed|obsolete|no\s+longer\s+valid)\b|\bnew\s+instructions\s*:/g },
  {
    rule: 'persona-hijack',
    pattern:
      /\b(?:you\s+are\s+(?:now|no\s+longer)|from\s+now\s+on,?\s+you(?:\s+are|'re|\s+will|\s+must)?|pretend\s+(?:to\s+be|you\s+are)|act\s+as\s+(?:if\s+you\s+(?:are|were)\s+)?(?:an?\s+)?(?:unfiltered|unrestricted|evil|jailbroken|different|dan\b)|your\s+new\s+(?:role|persona|identity|name|task|instructions)|switch\s+(?:to|into)\s+\w+\s+mode|(?:developer|dan|god|jailbreak)\s+mode|roleplay\s+as|stay\s+in\s+character\s+as)/g,
  },
  {
    rule: 'conversation-reset',
    pattern:
      /\b(?:end\s+(?:of\s+)?(?:the\s+)?conversation|conversation\s+(?:has\s+)?(?:ended|over|terminated|reset)|reset\s+(?:the\s+)?(?:conversation|context|chat)|(?:start|begin)\s+(?:a\s+)?new\s+(?:conversation|session|chat)|end\s+of\s+(?:transcript|session|prompt|system\s+prompt))\b|={3,}\s*end\b|-{3,}\s*end\b|\[(?:end|reset)\]/g,
  },
  {
    rule: 'reveal-system-prompt',
    pattern:
      /\b(?:reveal|show|print|repeat|output|tell\s+me|display|leak|dump|give\s+me|write\s+out|recite|share|what\s+(?:is|are|were))\b[^.?!\n]{0,40}?\b(?:system\s+(?:prompt|message|instructions)|hidden\s+(?:instructions|prompt|rules|text)|initial\s+(?:instructions|prompt)|original\s+(?:instructions|prompt)|(?:your|the)\s+(?:instructions|prompt|rules|guidelines|configuration)|(?:the\s+)?(?:words|text)\s+above)/g,
  },
  { rule: 'reveal-system-prompt', pattern: /\brepeat\s+(?:everything|all|the\s+text)\s+(?:above|before)\b|\bstarting\s+with\s+["“']?you\s+are\b/g },
  {
    rule: 'hidden-instruction',
    pattern:
      /\b(?:note|message|instructions?)\s+(?:to|for)\s+(?:the\s+)?(?:ai|assistant|model|llm|language\s+model|chatbot|gpt|claude|reviewer\s+bot|screener)\b|\bif\s+you\s+are\s+(?:an?\s+)?(?:ai|llm|language\s+model|assistant|automated)\b|\b(?:ai|llm|assistant|model)s?\s+(?:reading|processing|summari[sz]ing|screening|reviewing)\s+this\b|<!--[\s\S]{0,200}?\b(?:ignore|instruction|assistant|ai|rate|recommend|say)\b[\s\S]{0,200}?-->/g,
  },
];

const MAX_EVIDENCE = 24;

export function detectInjection(text: string): InjectionResult {
  const folded = foldText(text);
  const evidence: InjectionEvidence[] = [];
  const plainLower = folded.map ? null : folded.text;
  for (const { rule, pattern } of PATTERNS) {
    pattern.lastIndex = 0;
    for (const hit of folded.text.matchAll(pattern)) {
      if (evidence.length >= MAX_EVIDENCE) break;
      let start = hit.index;
      let end = start + hit[0].length;
      // drop the leading newline a role-tag match starts with
      while (start < end && /\s/.test(folded.text[start]!)) start += 1;
      const span = originalSpan(folded, start, end);
      const raw = text.slice(span.start, span.end);
      const hidden = plainLower === null && raw.toLowerCase() !== folded.text.slice(start, end);
      end = span.end;
      evidence.push({ rule, match: raw.length > 160 ? `${raw.slice(0, 157)}…` : raw, start: span.start, end, hidden });
    }
  }
  // An attack spelled with look-alikes or zero-width characters is the obfuscation signal; stray
  // look-alikes in ordinary non-Latin text are not.
  const hiddenHits = evidence.filter((e) => e.hidden);
  if (hiddenHits.length > 0 || folded.invisible >= 3) {
    const first = hiddenHits[0];
    evidence.push(
      first
        ? { rule: 'obfuscation', match: `${folded.invisible} invisible, ${folded.confusables} look-alike characters`, start: first.start, end: first.end, hidden: true }
        : { rule: 'obfuscation', match: `${folded.invisible} invisible characters`, start: 0, end: 0, hidden: true },
    );
  }
  const rules = [...new Set(evidence.map((e) => e.rule))].sort((a, b) => WEIGHTS[b] - WEIGHTS[a]);
  let keep = 1;
  for (const rule of rules) keep *= 1 - WEIGHTS[rule];
  // More than one hit of the same rule nudges it up a little (a scripted attack repeats itself).
  const repeats = evidence.length - rules.length;
  const score = rules.length === 0 ? 0 : Math.min(1, 1 - keep * Math.pow(0.9, Math.min(repeats, 5)));
  return { score: Math.round(score * 1000) / 1000, rules, evidence: evidence.sort((a, b) => a.start - b.start), invisibleChars: folded.invisible, lookAlikeChars: folded.confusables };
}
