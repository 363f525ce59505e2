/** The small, realistic control-plane catalog the list calls return. */
const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const CREATED_AT = '2024-06-01T00:00:00Z';

type Modality = 'TEXT' | 'IMAGE' | 'EMBEDDING';

interface ModelEntry {
  id: string;
  name: string;
  provider: string;
  input: Modality[];
  output: Modality[];
  streaming: boolean;
  inference: ('ON_DEMAND' | 'INFERENCE_PROFILE')[];
}

const MODELS: readonly ModelEntry[] = [
  { id: 'anthropic.claude-3-haiku-20240307-v1:0', name: 'Claude 3 Haiku', provider: 'Anthropic', input: ['TEXT', 'IMAGE'], output: ['TEXT'], streaming: true, inference: ['ON_DEMAND', 'INFERENCE_PROFILE'] },
  { id: 'amazon.nova-lite-v1:0', name: 'Nova Lite', provider: 'Amazon', input: ['TEXT', 'IMAGE'], output: ['TEXT'], streaming: true, inference: ['ON_DEMAND', 'INFERENCE_PROFILE'] },
  { id: 'meta.llama3-8b-instruct-v1:0', name: 'Llama 3 8B Instruct', provider: 'Meta', input: ['TEXT'], output: ['TEXT'], streaming: true, inference: ['ON_DEMAND'] },
  { id: 'stability.stable-diffusion-xl-v1', name: 'SDXL 1.0', provider: 'Stability AI', input: ['TEXT', 'IMAGE'], output: ['IMAGE'], streaming: false, inference: ['ON_DEMAND'] },
  { id: 'amazon.titan-image-generator-v1', name: 'Titan Image Generator G1', provider: 'Amazon', input: ['TEXT', 'IMAGE'], output: ['IMAGE'], streaming: false, inference: ['ON_DEMAND'] },
  { id: 'amazon.titan-image-generator-v2:0', name: 'Titan Image Generator G1 v2', provider: 'Amazon', input: ['TEXT', 'IMAGE'], output: ['IMAGE'], streaming: false, inference: ['ON_DEMAND'] },
  { id: 'amazon.nova-canvas-v1:0', name: 'Nova Canvas', provider: 'Amazon', input: ['TEXT', 'IMAGE'], output: ['IMAGE'], streaming: false, inference: ['ON_DEMAND'] },
  { id: 'amazon.titan-embed-text-v1', name: 'Titan Embeddings G1 - Text', provider: 'Amazon', input: ['TEXT'], output: ['EMBEDDING'], streaming: false, inference: ['ON_DEMAND'] },
  { id: 'amazon.titan-embed-text-v2:0', name: 'Titan Text Embeddings V2', provider: 'Amazon', input: ['TEXT'], output: ['EMBEDDING'], streaming: false, inference: ['ON_DEMAND'] },
];

const modelArn = (id: string, region = REGION): string => `arn:aws:bedrock:${region}::foundation-model/${id}`;

/** ListFoundationModels, honouring the byProvider / byOutputModality / byInferenceType filters. */
export function foundationModelsBody(query: URLSearchParams): unknown {
  const provider = query.get('byProvider')?.toLowerCase();
  const output = query.get('byOutputModality');
  const inference = query.get('byInferenceType');
  const models = MODELS.filter(
    (model) =>
      (!provider || model.provider.toLowerCase().replace(/\s+/g, '') === provider.replace(/\s+/g, '') || model.id.startsWith(`${provider}.`)) &&
      (!output || model.output.includes(output as Modality)) &&
      (!inference || model.inference.includes(inference as ModelEntry['inference'][number])),
  );
  return {
    modelSummaries: models.map((model) => ({
      modelArn: modelArn(model.id),
      modelId: model.id,
      modelName: model.name,
      providerName: model.provider,
      inputModalities: model.input,
      outputModalities: model.output,
      responseStreamingSupported: model.streaming,
      customizationsSupported: [],
      inferenceTypesSupported: model.inference,
      modelLifecycle: { status: 'ACTIVE' },
    })),
  };
}

/** ListInferenceProfiles: one system-defined cross-region profile. */
export function inferenceProfilesBody(query: URLSearchParams): unknown {
  const type = query.get('type');
  const profiles = [
    {
      inferenceProfileName: 'US Anthropic Claude 3 Haiku',
      inferenceProfileArn: `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0`,
      inferenceProfileId: 'us.anthropic.claude-3-haiku-20240307-v1:0',
      description: 'Routes requests to Anthropic Claude 3 Haiku in us-east-1, us-east-2 and us-west-2.',
      models: ['us-east-1', 'us-east-2', 'us-west-2'].map((region) => ({ modelArn: modelArn('anthropic.claude-3-haiku-20240307-v1:0', region) })),
      status: 'ACTIVE',
      type: 'SYSTEM_DEFINED',
      createdAt: CREATED_AT,
      updatedAt: CREATED_AT,
    },
  ];
  return { inferenceProfileSummaries: profiles.filter((profile) => !type || profile.type === type) };
}

export const FAKE_GUARDRAIL_ID = 'fakeguardrail01';

/** ListGuardrails: one guardrail (DRAFT). */
export function guardrailsBody(): unknown {
  return {
    guardrails: [
      {
        id: FAKE_GUARDRAIL_ID,
        arn: `arn:aws:bedrock:${REGION}:${ACCOUNT}:guardrail/${FAKE_GUARDRAIL_ID}`,
        status: 'READY',
        name: 'parallax-responsible-ai',
        description: 'Blocks hate, insults and prompt attacks (fake).',
        version: 'DRAFT',
        createdAt: CREATED_AT,
        updatedAt: CREATED_AT,
      },
    ],
  };
}
