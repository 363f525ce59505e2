/** Computes diffs off the main thread (see diff-compute.ts). One request at a time, by id. */
import { computeDiff } from './diff-compute';

interface Request {
  id: number;
  from: string;
  to: string;
}

const scope = self as unknown as { onmessage: ((event: MessageEvent<Request>) => void) | null; postMessage(message: unknown): void };
scope.onmessage = (event) => {
  const { id, from, to } = event.data;
  try {
    scope.postMessage({ id, result: computeDiff(from, to) });
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
