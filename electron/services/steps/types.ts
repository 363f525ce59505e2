/**
 * The step engine's vocabulary (see README.md next to this file): what a step kind implements
 * (StepRunner), what it sees while it runs (StepContext), and what the engine needs from the
 * rest of the app (models, environment, hooks). Plain Node: no electron import.
 */
import type { InferenceSettings, Turn } from '../../../shared/domain';
import type { StepConfig, StepKind, StepPhase } from '../../../shared/steps/registry';
import type { AnswerVersion, StepTrace } from '../../../shared/steps/trace';
import type { Technique } from '../../../shared/techniques';
import type { RetrievalMode, RetrievalResult } from '../../../shared/rag/types';
import type { GuardrailCheckInput, GuardrailCheckResult } from '../bedrock/guardrails';
import type { ImageSettings } from '../../../shared/images/request';

/** The request as it stands while request steps transform it. */
export interface StepRequest {
  modelId: string;
  system: string;
  messages: Turn[];
  inference: InferenceSettings;
  /** Image arms (issue 12): the image settings; the prompt is the last user message. */
  image?: ImageSettings;
}

/** A source retrieved for the arm (retrieval steps, issue 11). */
export interface StepSource {
  id: string;
  title: string;
  text: string;
}

export interface ModelCallInput {
  modelId: string;
  system?: string;
  messages: Turn[];
  inference?: InferenceSettings;
  /** Forces a structured reply (Converse tool use). */
  tool?: { name: string; description: string; inputSchema: Record<string, unknown> };
}

/** What the Bedrock service offers steps: structurally services.bedrock's text calls. */
export interface StepModels {
  converse(
    input: ModelCallInput,
    options: { signal?: AbortSignal },
  ): Promise<{ text: string; toolInput?: unknown; stopReason?: string | null; metrics?: { inputTokens: number | null; outputTokens: number | null; totalMs?: number } }>;
  converseStream(input: ModelCallInput, options: { signal?: AbortSignal }): AsyncIterable<ModelStreamEvent>;
  /** Bedrock Guardrails (guard steps, issue 10). */
  applyGuardrail?(input: GuardrailCheckInput, options: { signal?: AbortSignal }): Promise<GuardrailCheckResult>;
}

export type ModelStreamEvent =
  | { type: 'text'; text: string }
  | { type: 'stop'; stopReason: string }
  | { type: 'usage'; inputTokens: number; outputTokens: number; latencyMs?: number | null }
  | { type: 'guardrail'; trace: unknown }
  | { type: 'done'; metrics: { ttftMs: number | null; totalMs: number; inputTokens: number | null; outputTokens: number | null } };

/** One accounted model call, as a step gets it back. */
export interface ModelCallResult {
  text: string;
  toolInput?: unknown;
  stopReason: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  /** Wall time of the call, ms. */
  totalMs: number;
  /** Time to the first text chunk (streamed calls), ms from the call. */
  ttftMs: number | null;
}

/** What a step may read besides the request: the technique library, defaults, variables. */
export interface StepEnv {
  techniques: readonly Technique[];
  /** The user's default generation model (rewrite, critic and reviser fall back to the arm's model). */
  defaultModelId: string;
  variables: ReadonlyMap<string, string>;
  /** Corpora (issue 11): what the retrieve and clarify steps retrieve through. */
  corpora?: StepCorpora;
}

export interface StepCorpora {
  retrieve(request: { corpusId: string; question: string; mode: RetrievalMode; k: number; signal?: AbortSignal }): Promise<RetrievalResult>;
}

export interface StepContext {
  readonly runId: string;
  readonly armIndex: number;
  readonly stepIndex: number;
  /** The request as it stands; request steps replace it (`ctx.request = {...}`). */
  request: StepRequest;
  /** Sources retrieved for this arm (issue 11); output guards may ground on them. */
  sources: StepSource[];
  /** The answer so far: null before the generator. */
  readonly answer: string | null;
  /** Records a new AnswerVersion made by this step and shows it in the column. */
  setAnswer(text: string, reason: string): void;
  /** Stop cancels every step: pass it to anything that waits. */
  readonly signal: AbortSignal;
  /** One-shot model call; tokens and cost add up on this step and the arm. */
  call(input: ModelCallInput): Promise<ModelCallResult>;
  /** Streamed model call; `onText` gets each chunk. Accounted like `call`. */
  stream(input: ModelCallInput, onText?: (text: string) => void): Promise<ModelCallResult>;
  /** ApplyGuardrail (guard steps, issue 10), cancelled by Stop. */
  applyGuardrail(input: GuardrailCheckInput): Promise<GuardrailCheckResult>;
  /** Kind-specific detail, saved with the trace now (a run killed mid-chain keeps it). */
  setDetail(detail: unknown, summary?: string): void;
  /** Asks the user one question in the column; resolves with their answer (rejects on Stop). */
  ask(question: string): Promise<string>;
  readonly env: StepEnv;
}

export type StepOutcome =
  | { status: 'done' | 'skipped'; summary?: string }
  | { status: 'stopped'; reason: string; replaceAnswer?: string };

export interface StepRunner<C extends StepConfig = StepConfig> {
  kind: C['kind'];
  /** Its label in the timeline, e.g. the technique's name. */
  label(config: C, env: StepEnv): string;
  run(config: C, ctx: StepContext): Promise<StepOutcome>;
}

/** The model call between request and answer steps: a text stream today, images in issue 12. */
export interface Generator {
  kind: string;
  label(request: StepRequest): string;
  /** Produces the first draft; `onText` streams it to the column as it arrives. */
  run(ctx: StepContext, onText: (text: string) => void): Promise<{ text: string; stopReason: string | null }>;
}

/** What the engine tells its caller (the runner) while an arm runs. */
export interface EngineHooks {
  /** The whole pipeline, pending, before the first step runs (else each goes to onStep). */
  onPlan?(traces: readonly StepTrace[]): void;
  /** A step's trace changed (started, detail, finished); save it and tell the window. */
  onStep(trace: StepTrace): void;
  /** Request steps are done: this is what the generator sends. */
  onRequest?(request: StepRequest): void;
  /** A chunk of the draft, as the generator streams it. */
  onText(text: string): void;
  /** A step replaced the answer (a revision): the column shows the new version. */
  onAnswer?(version: AnswerVersion, versions: readonly AnswerVersion[]): void;
  /** Ask the user; the runner resolves it when compare:answer arrives. */
  ask(stepIndex: number, question: string, signal: AbortSignal): Promise<string>;
  estimateCost?(modelId: string, inputTokens: number, outputTokens: number): number | null;
}

export interface ArmPlanStep {
  /** Position in the pipeline (the trace index). */
  index: number;
  kind: StepKind | 'generate';
  phase: StepPhase | 'generate';
  label: string;
  config: StepConfig | null;
}

export interface ArmOutcome {
  status: 'completed' | 'stopped' | 'failed' | 'cancelled';
  /** The final answer: the last version (the draft when nothing revised it). */
  answer: string;
  versions: AnswerVersion[];
  /** The generator's stop reason (end_turn, max_tokens...). */
  stopReason: string | null;
  /** Set when a step stopped the arm. */
  stoppedBy: { stepIndex: number; label: string; reason: string } | null;
  error: { code: string; message: string; details?: string } | null;
  traces: StepTrace[];
  /** The request the generator sent (null when the arm ended before it). */
  request: StepRequest | null;
  totals: { inputTokens: number | null; outputTokens: number | null; costUsd: number | null };
  /** From the arm's start to its first streamed token, ms. */
  ttftMs: number | null;
  totalMs: number;
}
