/**
 * Turns whatever the AWS SDK (or the network under it) throws into an AppError a person can act
 * on: code 'bedrock' (or 'cancelled'), a message that says what to do, the raw error in
 * `details`, and a `kind` the UI uses for its icon. Credentials never reach message or details.
 */
import type { BedrockErrorKind } from '../../../shared/contract/settings';
import { AppError, type AppErrorShape } from '../../../shared/errors';

export type { BedrockErrorKind } from '../../../shared/contract/settings';

export interface BedrockErrorContext {
  /** 'Converse', 'ConverseStream', 'InvokeModel', 'ApplyGuardrail', 'ListFoundationModels', … */
  operation?: string;
  modelId?: string;
  region?: string;
  /** The endpoint the call went to (the custom one, or the regional AWS one). */
  endpoint?: string | null;
  profile?: string | null;
  timeoutMs?: number;
}

/** What a stream had delivered when it stopped early (cancelled or failed mid-way). */
export interface PartialOutput {
  text: string;
  metrics: {
    ttftMs: number | null;
    totalMs: number;
    inputTokens: number | null;
    outputTokens: number | null;
    attempts: number;
  };
}

export class BedrockError extends AppError {
  /** Text and metrics received before a stream stopped early; absent for one-shot calls. */
  partial?: PartialOutput;

  constructor(
    code: 'bedrock' | 'cancelled',
    readonly kind: BedrockErrorKind,
    message: string,
    details: string | undefined,
    /** Attempts the SDK made, from `$metadata.attempts`, when known. */
    readonly attempts: number | null = null,
  ) {
    super(code, message, details);
    this.name = 'BedrockError';
  }

  override toShape(): AppErrorShape {
    return { ...super.toShape(), kind: this.kind };
  }
}

interface ErrorFacts {
  name: string;
  message: string;
  status: number | undefined;
  attempts: number | null;
  requestId: string | undefined;
  /** Node/system error code found anywhere in the cause chain (ECONNREFUSED, …). */
  netCode: string | undefined;
  /** Every message in the cause chain, for pattern matching. */
  text: string;
}

const NETWORK_CODES =
  /\b(ENOTFOUND|ECONNREFUSED|ECONNRESET|ECONNABORTED|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|ENETDOWN|EPIPE|ETIMEDOUT|ERR_HTTP2_[A-Z_]+|ERR_SSL_[A-Z_]+|CERT_[A-Z_]+|UNABLE_TO_VERIFY_LEAF_SIGNATURE|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\b/;

const NET_REASONS: Record<string, string> = {
  ENOTFOUND: 'the host name could not be resolved',
  EAI_AGAIN: 'the host name could not be resolved',
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ECONNABORTED: 'the connection was aborted',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  ENETDOWN: 'the network is down',
  ETIMEDOUT: 'the connection timed out',
  EPIPE: 'the connection was closed',
};

function facts(error: unknown): ErrorFacts {
  const chain: unknown[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth += 1) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  const first = (error ?? {}) as Record<string, unknown>;
  const meta = (first.$metadata ?? {}) as { httpStatusCode?: number; attempts?: number; requestId?: string };
  const messages = chain.map((item) => (item instanceof Error ? item.message : typeof item === 'string' ? item : ''));
  // Prefer the system error (ECONNREFUSED, ENOTFOUND, …) over the HTTP/2 wrapper around it.
  const codes: string[] = [];
  for (const item of chain) {
    const code = (item as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.test(code)) codes.push(code);
  }
  // A cause whose message the wrapper already quotes adds nothing.
  const text = messages.filter((m, i) => m && !messages.slice(0, i).some((earlier) => earlier.includes(m))).join(' | ');
  for (const match of text.matchAll(new RegExp(NETWORK_CODES.source, 'g'))) codes.push(match[1]!);
  const netCode = codes.find((code) => code in NET_REASONS) ?? codes[0];
  const name =
    (typeof first.name === 'string' && first.name) ||
    (typeof first.__type === 'string' && first.__type) ||
    (error instanceof Error ? error.constructor.name : 'Error');
  return {
    name,
    message: messages[0] || String(error),
    status: meta.httpStatusCode,
    attempts: typeof meta.attempts === 'number' ? meta.attempts : null,
    requestId: meta.requestId,
    netCode,
    text,
  };
}

/**
 * The credential values the SDK actually signed with (see watchCredentials in clients.ts). An
 * endpoint that echoes a secret or a session token with no label around it still cannot get it
 * into an error's message or details: every known value is cut out by value, not by pattern.
 */
const usedSecrets = new Set<string>();
const MAX_REMEMBERED = 24;

export function rememberSecrets(...values: readonly (string | undefined | null)[]): void {
  for (const value of values) {
    // Short values (a test key "test") would redact ordinary words; real ones are 16+ chars.
    if (typeof value !== 'string' || value.length < 8 || usedSecrets.has(value)) continue;
    if (usedSecrets.size >= MAX_REMEMBERED) usedSecrets.delete(usedSecrets.values().next().value!);
    usedSecrets.add(value);
  }
}

/** Removes the credentials in use, and anything that looks like a credential, from text that may be shown or logged. */
export function redact(text: string): string {
  let out = text;
  for (const secret of usedSecrets) if (out.includes(secret)) out = out.split(secret).join('[redacted]');
  return out
    .replace(/\b(AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b/g, '$1…')
    .replace(/(aws_secret_access_key|aws_session_token|secretAccessKey|sessionToken|accessToken|x-amz-security-token|authorization)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1$2[redacted]')
    .replace(/\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/g, 'Bearer [redacted]');
}

function describeDetails(f: ErrorFacts, context: BedrockErrorContext): string {
  const lines = [`${f.name}${f.status ? ` (HTTP ${f.status})` : ''}: ${f.text || f.message}`];
  const where = [
    context.operation && `operation: ${context.operation}`,
    context.modelId && `model: ${context.modelId}`,
    context.region && `region: ${context.region}`,
    context.endpoint && `endpoint: ${context.endpoint}`,
    context.profile && `profile: ${context.profile}`,
  ].filter(Boolean);
  if (where.length > 0) lines.push(where.join(', '));
  if (f.attempts !== null) lines.push(`attempts: ${f.attempts}`);
  if (f.requestId) lines.push(`request id: ${f.requestId}`);
  return redact(lines.join('\n'));
}

function modelName(context: BedrockErrorContext): string {
  return context.modelId ? `"${context.modelId}"` : 'this model';
}

function regionName(context: BedrockErrorContext): string {
  return context.region ?? 'the selected region';
}

function loginCommand(context: BedrockErrorContext): string {
  return context.profile ? `aws sso login --profile ${context.profile}` : 'aws sso login';
}

function ensureSentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

interface Mapping {
  kind: BedrockErrorKind;
  message: string;
}

/** The mapping table; `null` means "not this row". Order matters: first match wins. */
function classify(f: ErrorFacts, context: BedrockErrorContext): Mapping | null {
  const { name, text } = f;
  const model = modelName(context);
  const region = regionName(context);

  // Credentials and sign-in, before anything else: they fail before the request leaves.
  if (/sso/i.test(text) && /(expired|invalid|refresh|log ?in)/i.test(text)) {
    return {
      kind: 'sso-expired',
      message: `Your AWS SSO session${context.profile ? ` for profile "${context.profile}"` : ''} has expired. Run \`${loginCommand(context)}\` in a terminal, then try again.`,
    };
  }
  if (name === 'CredentialsProviderError' || /could not load credentials|credential is missing|no credentials/i.test(text)) {
    const profileMissing = /profile .* (could not be found|not found)/i.test(text) || /could not be found or parsed/i.test(text);
    if (profileMissing && context.profile) {
      return {
        kind: 'credentials',
        message: `The AWS profile "${context.profile}" was not found in this computer's AWS configuration. Choose another profile in Settings, or add it with \`aws configure --profile ${context.profile}\`.`,
      };
    }
    if (context.profile) {
      return {
        kind: 'credentials',
        message: `Parallax could not get credentials for the AWS profile "${context.profile}". Check that the profile exists in this computer's AWS configuration and has credentials (\`aws configure --profile ${context.profile}\` or \`aws sso login --profile ${context.profile}\`), or choose another profile in Settings.`,
      };
    }
    return {
      kind: 'credentials',
      message:
        'Parallax found no AWS credentials on this computer. Run `aws configure` (or `aws sso login`) in a terminal, choose a profile in Settings, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment Parallax starts from.',
    };
  }
  if (
    ['ExpiredTokenException', 'ExpiredToken', 'UnrecognizedClientException', 'InvalidSignatureException', 'InvalidClientTokenId'].includes(name) ||
    /security token included in the request is (expired|invalid)|signature we calculated does not match/i.test(text)
  ) {
    const expired = /expired/i.test(text);
    return {
      kind: 'credentials',
      message: `AWS rejected the credentials${context.profile ? ` of profile "${context.profile}"` : ''}: they are ${expired ? 'expired' : 'invalid'}. Refresh them (\`aws sso login\` or \`aws configure\`), or choose another profile in Settings.`,
    };
  }

  if (name === 'AbortError' || /aborted by the user|request aborted/i.test(name + ' ' + f.message)) {
    return { kind: 'cancelled', message: 'Cancelled.' };
  }

  if (name === 'AccessDeniedException' || f.status === 403) {
    if (/not authorized to perform|explicit deny|no identity-based policy/i.test(text)) {
      const action = /perform: ([\w:*-]+)/.exec(text)?.[1];
      return {
        kind: 'access',
        message: `Your AWS identity is not allowed to ${action ? `call ${action}` : 'make this Bedrock call'}. Ask your AWS administrator to grant it in IAM, or choose another profile in Settings.`,
      };
    }
    return {
      kind: 'access',
      message: `Your AWS account has no access to model ${model} in ${region}. Enable it in the Amazon Bedrock console → Model access (region ${region}), then try again.`,
    };
  }

  if (/on-demand throughput|with the id or arn of an inference profile/i.test(text)) {
    return {
      kind: 'model-unavailable',
      message: `Model ${model} can't be called directly in ${region}. Pick its inference profile instead (for example "us.${context.modelId ?? 'model-id'}"), or choose another model or region.`,
    };
  }
  if (
    name === 'ResourceNotFoundException' ||
    /model identifier is invalid|could not resolve the foundation model|model .*(not found|isn't supported|is not supported|not available|does not exist)|end of its life|unknown model|invalid model/i.test(text)
  ) {
    return {
      kind: 'model-unavailable',
      message: `Model ${model} is not available in ${region}. Check the model id, try its inference profile, or choose another region in Settings.`,
    };
  }

  if (name === 'ThrottlingException' || name === 'TooManyRequestsException' || name === 'ModelNotReadyException' || f.status === 429 || /throttl/i.test(name)) {
    const attempts = f.attempts ?? null;
    return {
      kind: 'throttled',
      message: `Bedrock is throttling requests${context.modelId ? ` for ${model}` : ''}${attempts ? ` and Parallax gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}` : ''}. Wait a moment and try again, run fewer calls at once, or raise the retry attempts in Settings.`,
    };
  }
  if (name === 'ServiceQuotaExceededException') {
    return {
      kind: 'quota',
      message: `This request exceeds a Bedrock service quota${context.modelId ? ` for ${model}` : ''}: ${ensureSentence(f.message)} Ask for a higher quota in the Service Quotas console, or send a smaller request.`,
    };
  }
  if (name === 'ValidationException' || name === 'ValidationError' || (f.status === 400 && !f.netCode)) {
    return {
      kind: 'validation',
      message: `Bedrock rejected the request${context.modelId ? ` for ${model}` : ''}: ${ensureSentence(f.message)}`,
    };
  }

  // Before the timeout check: the SDK's HTTP/1.1 handler reports a closed socket as "TimeoutError: socket hang up".
  if (/http\/2 stream is abnormally aborted|did not get a response|socket hang up|premature close/i.test(text)) {
    return {
      kind: 'offline',
      message: `The connection to ${context.endpoint ?? 'Amazon Bedrock'} broke off before the answer was complete. Check your connection and try again.`,
    };
  }

  if (name === 'ModelTimeoutException' || name === 'TimeoutError' || /timed out|timeout/i.test(name) || /stream timed out/i.test(text)) {
    const seconds = context.timeoutMs ? ` within ${Math.round(context.timeoutMs / 1000)} s` : ' in time';
    return {
      kind: 'timeout',
      message:
        name === 'ModelTimeoutException'
          ? `Model ${model} took too long to answer. Try again, ask for a shorter output, or choose a faster model.`
          : `Bedrock did not answer${seconds}. Try again, or raise the timeout in Settings.`,
    };
  }

  if (f.netCode) {
    const endpoint = context.endpoint ?? 'Amazon Bedrock';
    const reason = NET_REASONS[f.netCode] ?? 'the connection failed';
    return {
      kind: 'offline',
      message: `Parallax can't reach ${endpoint}: ${reason} (${f.netCode}). Check your internet connection, VPN or proxy${context.endpoint ? ', and the custom endpoint in Settings' : ''}.`,
    };
  }

  if (
    ['InternalServerException', 'ServiceUnavailableException', 'ModelErrorException', 'ModelStreamErrorException', 'InternalFailure', 'ServiceUnavailable'].includes(name) ||
    (f.status !== undefined && f.status >= 500)
  ) {
    return {
      kind: 'service',
      message: `Bedrock had a problem on its side${context.modelId ? ` with ${model}` : ''}: ${ensureSentence(f.message)} Try again in a moment.`,
    };
  }
  return null;
}

/** Maps any error from a Bedrock call to an actionable AppError ('bedrock' or 'cancelled'). */
export function toBedrockError(error: unknown, context: BedrockErrorContext = {}): BedrockError {
  if (error instanceof BedrockError) return error;
  if (error instanceof AppError) {
    return new BedrockError(error.code === 'cancelled' ? 'cancelled' : 'bedrock', error.code === 'cancelled' ? 'cancelled' : 'unknown', error.message, error.details);
  }
  const f = facts(error);
  const details = describeDetails(f, context);
  const mapped = classify(f, context) ?? {
    kind: 'unknown' as const,
    message: `The call to Bedrock failed${context.modelId ? ` for ${modelName(context)}` : ''}: ${ensureSentence(redact(f.message))}`,
  };
  return new BedrockError(mapped.kind === 'cancelled' ? 'cancelled' : 'bedrock', mapped.kind, redact(mapped.message), details, f.attempts);
}

/** The error a cancelled call throws. */
export function cancelledError(partial?: PartialOutput): BedrockError {
  const error = new BedrockError('cancelled', 'cancelled', 'Cancelled.', undefined);
  if (partial) error.partial = partial;
  return error;
}

export function isCancelled(error: unknown): boolean {
  return error instanceof AppError && error.code === 'cancelled';
}
