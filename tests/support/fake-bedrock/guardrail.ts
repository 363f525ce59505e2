/**
 * Scriptable ApplyGuardrail answers, classifier verdicts and toxicity judge replies, in the shapes
 * Bedrock and the app's judges use on the wire. Use them as rule outcomes:
 *
 *   fake.on({ operation: 'ApplyGuardrail', source: 'INPUT', prompt: /idiot/, body: guardrailBody({ intervened: true, contentFilters: [{ type: 'INSULTS', confidence: 'HIGH' }] }) });
 *   fake.on({ operation: 'Converse', prompt: /safety classifier/i, reply: classifierReply({ verdict: 'unsafe', category: 'prompt_injection', confidence: 0.93, reason: '...' }) });
 *   fake.on({ operation: 'Converse', prompt: /toxicity/i, reply: toxicityReply({ insult: 0.8, overall: 0.7 }) });
 */
import type { FakeReply } from './types';

export type Confidence = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';

export interface GuardrailScript {
  /** GUARDRAIL_INTERVENED when true (default: true when any policy below has an action other than NONE). */
  intervened?: boolean;
  /** The guardrail's blocked message (or the masked text, for ANONYMIZED PII). */
  output?: string;
  contentFilters?: { type: 'HATE' | 'INSULTS' | 'MISCONDUCT' | 'PROMPT_ATTACK' | 'SEXUAL' | 'VIOLENCE'; confidence: Confidence; strength?: 'LOW' | 'MEDIUM' | 'HIGH'; action?: 'BLOCKED' | 'NONE' }[];
  deniedTopics?: { name: string; action?: 'BLOCKED' | 'NONE' }[];
  customWords?: { match: string; action?: 'BLOCKED' | 'NONE' }[];
  managedWords?: { match: string; type?: 'PROFANITY'; action?: 'BLOCKED' | 'NONE' }[];
  piiEntities?: { type: string; match: string; action: 'BLOCKED' | 'ANONYMIZED' | 'NONE' }[];
  regexes?: { name: string; match: string; regex?: string; action: 'BLOCKED' | 'ANONYMIZED' | 'NONE' }[];
  grounding?: { type: 'GROUNDING' | 'RELEVANCE'; threshold: number; score: number; action?: 'BLOCKED' | 'NONE' }[];
}

export const DEFAULT_BLOCKED_MESSAGE = 'Sorry, the model cannot answer this question.';

/** An ApplyGuardrail response body for `script`. */
export function guardrailBody(script: GuardrailScript): unknown {
  const filters = (script.contentFilters ?? []).map((f) => ({
    type: f.type,
    confidence: f.confidence,
    ...(f.strength ? { filterStrength: f.strength } : {}),
    action: f.action ?? (f.confidence === 'NONE' ? 'NONE' : 'BLOCKED'),
    detected: f.confidence !== 'NONE',
  }));
  const topics = (script.deniedTopics ?? []).map((t) => ({ name: t.name, type: 'DENY', action: t.action ?? 'BLOCKED', detected: true }));
  const customWords = (script.customWords ?? []).map((w) => ({ match: w.match, action: w.action ?? 'BLOCKED', detected: true }));
  const managedWordLists = (script.managedWords ?? []).map((w) => ({ match: w.match, type: w.type ?? 'PROFANITY', action: w.action ?? 'BLOCKED', detected: true }));
  const piiEntities = (script.piiEntities ?? []).map((p) => ({ ...p, detected: true }));
  const regexes = (script.regexes ?? []).map((r) => ({ ...r, detected: true }));
  const grounding = (script.grounding ?? []).map((g) => ({ ...g, action: g.action ?? (g.score < g.threshold ? 'BLOCKED' : 'NONE'), detected: g.score < g.threshold }));
  const acted = [...filters, ...topics, ...customWords, ...managedWordLists, ...piiEntities, ...regexes, ...grounding].some((x) => x.action !== 'NONE');
  const intervened = script.intervened ?? acted;
  const assessment: Record<string, unknown> = {};
  if (filters.length) assessment.contentPolicy = { filters };
  if (topics.length) assessment.topicPolicy = { topics };
  if (customWords.length || managedWordLists.length) assessment.wordPolicy = { customWords, managedWordLists };
  if (piiEntities.length || regexes.length) assessment.sensitiveInformationPolicy = { piiEntities, regexes };
  if (grounding.length) assessment.contextualGroundingPolicy = { filters: grounding };
  return {
    usage: { topicPolicyUnits: 1, contentPolicyUnits: 1, wordPolicyUnits: 1, sensitiveInformationPolicyUnits: 1, sensitiveInformationPolicyFreeUnits: 0, contextualGroundingPolicyUnits: grounding.length ? 1 : 0 },
    action: intervened ? 'GUARDRAIL_INTERVENED' : 'NONE',
    ...(intervened ? { actionReason: 'Guardrail blocked.' } : {}),
    outputs: intervened ? [{ text: script.output ?? DEFAULT_BLOCKED_MESSAGE }] : [],
    assessments: [assessment],
  };
}

/** A prompt-safety classifier's structured verdict, through Converse tool use. */
export function classifierReply(verdict: { verdict: 'safe' | 'unsafe'; category?: string; confidence: number; reason: string }): FakeReply {
  return { toolUse: { name: 'record_safety_verdict', input: { category: 'none', ...verdict } } };
}

/** A toxicity judge's scores 0–1 per category (missing categories are 0), through tool use. */
export function toxicityReply(scores: Partial<Record<'hate_speech' | 'graphic' | 'harassment' | 'sexual' | 'violence' | 'insult' | 'profanity' | 'overall', number>>, reason = 'Scored by the fake judge.'): FakeReply {
  const all = { hate_speech: 0, graphic: 0, harassment: 0, sexual: 0, violence: 0, insult: 0, profanity: 0, ...scores };
  const overall = scores.overall ?? Math.max(...Object.values(all));
  return { toolUse: { name: 'record_toxicity_scores', input: { ...all, overall, reason } } };
}
