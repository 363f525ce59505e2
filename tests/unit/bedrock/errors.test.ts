/** The error mapping table, with errors shaped like the SDK's (no network). */
import { describe, expect, it } from 'vitest';
import { BedrockError, redact, toBedrockError } from '../../../electron/services/bedrock/errors';
import { AppError } from '../../../shared/errors';

function sdkError(name: string, message: string, status?: number, attempts = 1): Error {
  const error = new Error(message) as Error & { $metadata: unknown; $fault: string };
  error.name = name;
  error.$metadata = { httpStatusCode: status, attempts, requestId: 'req-1' };
  error.$fault = status && status >= 500 ? 'server' : 'client';
  return error;
}

function netError(code: string, message: string): Error {
  const inner = Object.assign(new Error(message), { code });
  return Object.assign(new Error('The pending stream has been canceled (caused by: ' + message + ')', { cause: inner }), { code: 'ERR_HTTP2_STREAM_CANCEL' });
}

const context = { operation: 'Converse', modelId: 'meta.llama3-8b-instruct-v1:0', region: 'eu-west-3', endpoint: 'https://bedrock-runtime.eu-west-3.amazonaws.com', profile: 'work', timeoutMs: 30_000 };

const TABLE: [string, unknown, string, RegExp][] = [
  ['no credentials', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'credentials', /credentials for the AWS profile "work"/],
  ['expired SSO token', Object.assign(new Error("Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile."), { name: 'CredentialsProviderError' }), 'sso-expired', /aws sso login --profile work/],
  ['invalid SSO session', Object.assign(new Error('The SSO session associated with this profile has expired or is otherwise invalid.'), { name: 'TokenProviderError' }), 'sso-expired', /has expired/],
  ['expired security token', sdkError('ExpiredTokenException', 'The security token included in the request is expired', 403), 'credentials', /expired/],
  ['bad signature', sdkError('InvalidSignatureException', 'The request signature we calculated does not match the signature you provided.', 403), 'credentials', /invalid/],
  ['model access', sdkError('AccessDeniedException', "You don't have access to the model with the specified model ID.", 403), 'access', /Model access \(region eu-west-3\)/],
  ['IAM', sdkError('AccessDeniedException', 'User: arn:aws:sts::1:assumed-role/x is not authorized to perform: bedrock:InvokeModelWithResponseStream because no identity-based policy allows it', 403), 'access', /call bedrock:InvokeModelWithResponseStream/],
  ['on-demand', sdkError('ValidationException', "Invocation of model ID meta.llama3-8b-instruct-v1:0 with on-demand throughput isn't supported.", 400), 'model-unavailable', /"us\.meta\.llama3-8b-instruct-v1:0"/],
  ['invalid id', sdkError('ValidationException', 'The provided model identifier is invalid.', 400), 'model-unavailable', /not available in eu-west-3/],
  ['end of life', sdkError('ResourceNotFoundException', 'This model version has reached the end of its life.', 404), 'model-unavailable', /not available/],
  ['throttled', sdkError('ThrottlingException', 'Too many requests', 429, 4), 'throttled', /gave up after 4 attempts/],
  ['not ready', sdkError('ModelNotReadyException', 'Model is not ready', 429, 3), 'throttled', /gave up after 3 attempts/],
  ['quota', sdkError('ServiceQuotaExceededException', 'Too many tokens per day', 400), 'quota', /Too many tokens per day\. Ask for a higher quota/],
  ['validation', sdkError('ValidationException', 'temperature must be <= 1', 400), 'validation', /: temperature must be <= 1\.$/],
  ['model timeout', sdkError('ModelTimeoutException', 'Model timed out', 408), 'timeout', /took too long/],
  ['idle timeout', Object.assign(new Error('Stream timed out because of no activity for 30000 ms'), { name: 'TimeoutError' }), 'timeout', /within 30 s/],
  ['internal', sdkError('InternalServerException', 'Internal failure', 500, 3), 'service', /problem on its side/],
  ['unavailable', sdkError('ServiceUnavailableException', 'Service unavailable', 503, 3), 'service', /Try again in a moment/],
  ['stream error', Object.assign(new Error('Model stream error'), { name: 'ModelStreamErrorException' }), 'service', /problem on its side/],
  ['refused', netError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443'), 'offline', /can't reach https:\/\/bedrock-runtime\.eu-west-3\.amazonaws\.com: the connection was refused \(ECONNREFUSED\)/],
  ['dns', Object.assign(new Error('getaddrinfo ENOTFOUND bedrock-runtime.eu-west-3.amazonaws.com'), { code: 'ENOTFOUND' }), 'offline', /host name could not be resolved/],
  ['reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'offline', /connection was reset/],
  ['abnormal abort', new Error('HTTP/2 stream is abnormally aborted in mid-communication with result code 2.'), 'offline', /broke off/],
  ['something new', new Error('Something nobody expected'), 'unknown', /^The call to Bedrock failed for "meta\.llama3-8b-instruct-v1:0": Something nobody expected\.$/],
];

describe('toBedrockError', () => {
  for (const [name, error, kind, message] of TABLE) {
    it(`maps ${name} to ${kind}`, () => {
      const mapped = toBedrockError(error, context);
      expect(mapped).toBeInstanceOf(BedrockError);
      expect(mapped).toBeInstanceOf(AppError);
      expect(mapped.code).toBe('bedrock');
      expect(mapped.kind).toBe(kind);
      expect(mapped.message).toMatch(message);
      expect(mapped.details).toContain((error as Error).message.slice(0, 20));
      expect(mapped.toShape()).toEqual({ code: 'bedrock', message: mapped.message, details: mapped.details, kind });
    });
  }

  it('maps an abort to cancelled', () => {
    const abort = Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    expect(toBedrockError(abort)).toMatchObject({ code: 'cancelled', kind: 'cancelled', message: 'Cancelled.' });
  });

  it('puts where the call went in the details', () => {
    const mapped = toBedrockError(sdkError('ValidationException', 'nope', 400, 1), context);
    expect(mapped.details).toBe(
      'ValidationException (HTTP 400): nope\noperation: Converse, model: meta.llama3-8b-instruct-v1:0, region: eu-west-3, endpoint: https://bedrock-runtime.eu-west-3.amazonaws.com, profile: work\nattempts: 1\nrequest id: req-1',
    );
  });

  it('without a profile, says how to provide credentials at all', () => {
    const mapped = toBedrockError(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), {});
    expect(mapped.message).toMatch(/`aws configure`.*choose a profile in Settings.*AWS_ACCESS_KEY_ID/);
    expect(toBedrockError(Object.assign(new Error('Token is expired. run aws sso login'), { name: 'CredentialsProviderError' }), {}).message).toContain('`aws sso login`');
  });

  it('redacts anything that looks like a credential', () => {
    const leaky = new Error('failed with aws_secret_access_key=abcd1234SECRET and key AKIAABCDEFGHIJKLMNOP, Authorization: AWS4-HMAC-SHA256 Credential=xyz');
    const mapped = toBedrockError(leaky, {});
    const shown = JSON.stringify(mapped.toShape());
    expect(shown).not.toContain('abcd1234SECRET');
    expect(shown).not.toContain('AKIAABCDEFGHIJKLMNOP');
    expect(shown).not.toContain('AWS4-HMAC-SHA256');
    expect(redact('sessionToken: "IQoJb3JpZ2luX2VjE"')).toBe('sessionToken: "[redacted]"');
  });

  it('passes through errors that are already mapped', () => {
    const mapped = toBedrockError(sdkError('ThrottlingException', 'x', 429, 3), context);
    expect(toBedrockError(mapped, {})).toBe(mapped);
  });
});
