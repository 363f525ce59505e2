import { z } from 'zod';
import type { AppErrorShape } from '../errors';
import { channel, event } from './channel';

export const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Default models per job; any Bedrock model id, inference profile id or ARN. */
export const DefaultModels = z.object({
  generation: z.string().trim().min(1).max(200).default('amazon.nova-lite-v1:0'),
  judge: z.string().trim().min(1).max(200).default('amazon.nova-pro-v1:0'),
  image: z.string().trim().min(1).max(200).default('amazon.nova-canvas-v1:0'),
  embedding: z.string().trim().min(1).max(200).default('amazon.titan-embed-text-v2:0'),
});
export type DefaultModels = z.infer<typeof DefaultModels>;

/**
 * How Parallax reaches Amazon Bedrock. Credentials are never part of this: they come from the
 * AWS SDK's own provider chain (the named profile, SSO, process credentials, environment).
 */
export const BedrockSettings = z.object({
  /** A profile from ~/.aws/config or ~/.aws/credentials; null = the SDK's default chain. */
  profile: z
    .string()
    .trim()
    .max(128)
    .nullable()
    .default(null)
    .transform((value) => (value === '' ? null : value)),
  region: z.string().trim().regex(AWS_REGION, 'Use an AWS region code such as us-east-1').default('us-east-1'),
  /** A custom endpoint (VPC endpoint, proxy, local fake); null = the regional AWS endpoint. */
  endpoint: z
    .string()
    .trim()
    .nullable()
    .default(null)
    .transform((value) => (value === '' ? null : value))
    .refine((value) => value === null || isHttpUrl(value), 'Use a full URL such as https://bedrock-runtime.us-east-1.amazonaws.com'),
  retryMode: z.enum(['standard', 'adaptive']).default('standard'),
  maxAttempts: z.number().int().min(1).max(10).default(3),
  /** Connection and request idle timeout, in milliseconds. */
  timeoutMs: z.number().int().min(1_000).max(900_000).default(60_000),
  models: DefaultModels.default(DefaultModels.parse({})),
});
export type BedrockSettings = z.output<typeof BedrockSettings>;
export type BedrockSettingsInput = z.input<typeof BedrockSettings>;

export const DEFAULT_BEDROCK_SETTINGS: BedrockSettings = BedrockSettings.parse({});

/** http(s)://host[:port][/path] — checked with a pattern because shared/ has no URL global in its lib. */
const HTTP_URL = /^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:\d{1,5})?(\/[^\s]*)?$/i;

function isHttpUrl(value: string): boolean {
  return HTTP_URL.test(value);
}

export interface AwsProfiles {
  /** Profile names only, never their contents. */
  profiles: string[];
  /** The files that were read, for the UI's hint. */
  sources: string[];
  /** The profile AWS_PROFILE names, if any. */
  envProfile: string | null;
}

/** A Bedrock failure as the UI sees it: `kind` picks the icon. */
export type BedrockErrorKind =
  | 'credentials'
  | 'sso-expired'
  | 'access'
  | 'model-unavailable'
  | 'throttled'
  | 'quota'
  | 'validation'
  | 'offline'
  | 'timeout'
  | 'service'
  | 'content-filtered'
  | 'cancelled'
  | 'unknown';

export type ConnectionTestResult =
  | { ok: true; region: string; endpoint: string | null; profile: string | null; modelCount: number; elapsedMs: number }
  | { ok: false; region: string; endpoint: string | null; profile: string | null; error: AppErrorShape };

export const settingsChannels = {
  'settings:get': channel(z.object({})).returns<BedrockSettings>(),
  'settings:save': channel(BedrockSettings).returns<BedrockSettings>(),
  'settings:profiles': channel(z.object({})).returns<AwsProfiles>(),
  /** Tests the given settings (e.g. unsaved ones in the form), or the saved ones when omitted. */
  'bedrock:test-connection': channel(z.object({ settings: BedrockSettings.optional() })).returns<ConnectionTestResult>(),
};

export const settingsEvents = {
  'settings:changed': event<BedrockSettings>(),
};
