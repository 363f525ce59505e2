/** The audit's exceptions (issue 14, item 8) that the dispatcher and the handler table own. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/dispatch';
import { createHandlers, type Handlers } from '../../../electron/handlers';
import { createServices, type Services } from '../../../electron/services';

let dir: string;
let services: Services;
let handlers: Handlers;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parallax-audit-'));
  services = createServices({ dataDir: dir, version: '0.0.0-test' });
  handlers = createHandlers(services, () => undefined);
});
afterEach(() => {
  services.close();
  rmSync(dir, { recursive: true, force: true });
});

const config = {
  arms: [
    { label: 'Baseline', technique: 'none', modelId: 'amazon.nova-lite-v1:0', template: 'Hello' },
    { label: 'Guarded', technique: 'none', modelId: 'amazon.nova-lite-v1:0', template: 'Hello' },
  ],
};
const count = (table: string) => services.db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

describe('compare:run', () => {
  it('with an experiment id that does not exist says "not found" and writes nothing', async () => {
    const result = await dispatch(handlers, 'compare:run', { experimentId: 'no-such-experiment', config });
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found', message: expect.stringContaining('That experiment no longer exists') } });
    expect(count('runs')).toBe(0);
    expect(count('arm_outputs')).toBe(0);
  });
});

describe('size limits', () => {
  const huge = 'x'.repeat(10 * 1024 * 1024);
  it.each([
    ['experiments:save', { name: huge, config }, 'name'],
    ['experiments:save', { name: 'ok', config: { arms: [{ ...config.arms[0], label: huge }, config.arms[1]] } }, 'config.arms.0.label'],
    ['experiments:save', { name: 'ok', config: { arms: [{ ...config.arms[0], template: huge }, config.arms[1]] } }, 'config.arms.0.template'],
    ['compare:run', { title: huge, config }, 'title'],
    ['history:note', { id: 'r1', note: huge }, 'note'],
    ['collections:create', { name: huge }, 'name'],
  ] as const)('%s refuses a 10 MB %s, naming the field, and saves nothing', async (channel, request, field) => {
    const result = await dispatch(handlers, channel, request);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_request');
    expect(result.error.message).toMatch(new RegExp(`^${field.replace(/\./g, '\\.')} is too long: at most [\\d,]+ characters`));
    expect(count('experiments') + count('runs') + count('collections')).toBe(0);
  });
});

describe('the dispatcher', () => {
  it('refuses channel values that cannot be turned into a string instead of throwing', async () => {
    for (const value of [Object.create(null), { toString: () => { throw new Error('boom'); } }, Symbol('x'), 42n, undefined]) {
      const result = await dispatch(handlers, value, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('Unknown channel') } });
    }
  });
});
