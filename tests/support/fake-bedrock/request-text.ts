/** Pulls the human text out of a request body, for prompt matching and token counts. */
import type { FakeOperation } from './types';

type Json = unknown;

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: Json): Json[] {
  return Array.isArray(value) ? value : [];
}

function str(value: Json): string[] {
  return typeof value === 'string' ? [value] : [];
}

/** Text of Converse content blocks and of Anthropic / Nova style message contents. */
function contentTexts(content: Json): string[] {
  if (typeof content === 'string') return [content];
  return list(content).flatMap((block) => {
    if (!isRecord(block)) return [];
    const guard = isRecord(block.guardContent) && isRecord(block.guardContent.text) ? block.guardContent.text.text : undefined;
    return [...str(block.text), ...str(guard)];
  });
}

function messageTexts(messages: Json): string[] {
  return list(messages).flatMap((message) => (isRecord(message) ? contentTexts(message.content) : []));
}

function converseTexts(body: Record<string, Json>): string[] {
  return [...contentTexts(body.system), ...messageTexts(body.messages)];
}

function invokeTexts(body: Record<string, Json>): string[] {
  const textToImage = isRecord(body.textToImageParams) ? body.textToImageParams : {};
  return [
    ...str(body.inputText),
    ...str(body.prompt),
    ...list(body.text_prompts).flatMap((prompt) => (isRecord(prompt) ? str(prompt.text) : [])),
    ...str(textToImage.text),
    ...contentTexts(body.system),
    ...messageTexts(body.messages),
  ];
}

function guardrailTexts(body: Record<string, Json>): string[] {
  return list(body.content).flatMap((block) => (isRecord(block) && isRecord(block.text) ? str(block.text.text) : []));
}

/** All text the request carries, newline-joined ('' when it carries none). */
export function requestText(operation: FakeOperation, body: Json): string {
  if (!isRecord(body)) return '';
  switch (operation) {
    case 'Converse':
    case 'ConverseStream':
      return converseTexts(body).join('\n');
    case 'InvokeModel':
      return invokeTexts(body).join('\n');
    case 'ApplyGuardrail':
      return guardrailTexts(body).join('\n');
    default:
      return '';
  }
}

/** A rough token count: words, counting each CJK character as one. */
export function countTokens(text: string): number {
  const words = text.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu);
  return words?.length ?? 0;
}
