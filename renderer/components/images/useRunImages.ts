import { useEffect, useState } from 'react';
import type { RunDetail } from '../../../shared/domain';
import type { RunImageRef } from '../../../shared/images';
import { api } from '../../lib/api';

/**
 * The samples of a live image run, fetched again as its arms report progress (each sample adds
 * a line to its arm's text), at most every `intervalMs`.
 */
export function useRunImages(run: RunDetail | undefined, enabled: boolean, intervalMs = 400): RunImageRef[] {
  const [images, setImages] = useState<RunImageRef[]>([]);
  const progress = run ? run.arms.map((arm) => `${arm.status}:${arm.text.length}`).join('|') : '';
  const runId = run?.id;
  useEffect(() => {
    if (!enabled || !runId) {
      setImages([]);
      return undefined;
    }
    let live = true;
    const timer = setTimeout(() => {
      api.call('history:get', { id: runId }).then(
        (detail) => live && setImages(detail.images),
        () => undefined,
      );
    }, intervalMs);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [runId, enabled, progress, intervalMs]);
  return images;
}
