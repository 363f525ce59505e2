/**
 * ApplyGuardrail on input or output text, optionally with a grounding source and a query for
 * contextual grounding checks, parsed into typed assessments. The same parser reads the
 * guardrail trace a Converse call returns.
 */
import type { GuardrailContentBlock } from '@aws-sdk/client-bedrock-runtime';
import { loadSdk, type BedrockClients } from './clients';
import { cancelledError, toBedrockError } from './errors';

export interface GuardrailCheckInput {
  guardrailId: string;
  version: string;
  source: 'INPUT' | 'OUTPUT';
  text: string;
  /** Reference text for the contextual grounding check. */
  groundingSource?: string;
  /** The question the text answers, for the relevance check. */
  query?: string;
}

export interface ContentFilterAssessment {
  type: string;
  confidence: string;
  strength: string | null;
  action: string;
  detected: boolean | null;
}

export interface GuardrailAssessment {
  contentFilters: ContentFilterAssessment[];
  deniedTopics: { name: string; type: string; action: string; detected: boolean | null }[];
  words: { match: string; list: 'custom' | 'managed'; type: string | null; action: string; detected: boolean | null }[];
  piiEntities: { type: string; match: string; action: string; detected: boolean | null }[];
  regexes: { name: string; match: string; regex: string | null; action: string; detected: boolean | null }[];
  grounding: { type: string; threshold: number | null; score: number | null; action: string; detected: boolean | null }[];
}

export interface GuardrailCheckResult {
  action: string;
  intervened: boolean;
  /** The guardrail's replacement text (blocked message or masked text), if any. */
  outputs: string[];
  assessments: GuardrailAssessment[];
  /** A short reason the guardrail gave, when it gives one. */
  reason: string | null;
}

export interface GuardrailTrace {
  input: GuardrailAssessment[];
  output: GuardrailAssessment[];
  modelOutput: string[];
}

/** The ApplyGuardrail content blocks: grounding source, query, then the guarded text. Pure. */
export function buildGuardrailContent(input: Pick<GuardrailCheckInput, 'text' | 'groundingSource' | 'query'>): GuardrailContentBlock[] {
  const qualified = input.groundingSource !== undefined || input.query !== undefined;
  const blocks: GuardrailContentBlock[] = [];
  if (input.groundingSource !== undefined) blocks.push({ text: { text: input.groundingSource, qualifiers: ['grounding_source'] } });
  if (input.query !== undefined) blocks.push({ text: { text: input.query, qualifiers: ['query'] } });
  blocks.push({ text: qualified ? { text: input.text, qualifiers: ['guard_content'] } : { text: input.text } });
  return blocks;
}

type Loose = Record<string, unknown>;

function list(value: unknown): Loose[] {
  return Array.isArray(value) ? (value.filter((item) => item && typeof item === 'object') as Loose[]) : [];
}
function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}
function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
function bool(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/** One raw assessment (ApplyGuardrail or a Converse trace) into the typed form. Pure. */
export function parseAssessment(raw: unknown): GuardrailAssessment {
  const a = (raw ?? {}) as Loose;
  const topic = (a.topicPolicy ?? {}) as Loose;
  const content = (a.contentPolicy ?? {}) as Loose;
  const word = (a.wordPolicy ?? {}) as Loose;
  const sensitive = (a.sensitiveInformationPolicy ?? {}) as Loose;
  const grounding = (a.contextualGroundingPolicy ?? {}) as Loose;
  return {
    contentFilters: list(content.filters).map((f) => ({
      type: str(f.type),
      confidence: str(f.confidence, 'NONE'),
      strength: typeof f.filterStrength === 'string' ? f.filterStrength : null,
      action: str(f.action, 'NONE'),
      detected: bool(f.detected),
    })),
    deniedTopics: list(topic.topics).map((t) => ({ name: str(t.name), type: str(t.type, 'DENY'), action: str(t.action, 'NONE'), detected: bool(t.detected) })),
    words: [
      ...list(word.customWords).map((w) => ({ match: str(w.match), list: 'custom' as const, type: null, action: str(w.action, 'NONE'), detected: bool(w.detected) })),
      ...list(word.managedWordLists).map((w) => ({
        match: str(w.match),
        list: 'managed' as const,
        type: typeof w.type === 'string' ? w.type : null,
        action: str(w.action, 'NONE'),
        detected: bool(w.detected),
      })),
    ],
    piiEntities: list(sensitive.piiEntities).map((p) => ({ type: str(p.type), match: str(p.match), action: str(p.action, 'NONE'), detected: bool(p.detected) })),
    regexes: list(sensitive.regexes).map((r) => ({
      name: str(r.name),
      match: str(r.match),
      regex: typeof r.regex === 'string' ? r.regex : null,
      action: str(r.action, 'NONE'),
      detected: bool(r.detected),
    })),
    grounding: list(grounding.filters).map((g) => ({
      type: str(g.type),
      threshold: num(g.threshold),
      score: num(g.score),
      action: str(g.action, 'NONE'),
      detected: bool(g.detected),
    })),
  };
}

/** An ApplyGuardrail answer into the typed result. Pure. */
export function parseGuardrailResponse(output: unknown): GuardrailCheckResult {
  const o = (output ?? {}) as Loose;
  const action = str(o.action, 'NONE');
  return {
    action,
    intervened: action === 'GUARDRAIL_INTERVENED',
    outputs: list(o.outputs)
      .map((item) => item.text)
      .filter((text): text is string => typeof text === 'string'),
    assessments: list(o.assessments).map(parseAssessment),
    reason: typeof o.actionReason === 'string' ? o.actionReason : null,
  };
}

/** The `trace.guardrail` of a Converse answer (or stream metadata) into typed assessments. Pure. */
export function parseGuardrailTrace(trace: unknown): GuardrailTrace {
  const t = (trace ?? {}) as Loose;
  const inputs = t.inputAssessment && typeof t.inputAssessment === 'object' ? Object.values(t.inputAssessment as Loose) : [];
  const outputs = t.outputAssessments && typeof t.outputAssessments === 'object' ? Object.values(t.outputAssessments as Loose) : [];
  return {
    input: inputs.map(parseAssessment),
    output: outputs.flatMap((value) => (Array.isArray(value) ? value : [value])).map(parseAssessment),
    modelOutput: Array.isArray(t.modelOutput) ? t.modelOutput.filter((x): x is string => typeof x === 'string') : [],
  };
}

export function createGuardrailService({ clients }: { clients: BedrockClients }) {
  return {
    async applyGuardrail(input: GuardrailCheckInput, options: { signal?: AbortSignal } = {}): Promise<GuardrailCheckResult> {
      const { signal } = options;
      if (signal?.aborted) throw cancelledError();
      try {
        const { ApplyGuardrailCommand } = await loadSdk();
        const output = await (await clients.runtime()).send(
          new ApplyGuardrailCommand({
            guardrailIdentifier: input.guardrailId,
            guardrailVersion: input.version,
            source: input.source,
            content: buildGuardrailContent(input),
          }),
          signal ? { abortSignal: signal } : {},
        );
        return parseGuardrailResponse(output);
      } catch (error) {
        if (signal?.aborted) throw cancelledError();
        const settings = clients.settings();
        throw toBedrockError(error, {
          operation: 'ApplyGuardrail',
          region: settings.region,
          endpoint: clients.endpointOf('runtime'),
          profile: settings.profile,
          timeoutMs: settings.timeoutMs,
        });
      }
    },
  };
}

export type GuardrailService = ReturnType<typeof createGuardrailService>;
