import { useEffect, useState } from 'react';
import type { AnnotationCategory, ImageAnnotation, RunImageRef } from '../../../shared/images';
import { Dialog } from '../Dialog';
import { FullPicture } from './FullPicture';
import { api, errorMessage } from '../../lib/api';

/** One image at full size with the exact request it came from, download, and the reviewer's tags. */
export function Lightbox(props: {
  sample: RunImageRef;
  armLabel: string;
  title: string;
  categories: readonly AnnotationCategory[];
  annotations: readonly ImageAnnotation[];
  onAnnotate(categoryId: string, value: string | null): void;
  onStep(delta: -1 | 1): void;
  onClose(): void;
}) {
  const { sample } = props;
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'ArrowLeft') props.onStep(-1);
      if (event.key === 'ArrowRight') props.onStep(1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [props]);

  const valueOf = (categoryId: string) =>
    props.annotations.find((a) => a.armIndex === sample.armIndex && a.position === sample.position && a.categoryId === categoryId)?.value ?? '';

  async function download() {
    if (!sample.hash) return;
    try {
      const result = await api.call('images:save', { hash: sample.hash, name: `${props.title} – ${props.armLabel} – seed ${sample.seed ?? sample.position}` });
      setSaved(result.saved ? 'Saved.' : null);
    } catch (caught) {
      setSaved(errorMessage(caught));
    }
  }

  return (
    <Dialog title={`${props.armLabel} · image ${sample.position + 1}${sample.seed !== null ? ` · seed ${sample.seed}` : ''}`} open onClose={props.onClose}>
      <div className="lightbox">
        <div className="lightbox__picture">
          {sample.status === 'ok' && sample.hash ? (
            <FullPicture hash={sample.hash} width={sample.width} height={sample.height} label={`${props.armLabel}, image ${sample.position + 1}`} />
          ) : (
            <p className="lightbox__missing">{sample.reason ?? 'The model returned no image.'}</p>
          )}
        </div>
        <div className="lightbox__side">
          <div className="lightbox__actions">
            <button type="button" className="button" onClick={() => props.onStep(-1)} aria-label="Previous image">← Previous</button>
            <button type="button" className="button" onClick={() => props.onStep(1)} aria-label="Next image">Next →</button>
            {sample.status === 'ok' && (
              <button type="button" className="button button--primary" onClick={() => void download()}>
                Download
              </button>
            )}
          </div>
          {saved && <p className="lightbox__note" role="status">{saved}</p>}
          {props.categories.length > 0 && sample.status === 'ok' && (
            <fieldset className="lightbox__tags">
              <legend>What you perceive</legend>
              {props.categories.map((category) => (
                <label key={category.id}>
                  {category.name}
                  <select value={valueOf(category.id)} onChange={(event) => props.onAnnotate(category.id, event.target.value || null)}>
                    <option value="">Not tagged</option>
                    {category.options.map((option) => (
                      <option key={option} value={option}>
                        {option}
                      </option>
                    ))}
                  </select>
                </label>
              ))}
            </fieldset>
          )}
          <details className="lightbox__request">
            <summary>The exact request this image came from</summary>
            <pre>{sample.request === null ? 'Not recorded for this image.' : JSON.stringify(sample.request, null, 2)}</pre>
          </details>
        </div>
      </div>
    </Dialog>
  );
}
