/**
 * bench/metrics-throughput: score 10,000 generated output/reference pairs of ~200 words with
 * qaAccuracy and, separately, with rouge (stemmed, FMEval's default); pairs per second, median of
 * 5 repetitions (see `throughput` for how time is measured).
 */
import { performance } from 'node:perf_hooks';
import { createRng, qaAccuracy, rouge } from '../shared/metrics';
import { median, report, round } from './lib/report';

const PAIRS = 10_000;
const WORDS = 200;
const REPEATS = 5;

const rng = createRng(2024);
const syllables = ['ka', 'lo', 'mi', 'ther', 'an', 'ing', 'ed', 'ru', 'sta', 'pen', 'tion', 'or', 'ble', 'ex', 'com', 'dis'];
// A 3,000-word vocabulary drawn with a Zipf-like skew, as in real text, plus common English words.
const vocabulary = [
  'the', 'a', 'an', 'of', 'and', 'to', 'in', 'is', 'that', 'it', 'for', 'was', 'on', 'are', 'with', 'as', 'they', 'be',
  ...Array.from({ length: 3_000 }, () => Array.from({ length: 1 + Math.floor(rng() * 3) }, () => syllables[Math.floor(rng() * syllables.length)]).join('')),
];
const punctuation = ['', '', '', '', '', '', ',', '.', ';', '!', '?'];

function word(): string {
  const w = vocabulary[Math.floor(vocabulary.length * rng() ** 3)]!;
  const capitalised = rng() < 0.05 ? w[0]!.toUpperCase() + w.slice(1) : w;
  return capitalised + punctuation[Math.floor(rng() * punctuation.length)]!;
}

const outputs: string[] = [];
const references: string[] = [];
for (let i = 0; i < PAIRS; i += 1) {
  const words = Array.from({ length: WORDS - 10 + Math.floor(rng() * 21) }, word);
  outputs.push(words.join(' '));
  // The reference shares ~70% of the words, in order.
  references.push(words.map((w) => (rng() < 0.3 ? word() : w)).join(' '));
}

/**
 * Pairs per second of this process's CPU time (user + system), and per second of wall time. The
 * machine is shared: wall time also counts the time other processes hold the core, CPU time does
 * not, so the CPU-time rate is the headline figure and the wall-time rate is reported beside it.
 */
function throughput(score: (output: string, reference: string) => number): { cpu: number; wall: number } {
  let sink = 0;
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < PAIRS; i += 1) sink += score(outputs[i]!, references[i]!);
  const wallSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  if (!Number.isFinite(sink)) throw new Error('non-finite score');
  return { cpu: PAIRS / ((cpu.user + cpu.system) / 1e6), wall: PAIRS / wallSeconds };
}

const qa: { cpu: number; wall: number }[] = [];
const rougeRates: { cpu: number; wall: number }[] = [];
for (let repeat = 0; repeat < REPEATS; repeat += 1) {
  qa.push(throughput((o, r) => qaAccuracy(o, r).f1));
  rougeRates.push(throughput((o, r) => rouge(o, r).rougeL));
}

report(
  'metrics-throughput',
  {
    qa_pairs_per_s: round(median(qa.map((r) => r.cpu)), 0),
    rouge_pairs_per_s: round(median(rougeRates.map((r) => r.cpu)), 0),
    qa_pairs_per_wall_s: round(median(qa.map((r) => r.wall)), 0),
    rouge_pairs_per_wall_s: round(median(rougeRates.map((r) => r.wall)), 0),
  },
  { qa_pairs_per_s: '>= 20000', rouge_pairs_per_s: '>= 2000' },
);
