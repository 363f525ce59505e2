/**
 * Asks the diff worker for a diff. One worker for the window, one request in flight: a newer
 * request replaces any that has not started yet, so a diff left open while arms stream never
 * builds a queue. Callers get the result of their own request, or `null` if a newer one
 * replaced it before it started.
 */
import type { DiffResult } from './diff-compute';

interface Job {
  id: number;
  from: string;
  to: string;
  resolve(result: DiffResult | null): void;
  reject(error: Error): void;
}

let worker: Worker | null = null;
let running: Job | null = null;
let waiting: Job | null = null;
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
      const next = waiting;
      waiting = null;
      if (next) start(next);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      const failed = running;
      running = null;
      worker?.terminate();
      worker = null;
      failed?.reject(new Error('The diff could not be computed.'));
      const next = waiting;
      waiting = null;
      if (next) start(next);
    };
  }
  worker.postMessage({ id: job.id, from: job.from, to: job.to });
}

export function requestDiff(from: string, to: string): Promise<DiffResult | null> {
  return new Promise((resolve, reject) => {
    const job: Job = { id: nextId++, from, to, resolve, reject };
    if (!running) {
      start(job);
      return;
    }
    waiting?.resolve(null);
    waiting = job;
  });
}
