/** Every failure a person can hit, produced for real (SDK + HTTP/2 + fake server), mapped to what to do. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BedrockError } from '../../../electron/services/bedrock';
import { collect } from '../../support/async';
import { startFakeBedrock, type FakeError } from '../../support/fake-bedrock';
import { createStack, useStackAgainstFake } from './setup';

const MODEL = 'anthropic.claude-3-5-sonnet-20241022-v2:0';
const messages = [{ role: 'user' as const, text: 'Hello' }];

// Registered before the stack's hooks: set before it is made, removed after it is closed.
beforeAll(() => {
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
});
afterAll(() => {
  delete process.env.AWS_EC2_METADATA_DISABLED;
});
const ctx = useStackAgainstFake({ region: 'us-west-2', maxAttempts: 3 });

async function failure(run: () => Promise<unknown>): Promise<BedrockError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(BedrockError);
    return error as BedrockError;
  }
  throw new Error('expected the call to fail');
}

interface Row {
  error: FakeError;
  kind: string;
  message: RegExp;
  attempts: number;
}

const TABLE: Record<string, Row> = {
  'model access not enabled': {
    error: { status: 403, type: 'AccessDeniedException', message: "You don't have access to the model with the specified model ID." },
    kind: 'access',
    message: /no access to model "anthropic\.claude-3-5-sonnet-20241022-v2:0" in us-west-2\. Enable it in the Amazon Bedrock console → Model access/,
    attempts: 1,
  },
  'IAM permission missing': {
    error: {
      status: 403,
      type: 'AccessDeniedException',
      message: 'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: bedrock:InvokeModel on resource: arn:aws:bedrock:us-west-2::foundation-model/x',
    },
    kind: 'access',
    message: /not allowed to call bedrock:InvokeModel\. Ask your AWS administrator/,
    attempts: 1,
  },
  'on-demand throughput not supported': {
    error: {
      status: 400,
      type: 'ValidationException',
      message: "Invocation of model ID anthropic.claude-3-5-sonnet-20241022-v2:0 with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
    },
    kind: 'model-unavailable',
    message: /can't be called directly in us-west-2\. Pick its inference profile instead \(for example "us\.anthropic/,
    attempts: 1,
  },
  'invalid model id': {
    error: { status: 400, type: 'ValidationException', message: 'The provided model identifier is invalid.' },
    kind: 'model-unavailable',
    message: /is not available in us-west-2\. Check the model id, try its inference profile, or choose another region/,
    attempts: 1,
  },
  'model not found': {
    error: { status: 404, type: 'ResourceNotFoundException', message: 'Model not found.' },
    kind: 'model-unavailable',
    message: /is not available in us-west-2/,
    attempts: 1,
  },
  'validation error with the model message': {
    error: { status: 400, type: 'ValidationException', message: 'max_tokens: 300000 > 8192, which is the maximum allowed' },
    kind: 'validation',
    message: /^Bedrock rejected the request for "anthropic[^"]+": max_tokens: 300000 > 8192, which is the maximum allowed\.$/,
    attempts: 1,
  },
  'service quota': {
    error: { status: 400, type: 'ServiceQuotaExceededException', message: 'Your request exceeds the tokens-per-minute quota.' },
    kind: 'quota',
    message: /exceeds a Bedrock service quota.*Service Quotas console/,
    attempts: 1,
  },
  'throttled after every retry': {
    error: { status: 429, type: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' },
    kind: 'throttled',
    message: /throttling requests for "anthropic[^"]+" and Parallax gave up after 3 attempts\. Wait a moment/,
    attempts: 3,
  },
  'model timeout': {
    error: { status: 408, type: 'ModelTimeoutException', message: 'Model has timed out in processing the request.' },
    kind: 'timeout',
    message: /took too long to answer/,
    attempts: 1,
  },
  'internal server error after retries': {
    error: { status: 500, type: 'InternalServerException', message: 'An internal server error occurred.' },
    kind: 'service',
    message: /Bedrock had a problem on its side.*Try again in a moment/,
    attempts: 3,
  },
  'model error': {
    error: { status: 424, type: 'ModelErrorException', message: 'The model returned an error.' },
    kind: 'service',
    message: /problem on its side/,
    attempts: 1,
  },
  'invalid credentials': {
    error: { status: 403, type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' },
    kind: 'credentials',
    message: /AWS rejected the credentials: they are invalid/,
    attempts: 1,
  },
  'expired credentials': {
    error: { status: 403, type: 'ExpiredTokenException', message: 'The security token included in the request is expired' },
    kind: 'credentials',
    message: /they are expired\. Refresh them/,
    attempts: 1,
  },
};

describe('Bedrock errors over the wire', () => {
  for (const [name, row] of Object.entries(TABLE)) {
    it(`maps ${name}`, async () => {
      ctx.fake.on({ operation: 'Converse', error: row.error });
      const error = await failure(() => ctx.stack.bedrock.converse({ modelId: MODEL, messages }));
      expect(error.code).toBe('bedrock');
      expect(error.kind).toBe(row.kind);
      expect(error.message).toMatch(row.message);
      expect(error.attempts).toBe(row.attempts);
      expect(ctx.fake.requests).toHaveLength(row.attempts);
      expect(error.details).toContain(row.error.type);
      expect(error.details).toContain(row.error.message);
      expect(error.toShape()).toMatchObject({ code: 'bedrock', kind: row.kind });
    });
  }

  it('maps the same errors when streaming', async () => {
    ctx.fake.on({ operation: 'ConverseStream', error: TABLE['model access not enabled']!.error });
    const error = await failure(() => collect(ctx.stack.bedrock.converseStream({ modelId: MODEL, messages })));
    expect(error.kind).toBe('access');
    expect(error.partial).toBeUndefined();
  });

  it('never puts credentials in the message or details', async () => {
    ctx.fake.on({ operation: 'Converse', error: { status: 400, type: 'ValidationException', message: 'bad' } });
    const error = await failure(() => ctx.stack.bedrock.converse({ modelId: MODEL, messages }));
    const shown = JSON.stringify(error.toShape());
    expect(shown).not.toContain(process.env.AWS_SECRET_ACCESS_KEY!);
    expect(shown).not.toContain(process.env.AWS_ACCESS_KEY_ID!);
  });

  it('redacts the credentials the SDK used even when an endpoint echoes them without a label', async () => {
    const secret = process.env.AWS_SECRET_ACCESS_KEY!;
    const keyId = process.env.AWS_ACCESS_KEY_ID!;
    for (const operation of ['Converse', 'ConverseStream'] as const) {
      ctx.fake.on({ operation, error: { status: 400, type: 'ValidationException', message: `echo ${secret} / ${keyId}` } });
    }
    for (const call of [() => ctx.stack.bedrock.converse({ modelId: MODEL, messages }), () => collect(ctx.stack.bedrock.converseStream({ modelId: MODEL, messages }))]) {
      const shown = JSON.stringify((await failure(call)).toShape());
      expect(shown).toContain('echo [redacted]');
      expect(shown).not.toContain(secret);
      expect(shown).not.toContain(keyId);
    }
  });
});

describe('connection failures', () => {
  it('names the endpoint when it is unreachable (connection refused)', async () => {
    const gone = await startFakeBedrock();
    const endpoint = gone.endpoint;
    await gone.close();
    const offline = createStack({ region: 'us-east-1', endpoint, maxAttempts: 1 });
    try {
      const error = await failure(() => offline.bedrock.converse({ modelId: MODEL, messages }));
      expect(error.kind).toBe('offline');
      expect(error.message).toBe(
        `Parallax can't reach ${endpoint}: the connection was refused (ECONNREFUSED). Check your internet connection, VPN or proxy, and the custom endpoint in Settings.`,
      );
    } finally {
      offline.close();
    }
  });

  it('reports an unresolvable host as offline', async () => {
    const offline = createStack({ region: 'us-east-1', endpoint: 'http://bedrock.parallax-test.invalid:4599', maxAttempts: 1 });
    try {
      const error = await failure(() => offline.bedrock.converse({ modelId: MODEL, messages }));
      expect(error.kind).toBe('offline');
      expect(error.message).toContain("Parallax can't reach http://bedrock.parallax-test.invalid:4599");
    } finally {
      offline.close();
    }
  });

  it('times out when Bedrock stays silent longer than the timeout', async () => {
    const slow = createStack({ region: 'us-east-1', endpoint: ctx.fake.endpoint, maxAttempts: 1, timeoutMs: 1_000 });
    try {
      ctx.fake.on({ operation: 'Converse', pace: { firstTokenMs: 4_000 } });
      const started = Date.now();
      const error = await failure(() => slow.bedrock.converse({ modelId: MODEL, messages }));
      expect(error.kind).toBe('timeout');
      expect(error.message).toBe('Bedrock did not answer within 1 s. Try again, or raise the timeout in Settings.');
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      slow.close();
    }
  });

  it('times out when a stream stalls part way, keeping the text that arrived', async () => {
    const slow = createStack({ region: 'us-east-1', endpoint: ctx.fake.endpoint, maxAttempts: 1, timeoutMs: 1_000 });
    try {
      // The first words arrive at once, then one word every 4 s: longer than the 1 s timeout.
      ctx.fake.on({ operation: 'ConverseStream', reply: { text: 'one two three four five' }, pace: { firstTokenMs: 0, tokensPerSecond: 0.25, wordsPerChunk: 2 } });
      let text = '';
      const started = Date.now();
      const error = await failure(async () => {
        for await (const event of slow.bedrock.converseStream({ modelId: MODEL, messages })) if (event.type === 'text') text += event.text;
      });
      expect(error.kind).toBe('timeout');
      expect(error.message).toMatch(/Bedrock did not answer within 1 s/);
      expect(text).toBe('one two ');
      expect(Date.now() - started).toBeLessThan(3_500);
    } finally {
      slow.close();
    }
  });
});

describe('credential problems (the SDK provider chain)', () => {
  let home: string;
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    home = mkdtempSync(join(tmpdir(), 'parallax-aws-home-'));
    for (const key of ['HOME', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_CONFIG_FILE']) saved[key] = process.env[key];
  });
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('explains how to provide credentials when there are none', async () => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    const none = createStack({ region: 'us-east-1', endpoint: ctx.fake.endpoint, maxAttempts: 1 });
    try {
      const error = await failure(() => none.bedrock.converse({ modelId: MODEL, messages }));
      expect(error.kind).toBe('credentials');
      expect(error.message).toMatch(/found no AWS credentials.*`aws configure`.*choose a profile in Settings.*AWS_ACCESS_KEY_ID/);
      expect(ctx.fake.requests).toHaveLength(0);
    } finally {
      none.close();
    }
  });

  it('says when the chosen profile does not exist', async () => {
    const config = join(home, 'config-empty');
    writeFileSync(config, '[default]\nregion = us-east-1\n');
    process.env.AWS_CONFIG_FILE = config;
    const missing = createStack({ region: 'us-east-1', endpoint: ctx.fake.endpoint, maxAttempts: 1, profile: 'nope' });
    try {
      const error = await failure(() => missing.bedrock.converse({ modelId: MODEL, messages }));
      expect(error.kind).toBe('credentials');
      expect(error.message).toMatch(/profile "nope"/);
    } finally {
      missing.close();
    }
  });

  it('tells how to sign in again when the SSO session has expired', async () => {
    const config = join(home, 'config-sso');
    writeFileSync(
      config,
      [
        '[profile sso-dev]',
        'sso_session = corp',
        'sso_account_id = 123456789012',
        'sso_role_name = Developer',
        'region = us-east-1',
        '[sso-session corp]',
        'sso_start_url = https://corp.awsapps.com/start',
        'sso_region = us-east-1',
        '',
      ].join('\n'),
    );
    process.env.AWS_CONFIG_FILE = config;
    process.env.HOME = home;
    mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
    const sso = createStack({ region: 'us-east-1', endpoint: ctx.fake.endpoint, maxAttempts: 1, profile: 'sso-dev' });
    try {
      const error = await failure(() => sso.bedrock.converse({ modelId: MODEL, messages }));
      expect(error.kind).toBe('sso-expired');
      expect(error.message).toBe('Your AWS SSO session for profile "sso-dev" has expired. Run `aws sso login --profile sso-dev` in a terminal, then try again.');
    } finally {
      sso.close();
    }
  });
});
