/** The public vocabulary of the fake Bedrock server (re-exported by index.ts). */

export type FakeOperation =
  | 'Converse'
  | 'ConverseStream'
  | 'InvokeModel'
  | 'ApplyGuardrail'
  | 'ListFoundationModels'
  | 'ListInferenceProfiles'
  | 'ListGuardrails';

export interface ReceivedRequest {
  operation: FakeOperation;
  modelId?: string;
  guardrailId?: string;
  guardrailVersion?: string;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the one deliberate escape hatch: tests poke at whatever JSON the app sent
  body: any;
  /** Date.now() when the request headers arrived. */
  receivedAt: number;
  /** True when the client reset or aborted the stream before the server finished answering. */
  closedByClient: boolean;
}

/** Default: no delay, one word per delta chunk. */
export interface FakePace {
  firstTokenMs?: number;
  tokensPerSecond?: number;
  wordsPerChunk?: number;
}

export interface FakeReply {
  text?: string;
  toolUse?: { name: string; input: unknown };
  stopReason?: string;
  usage?: { inputTokens: number; outputTokens: number };
  guardrailTrace?: unknown;
}

export interface FakeError {
  status: number;
  type: string;
  message: string;
}

export interface FakeStreamError {
  afterChunks: number;
  /** Lower camel, as on the wire: 'throttlingException', 'modelStreamErrorException', ... */
  type: string;
  message: string;
}

export interface FakeRule {
  operation?: FakeOperation | FakeOperation[];
  /** Substring of, or regex against, the decoded model id (the guardrail id for ApplyGuardrail). */
  model?: string | RegExp;
  /** Substring of, or regex against, all text of the request. */
  prompt?: string | RegExp;
  /** ApplyGuardrail only: the request's source. */
  source?: 'INPUT' | 'OUTPUT';
  /** The rule applies this many times, then is removed. Default: forever. */
  times?: number;
  // exactly one outcome (or none, with `pace`: the default reply at that pace)
  reply?: FakeReply;
  body?: unknown;
  error?: FakeError;
  streamError?: FakeStreamError;
  drop?: { afterChunks?: number };
  pace?: FakePace;
}

export interface FakeBedrock {
  /** 'http://127.0.0.1:PORT' */
  readonly endpoint: string;
  readonly port: number;
  readonly requests: ReceivedRequest[];
  /** Rules are checked in the order added; the first match wins. */
  on(rule: FakeRule): void;
  setDefaultPace(pace: FakePace): void;
  /** Drops the rules, clears the request log, resets the pace. */
  reset(): void;
  /** HTTP/2 streams currently open. */
  openStreams(): number;
  close(): Promise<void>;
}

export interface FakeBedrockOptions {
  port?: number;
  host?: string;
  defaultReply?: string;
  pace?: FakePace;
}
