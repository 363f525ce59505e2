/** Shared fixtures of the batch tests and bench: a two-arm comparison over a `${topic}` column. */
import type { ExperimentConfig } from '../../shared/domain';

export const BATCH_CONFIG: ExperimentConfig = {
  variables: [{ name: 'topic', value: 'tides' }],
  arms: [
    { mode: 'baseline', label: 'Baseline', modelId: 'amazon.nova-lite-v1:0', inference: { maxTokens: 200 }, system: '', history: [], template: 'Tell me about ${topic}.' },
    { mode: 'detached', label: 'Bias guard', modelId: 'anthropic.claude-3-haiku-20240307-v1:0', inference: { maxTokens: 200 }, system: 'Be fair and avoid stereotypes.', history: [], template: 'Tell me about ${topic}, fairly.', steps: [] },
  ],
};

/** A CSV of `rows` topics (topic-1 … topic-N) with a reference column. */
export function topicsCsv(rows: number): string {
  const lines = ['topic,expected'];
  for (let i = 1; i <= rows; i += 1) lines.push(`topic-${i},"About topic-${i}, briefly"`);
  return `${lines.join('\n')}\n`;
}

/** The topic number a request was about (from its last user message). */
export function topicOf(body: { messages?: { content?: { text?: string }[] }[] }): number | null {
  const text = body.messages?.at(-1)?.content?.map((c) => c.text ?? '').join('') ?? '';
  const m = /topic-(\d+)/.exec(text);
  return m ? Number(m[1]) : null;
}
