import { describe, expect, it } from 'vitest';
import { createStreamPace } from '../../../electron/services/streaming/pace';

describe('stream pace: a slow window gets fewer, larger deltas', () => {
  it('starts at one delta per frame, follows a slow window up at once and relaxes back', () => {
    let now = 0;
    const pace = createStreamPace({ clock: () => now, minMs: 16, keepUpMs: 50, maxMs: 1000, relaxMs: 500 });
    expect(pace.intervalMs()).toBe(16);
    expect(pace.report(8)).toBe(16); // keeping up
    expect(pace.report(45)).toBe(16); // drawing a frame takes this long: still keeping up
    expect(pace.report(290)).toBe(240); // a busy window: one delta per lag beyond keeping up
    expect(pace.intervalMs()).toBe(240);
    expect(pace.report(20)).toBe(120); // one quick frame halves it, no more
    now += 500;
    expect(pace.intervalMs()).toBe(60);
    now += 5000; // no slow report since (window recovered, or closed)
    expect(pace.intervalMs()).toBe(16);
  });

  it('caps the interval and ignores nonsense', () => {
    const pace = createStreamPace({ clock: () => 0 });
    expect(pace.report(1e9)).toBe(1000);
    expect(pace.report(Number.NaN)).toBe(500);
  });
});

describe('the runner reads the pace at each throttling decision', () => {
  it('a window that reports a long paint lag gets fewer, larger deltas with the same text', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { createRunner } = await import('../../../electron/services/runner');
    const { createRunRepo, openDb } = await import('../../../electron/services/store');
    const dir = mkdtempSync(join(tmpdir(), 'parallax-pace-'));
    const db = openDb(join(dir, 'pace.db'));
    try {
      const words = 150;
      const model = {
        async *converseStream() {
          for (let i = 0; i < words; i += 1) {
            await new Promise((resolve) => setTimeout(resolve, 2));
            yield { type: 'text' as const, text: `w${i} ` };
          }
          yield { type: 'stop' as const, stopReason: 'end_turn' };
        },
      };
      const countDeltas = async (lagMs: number | null) => {
        const pace = createStreamPace({ relaxMs: 60_000 });
        if (lagMs !== null) pace.report(lagMs);
        const runner = createRunner({ bedrock: model, runs: createRunRepo(db), deltaIntervalMs: () => pace.intervalMs() });
        const texts: string[] = [];
        const arm = { mode: 'baseline' as const, label: 'A', modelId: 'm', inference: {}, system: '', history: [], template: 'Q' };
        const run = runner.start({ experimentId: null, title: 'Pace', config: { variables: [], arms: [arm, { mode: 'derived', label: 'B', steps: [], overrides: {} }] } }, (event, payload) => {
          const delta = payload as { armIndex?: number; text?: string };
          if (event === 'run:delta' && delta.armIndex === 0) texts.push(delta.text!);
        });
        await runner.whenSettled(run.id);
        expect(texts.join('')).toBe(Array.from({ length: words }, (_, i) => `w${i} `).join(''));
        return texts.length;
      };
      const quick = await countDeltas(null);
      const slow = await countDeltas(250);
      expect(slow).toBeLessThanOrEqual(Math.ceil(quick / 4));
      expect(slow).toBeGreaterThanOrEqual(1);
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
