/** The model catalog (cached, offline), connection test, prices, and settings that apply at once. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/dispatch';
import { createHandlers } from '../../../electron/handlers';
import { createServices } from '../../../electron/services';
import { startFakeBedrock } from '../../support/fake-bedrock';
import { useFakeBedrock } from '../../support/fake-bedrock-env';
import { createStack } from './setup';

const ctx = useFakeBedrock();
afterEach(() => ctx.fake.reset());

describe('model catalog', () => {
  it('serves the shipped list before any refresh, with estimated prices', () => {
    const stack = createStack({ region: 'us-east-1', endpoint: ctx.fake.endpoint });
    try {
      const catalog = stack.catalog.list();
      expect(catalog.fetchedAt).toBeNull();
      const haiku = catalog.models.find((m) => m.id === 'anthropic.claude-3-haiku-20240307-v1:0')!;
      expect(haiku).toMatchObject({ source: 'shipped', listed: null, modality: 'text', price: { source: 'estimate', inputPer1k: 0.00025, outputPer1k: 0.00125 } });
      expect(stack.catalog.list({ modality: 'image' }).models.every((m) => m.modality === 'image')).toBe(true);
      expect(stack.catalog.list({ modality: 'embedding' }).models.map((m) => m.id)).toContain('amazon.titan-embed-text-v2:0');
    } finally {
      stack.close();
    }
  });

  it('refreshes from Bedrock, caches in SQLite and keeps serving the list offline', async () => {
    const local = await startFakeBedrock();
    const stack = createStack({ region: 'us-east-1', endpoint: local.endpoint, maxAttempts: 1 });
    try {
      const fresh = await stack.catalog.refresh();
      expect(fresh.fetchedAt).not.toBeNull();
      expect(local.requests.map((r) => r.operation).sort()).toEqual(['ListFoundationModels', 'ListGuardrails', 'ListInferenceProfiles']);
      const profile = fresh.models.find((m) => m.id === 'us.anthropic.claude-3-haiku-20240307-v1:0')!;
      expect(profile).toMatchObject({ kind: 'profile', modality: 'text', provider: 'Anthropic', baseModelId: 'anthropic.claude-3-haiku-20240307-v1:0' });
      expect(profile.price).toMatchObject({ inputPer1k: 0.00025 });
      expect(fresh.models.find((m) => m.id === 'amazon.nova-canvas-v1:0')).toMatchObject({ source: 'both', listed: true, modality: 'image' });
      expect(fresh.models.find((m) => m.id === 'amazon.nova-pro-v1:0')).toMatchObject({ source: 'shipped', listed: false });
      expect(fresh.guardrails.length).toBeGreaterThan(0);

      await local.close();
      const offline = stack.catalog.list();
      expect(offline.models).toEqual(fresh.models);
      expect(offline.guardrails).toEqual(fresh.guardrails);
      await expect(stack.catalog.refresh()).rejects.toMatchObject({ code: 'bedrock', kind: 'offline' });
      expect(stack.catalog.list().models).toEqual(fresh.models); // a failed refresh keeps the cache
    } finally {
      stack.close();
    }
  });

  it('says which best-effort lists could not be loaded, and why, while the models still refresh', async () => {
    const stack = createStack({ region: 'us-east-1', endpoint: ctx.fake.endpoint, maxAttempts: 1 });
    try {
      ctx.fake.on({ operation: 'ListGuardrails', error: { status: 403, type: 'AccessDeniedException', message: 'User is not authorized to perform: bedrock:ListGuardrails' } });
      const fresh = await stack.catalog.refresh();
      expect(fresh.fetchedAt).not.toBeNull();
      expect(fresh.models.some((m) => m.kind === 'profile')).toBe(true);
      expect(fresh.guardrails).toEqual([]);
      expect(fresh.warnings).toHaveLength(1);
      expect(fresh.warnings[0]).toMatch(/^Guardrails could not be listed: .*bedrock:ListGuardrails.* Guardrail pickers stay empty; you can still type a guardrail id\.$/);
      ctx.fake.reset();
      expect((await stack.catalog.refresh()).warnings).toEqual([]);
    } finally {
      stack.close();
    }
  });

  it('keeps one cache per region', async () => {
    const stack = createStack({ region: 'us-east-1', endpoint: ctx.fake.endpoint });
    try {
      await stack.catalog.refresh();
      stack.settings.update({ region: 'eu-west-1' });
      expect(stack.catalog.list().fetchedAt).toBeNull();
      stack.settings.update({ region: 'us-east-1' });
      expect(stack.catalog.list().fetchedAt).not.toBeNull();
    } finally {
      stack.close();
    }
  });

  it('lets the user edit prices, which estimateCost then uses; reset restores the estimate', () => {
    const stack = createStack({ region: 'us-east-1', endpoint: ctx.fake.endpoint });
    try {
      expect(stack.bedrock.estimateCost('amazon.nova-lite-v1:0', 1_000, 2_000)).toBeCloseTo(0.00006 + 2 * 0.00024, 10);
      expect(stack.bedrock.estimateCost('us.amazon.nova-lite-v1:0', 1_000, 0)).toBeCloseTo(0.00006, 10);
      const edited = stack.catalog.setPrice('amazon.nova-lite-v1:0', { inputPer1k: 0.001, outputPer1k: 0.002, perImage: null });
      expect(edited.models.find((m) => m.id === 'amazon.nova-lite-v1:0')!.price).toEqual({ inputPer1k: 0.001, outputPer1k: 0.002, perImage: null, source: 'user' });
      expect(stack.bedrock.estimateCost('amazon.nova-lite-v1:0', 2_000, 1_000)).toBeCloseTo(0.004, 10);
      expect(stack.bedrock.estimateCost('unknown.model-v1', 10, 10)).toBeNull();
      stack.catalog.resetPrice('amazon.nova-lite-v1:0');
      expect(stack.catalog.priceOf('amazon.nova-lite-v1:0')?.source).toBe('estimate');
    } finally {
      stack.close();
    }
  });
});

describe('connection test', () => {
  it('reports success with region and model count', async () => {
    const stack = createStack({ region: 'us-east-1', endpoint: ctx.fake.endpoint });
    try {
      const result = await stack.bedrock.testConnection();
      expect(result).toMatchObject({ ok: true, region: 'us-east-1', endpoint: ctx.fake.endpoint, profile: null, modelCount: 9 });
    } finally {
      stack.close();
    }
  });

  it('tests unsaved settings through throw-away clients, leaving the saved ones alone', async () => {
    const other = await startFakeBedrock();
    const stack = createStack({ region: 'us-east-1', endpoint: ctx.fake.endpoint });
    try {
      const candidate = { ...stack.settings.get(), endpoint: other.endpoint, region: 'eu-west-1' };
      const result = await stack.bedrock.testConnection(candidate);
      expect(result).toMatchObject({ ok: true, region: 'eu-west-1', endpoint: other.endpoint });
      expect(other.requests).toHaveLength(1);
      expect(ctx.fake.requests).toHaveLength(0);
      expect(stack.settings.get().endpoint).toBe(ctx.fake.endpoint);
      expect(stack.clients.builds).toBe(0);
    } finally {
      stack.close();
      await other.close();
    }
  });

  it('reports the mapped error instead of throwing', async () => {
    ctx.fake.on({ operation: 'ListFoundationModels', error: { status: 403, type: 'AccessDeniedException', message: 'User: arn:aws:iam::1:user/x is not authorized to perform: bedrock:ListFoundationModels' } });
    const stack = createStack({ region: 'us-east-1', endpoint: ctx.fake.endpoint });
    try {
      const result = await stack.bedrock.testConnection();
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatchObject({ code: 'bedrock', kind: 'access' });
      expect(result.error.message).toContain('bedrock:ListFoundationModels');
    } finally {
      stack.close();
    }
  });
});

describe('settings', () => {
  it('a settings change rebuilds the client: calls go to the new endpoint without a restart', async () => {
    const second = await startFakeBedrock({ defaultReply: 'Answer from the second server.' });
    const stack = createStack({ region: 'us-east-1', endpoint: ctx.fake.endpoint });
    try {
      const first = await stack.bedrock.converse({ modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', text: 'hi' }] });
      expect(ctx.fake.requests).toHaveLength(1);
      expect(stack.clients.builds).toBe(1);

      stack.settings.update({ endpoint: second.endpoint, maxAttempts: 5 });
      const next = await stack.bedrock.converse({ modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', text: 'hi' }] });
      expect(next.text).toBe('Answer from the second server.');
      expect(next.text).not.toBe(first.text);
      expect(second.requests).toHaveLength(1);
      expect(ctx.fake.requests).toHaveLength(1);
      expect(stack.clients.builds).toBe(2);
      expect(await (await stack.clients.runtime()).config.maxAttempts()).toBe(5);

      // Unchanged settings reuse the client.
      stack.settings.update({ models: { ...stack.settings.get().models, judge: 'amazon.nova-micro-v1:0' } });
      await stack.bedrock.converse({ modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', text: 'hi' }] });
      expect(stack.clients.builds).toBe(2);
    } finally {
      stack.close();
      await second.close();
    }
  });

  it('persists settings, validates them at the IPC boundary, and tests the connection through the handler table', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parallax-settings-'));
    const emitted: string[] = [];
    let services = createServices({ dataDir, version: 'test' });
    try {
      let handlers = createHandlers(services, (event) => emitted.push(event));
      const defaults = await dispatch(handlers, 'settings:get', {});
      expect(defaults).toMatchObject({ ok: true, value: { region: 'us-east-1', endpoint: null, profile: null, retryMode: 'standard', maxAttempts: 3 } });

      const bad = await dispatch(handlers, 'settings:save', { region: 'moon-1', endpoint: 'not a url', maxAttempts: 99 });
      expect(bad.ok).toBe(false);

      const saved = await dispatch(handlers, 'settings:save', {
        region: 'us-east-1',
        endpoint: ctx.fake.endpoint,
        profile: '',
        retryMode: 'adaptive',
        maxAttempts: 2,
        timeoutMs: 20_000,
        models: { generation: 'amazon.nova-micro-v1:0', judge: 'amazon.nova-pro-v1:0', image: 'amazon.titan-image-generator-v2:0', embedding: 'amazon.titan-embed-text-v1' },
      });
      expect(saved).toMatchObject({ ok: true, value: { endpoint: ctx.fake.endpoint, profile: null, retryMode: 'adaptive' } });
      expect(emitted).toContain('settings:changed');

      const test = await dispatch(handlers, 'bedrock:test-connection', {});
      expect(test).toMatchObject({ ok: true, value: { ok: true, modelCount: 9 } });
      const refreshed = await dispatch(handlers, 'models:refresh', {});
      expect(refreshed).toMatchObject({ ok: true });
      const price = await dispatch(handlers, 'models:set-price', { modelId: 'amazon.nova-micro-v1:0', inputPer1k: 0.5, outputPer1k: 1 });
      expect(price.ok).toBe(true);

      services.close();
      services = createServices({ dataDir, version: 'test' });
      handlers = createHandlers(services, () => undefined);
      const again = await dispatch(handlers, 'settings:get', {});
      expect(again).toMatchObject({ ok: true, value: { endpoint: ctx.fake.endpoint, maxAttempts: 2, models: { generation: 'amazon.nova-micro-v1:0' } } });
      const listed = await dispatch(handlers, 'models:list', { modality: 'text' });
      expect(listed.ok && (listed.value as { fetchedAt: number | null }).fetchedAt).not.toBeNull();
      expect(services.catalog.priceOf('amazon.nova-micro-v1:0')).toMatchObject({ inputPer1k: 0.5, source: 'user' });
    } finally {
      services.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
