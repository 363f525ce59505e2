/** Maps an HTTP method and path to the Bedrock operation it calls. */
import type { FakeOperation } from './types';

export interface Route {
  operation: FakeOperation;
  modelId?: string;
  guardrailId?: string;
  guardrailVersion?: string;
  query: URLSearchParams;
}

const MODEL_ACTIONS: Record<string, FakeOperation> = {
  converse: 'Converse',
  'converse-stream': 'ConverseStream',
  invoke: 'InvokeModel',
};

const LISTS: Record<string, FakeOperation> = {
  '/foundation-models': 'ListFoundationModels',
  '/inference-profiles': 'ListInferenceProfiles',
  '/guardrails': 'ListGuardrails',
};

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Undefined when the fake does not know the operation. */
export function routeOf(method: string, rawPath: string): Route | undefined {
  const url = new URL(rawPath, 'http://fake-bedrock');
  const segments = url.pathname.split('/').filter(Boolean);
  const query = url.searchParams;
  if (method === 'GET') {
    const operation = LISTS[url.pathname.replace(/\/+$/, '')];
    return operation ? { operation, query } : undefined;
  }
  if (method !== 'POST') return undefined;
  const [first, second, third, fourth, fifth] = segments;
  if (segments.length === 3 && first === 'model' && second && third) {
    const operation = MODEL_ACTIONS[third];
    return operation ? { operation, modelId: decode(second), query } : undefined;
  }
  if (segments.length === 5 && first === 'guardrail' && second && third === 'version' && fourth && fifth === 'apply') {
    return { operation: 'ApplyGuardrail', guardrailId: decode(second), guardrailVersion: decode(fourth), query };
  }
  return undefined;
}
