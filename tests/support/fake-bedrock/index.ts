/**
 * A local fake of Amazon Bedrock (runtime + the control-plane list calls) that the real AWS SDK
 * talks to over cleartext HTTP/2. See README.md next to this file.
 */
import { FakeBedrockServer } from './server';
import type { FakeBedrock, FakeBedrockOptions } from './types';

export type { FakeBedrock, FakeBedrockOptions, FakeError, FakeOperation, FakePace, FakeReply, FakeRule, FakeStreamError, ReceivedRequest } from './types';
export { TINY_PNG_BASE64, pngSize, solidPng } from './png';
export { DEFAULT_REPLY } from './server';
export { FAKE_GUARDRAIL_ID } from './catalog';
export { embeddingOf } from './invoke-model';
export { guardrailBody, classifierReply, toxicityReply, DEFAULT_BLOCKED_MESSAGE, type GuardrailScript } from './guardrail';

export function startFakeBedrock(options?: FakeBedrockOptions): Promise<FakeBedrock> {
  return FakeBedrockServer.start(options);
}
