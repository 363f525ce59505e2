/**
 * Every AWS SDK value Parallax uses, in one module that is loaded on the first Bedrock call
 * (`loadSdk` in clients.ts), never at start-up: the SDK is the largest code the main process
 * has, and the window's first request does not need it. Elsewhere the SDK is imported for types
 * only (`import type`), so the bundle keeps it in this module's own chunk.
 */
export { ApplyGuardrailCommand, BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
export { BedrockClient, ListFoundationModelsCommand, ListGuardrailsCommand, ListInferenceProfilesCommand } from '@aws-sdk/client-bedrock';
export { NodeHttp2Handler } from '@smithy/node-http-handler';
