/**
 * bench/step-overhead: what the step engine adds on top of the model calls of an arm.
 *
 * One mitigated arm with 4 steps — 2 prompt steps (a technique, a rewrite with a model) and
 * critique and revise for 1 principle (the critic finds a problem, so the reviser runs) — plus
 * its model call, against the fake Bedrock at a fixed pace (200 ms to the first token, 100
 * tokens/s, 60-word answer; one-shot calls answer after 200 ms). Real services: the AWS SDK over
 * HTTP/2, SQLite in a temp folder, every trace saved and every event emitted as in the app.
 *
 * ratio — the arm's wall time (from runner.start() to its settled run:arm event) divided by the
 *   sum of the fake's own times for the arm's 4 model calls (rewrite, answer stream, critique,
 *   revision), each from the request's arrival at the fake to the end of its response (stamped
 *   by wrapping the fake's Exchange). Median of REPEATS runs.
 * per_step_ms — the engine's own time per step outside model calls: (wall time − the time spent
 *   inside the Bedrock service's calls, timed around services.bedrock.converse / converseStream)
 *   / 4 steps — traces written to SQLite, events, the runner. What the AWS SDK and HTTP/2 add
 *   around the fake is in `ratio` (and printed as sdk_ms).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ExperimentConfig } from '../shared/domain';
import { createServices } from '../electron/services';
import type { RunSink } from '../electron/services/runner';
import { startFakeBedrock } from '../tests/support/fake-bedrock';
import { scriptCritic, scriptReviser } from '../tests/support/fake-bedrock/critique';
import { Exchange } from '../tests/support/fake-bedrock/exchange';
import type { ReceivedRequest } from '../tests/support/fake-bedrock/types';
import { useTestCredentials } from '../tests/support/test-credentials';
import { median, report, round } from './lib/report';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 7);
const PACE = { firstTokenMs: 200, tokensPerSecond: 100, wordsPerChunk: 1 };
const ANSWER = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ');
const REWRITE = 'Describe the daily work of a nurse, whoever they are.';
const STEPS = 4;
const wall = () => performance.timeOrigin + performance.now();

interface Stamped {
  record?: ReceivedRequest;
  endedAt?: number;
}
const exchanges: Stamped[] = [];
const stamps = new WeakMap<Exchange, Stamped>();
const stampOf = (exchange: Exchange): Stamped => {
  let stamp = stamps.get(exchange);
  if (!stamp) {
    stamp = {};
    stamps.set(exchange, stamp);
    exchanges.push(stamp);
  }
  return stamp;
};
const { attach, end } = Exchange.prototype;
Exchange.prototype.attach = function (this: Exchange, record: ReceivedRequest) {
  stampOf(this).record = record;
  return attach.call(this, record);
};
Exchange.prototype.end = function (this: Exchange, last?: string | Uint8Array) {
  stampOf(this).endedAt = wall();
  return end.call(this, last);
};

async function main(): Promise<void> {
  const restoreEnv = useTestCredentials();
  const fake = await startFakeBedrock({ pace: PACE, defaultReply: ANSWER });
  const config = ExperimentConfig.parse({
    variables: [],
    arms: [
      { mode: 'baseline', label: 'Baseline', modelId: 'amazon.nova-lite-v1:0', inference: {}, system: '', history: [], template: 'Describe a typical nurse.' },
      {
        mode: 'derived',
        label: 'Constitutional',
        steps: [{ kind: 'technique', techniqueId: 'bias-guard' }, { kind: 'rewrite', instruction: '' }, { kind: 'critique-revise', principles: [{ builtIn: 'biased' }] }],
        overrides: {},
      },
    ],
  });

  const ratios: number[] = [];
  const perStep: number[] = [];
  for (let repeat = 0; repeat < REPEATS; repeat += 1) {
    fake.reset();
    fake.setDefaultPace(PACE);
    scriptCritic(fake, { principle: 'Biased or stereotyping', problem: true, critique: 'Assumes the nurse is a woman.', pace: PACE });
    scriptReviser(fake, { principle: 'Biased or stereotyping', text: ANSWER.replace('w0', 'r0'), pace: PACE });
    fake.on({ operation: 'Converse', prompt: 'Rewrite this prompt', reply: { text: REWRITE }, pace: PACE });
    const dir = mkdtempSync(join(tmpdir(), 'parallax-bench-steps-'));
    const services = createServices({ dataDir: dir, version: 'bench' });
    services.settings.update({ endpoint: fake.endpoint, region: 'us-east-1', maxAttempts: 1 });
    exchanges.length = 0;
    // time spent inside model calls, measured on the app's side
    let inCalls = 0;
    const bedrock = services.bedrock;
    const converse = bedrock.converse.bind(bedrock);
    const converseStream = bedrock.converseStream.bind(bedrock);
    bedrock.converse = async (...args: Parameters<typeof converse>) => {
      const t = performance.now();
      try {
        return await converse(...args);
      } finally {
        inCalls += performance.now() - t;
      }
    };
    bedrock.converseStream = async function* (...args: Parameters<typeof converseStream>) {
      const t = performance.now();
      const baseline = args[0].messages.at(-1)?.text === 'Describe a typical nurse.';
      try {
        yield* converseStream(...args);
      } finally {
        if (!baseline) inCalls += performance.now() - t;
      }
    };
    try {
      let settledAt = 0;
      let settled!: () => void;
      const done = new Promise<void>((resolve) => (settled = resolve));
      const sink: RunSink = (event, payload) => {
        if (event === 'run:arm') {
          const update = payload as { armIndex: number; status: string };
          if (update.armIndex === 1 && update.status !== 'streaming' && update.status !== 'pending') {
            settledAt = wall();
            settled();
          }
        }
      };
      const started = wall();
      const run = services.runner.start({ experimentId: null, title: 'bench', config }, sink);
      await done;
      await services.runner.whenSettled(run.id);
      const arm = services.runs.get(run.id)!.arms[1]!;
      if (arm.status !== 'completed' || arm.steps?.some((s) => s.status !== 'done')) {
        throw new Error(`the arm did not complete cleanly: ${arm.status} ${JSON.stringify(arm.error)}`);
      }
      const mine = exchanges.filter(
        (e) => e.record && (e.record.operation === 'Converse' || (e.record.operation === 'ConverseStream' && JSON.stringify(e.record.body).includes('daily work'))),
      );
      if (mine.length !== 4) throw new Error(`expected 4 model calls of the arm, saw ${mine.length}`);
      const ordered = [...mine].sort((a, b) => a.record!.receivedAt - b.record!.receivedAt);
      const gaps = ordered.map((e, i) => (i === 0 ? e.record!.receivedAt - started : e.record!.receivedAt - ordered[i - 1]!.endedAt!));
      gaps.push(settledAt - ordered.at(-1)!.endedAt!);
      console.error(`  gaps before each call and after the last: ${gaps.map((g) => g.toFixed(0)).join(', ')} ms`);
      const fakeOwn = mine.reduce((sum, e) => sum + (e.endedAt! - e.record!.receivedAt), 0);
      const armWall = settledAt - started;
      const armCalls = inCalls;
      ratios.push(armWall / fakeOwn);
      // the baseline's stream ran alongside: count only the arm's own calls (4 of the 5)
      perStep.push((armWall - armCalls) / STEPS);
      console.error(
        `repeat ${repeat + 1}: arm ${armWall.toFixed(1)} ms, fake ${fakeOwn.toFixed(1)} ms, in calls ${armCalls.toFixed(1)} ms, sdk_ms ${(armCalls - fakeOwn).toFixed(1)}, ratio ${(armWall / fakeOwn).toFixed(4)}`,
      );
    } finally {
      services.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  await fake.close();
  restoreEnv();
  report('step-overhead', { ratio: round(median(ratios), 4), per_step_ms: round(median(perStep), 2) }, { ratio: '<= 1.05', per_step_ms: '<= 5' });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
