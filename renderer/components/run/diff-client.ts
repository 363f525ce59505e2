/**
 * Asks the diff worker for a diff. One worker for the window, one request in flight: a newer
 * request from the same caller (`key`: one per diff view) replaces that caller's request that
 * has not started yet, so a diff left open while arms stream never builds a queue, and several
 * diffs open at once (run against run) each get theirs. Callers get the result of their own
 * request, or `null` if a newer one of theirs replaced it before it started.
 */
import type { DiffResult } from './diff-compute';

interface Job {
  id: number;
  key: string;
  from: string;
  to: string;
  resolve(result: DiffResult | null): void;
  reject(error: Error): void;
}

let worker: Worker | null = null;
let running: Job | null = null;
/** Requests not started yet, at most one per caller, in the order they were first asked. */
const waiting = new Map<string, Job>();
let nextId = 1;

function start(job: Job): void {
  running = job;
  if (!worker) {
    worker = new Worker(new URL('./diff.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<{ id: number; result?: DiffResult; error?: string }>) => {
      const done = running;
      running = null;
      if (done && done.id === event.data.id) {
        if (event.data.result) done.resolve(event.data.result);
        else done.reject(new Error(event.data.error ?? 'The diff could not be computed.'));
      }
      startNext();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      const failed = running;
      running = null;
      worker?.terminate();
      worker = null;
      failed?.reject(new Error('The diff could not be computed.'));
      startNext();
    };
  }
  worker.postMessage({ id: job.id, from: job.from, to: job.to });
}

function startNext(): void {
  const next = waiting.values().next();
  if (next.done) return;
  waiting.delete(next.value.key);
  start(next.value);
}

export function requestDiff(from: string, to: string, key = 'default'): Promise<DiffResult | null> {
  return new Promise((resolve, reject) => {
    const job: Job = { id: nextId++, key, from, to, resolve, reject };
    if (!running) {
      start(job);
      return;
    }
    const replaced = waiting.get(key);
    if (replaced) {
      replaced.resolve(null);
      waiting.delete(key);
    }
    waiting.set(key, job);
  });
}
