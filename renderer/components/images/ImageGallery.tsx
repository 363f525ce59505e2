import { armRef } from '../../../shared/labels';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RunDetail } from '../../../shared/domain';
import type { AnnotationCategory, ImageAnnotation, RunImageRef } from '../../../shared/images';
import { ErrorBanner } from '../ErrorBanner';
import { SampleTile } from './SampleTile';
import { api, errorMessage } from '../../lib/api';
import { AnnotationCategories } from './AnnotationCategories';
import { DistributionChart } from './DistributionChart';
import { Lightbox } from './Lightbox';
import './images.css';

/**
 * An image comparison: arms side by side, every sample of each arm in seed order (the same seeds
 * across arms), a lightbox with the exact request and download, and reviewer annotations drawn
 * per arm. Annotations are a reviewer's perceptions, not facts about the people pictured.
 */
export function ImageGallery(props: { run: RunDetail; images: readonly RunImageRef[] }) {
  const { run, images } = props;
  const [categories, setCategories] = useState<AnnotationCategory[]>([]);
  const [annotations, setAnnotations] = useState<ImageAnnotation[]>([]);
  const [open, setOpen] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showTags, setShowTags] = useState(false);

  const reload = useCallback(async () => {
    try {
      const [c, a] = await Promise.all([api.call('images:categories', {}), api.call('images:annotations', { runId: run.id })]);
      setCategories(c);
      setAnnotations(a);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }, [run.id]);
  useEffect(() => void reload(), [reload]);

  const ordered = useMemo(() => [...images].sort((a, b) => a.armIndex - b.armIndex || a.position - b.position), [images]);
  const arms = run.arms.map((arm) => ({ index: arm.index, label: arm.label }));
  const labelOf = (index: number) => run.arms.find((arm) => arm.index === index)?.label ?? armRef(index);
  const current = open === null ? null : ordered[open];

  async function annotate(sample: RunImageRef, categoryId: string, value: string | null) {
    try {
      await api.call('images:annotate', { runId: run.id, armIndex: sample.armIndex, position: sample.position, categoryId, value });
      await reload();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  return (
    <section className="gallery" aria-label="Image comparison">
      {error && <ErrorBanner message={error} />}
      <div className="gallery__columns" style={{ gridTemplateColumns: `repeat(${Math.max(arms.length, 1)}, minmax(0, 1fr))` }}>
        {arms.map((arm) => {
          const samples = ordered.filter((s) => s.armIndex === arm.index);
          const filtered = samples.filter((s) => s.status !== 'ok').length;
          return (
            <div key={arm.index} className="gallery__arm">
              <h3>
                {arm.label}
                <span className="gallery__count">
                  {samples.length - filtered} image{samples.length - filtered === 1 ? '' : 's'}
                  {filtered > 0 ? ` · ${filtered} without` : ''}
                </span>
              </h3>
              {samples.length === 0 ? (
                <p className="gallery__empty">No images yet.</p>
              ) : (
                <ul className="gallery__grid" aria-label={`Images from ${arm.label}`}>
                  {samples.map((sample) => (
                    <li key={sample.position}>
                      <SampleTile
                        sample={sample}
                        label={`${arm.label}, image ${sample.position + 1}${sample.seed !== null ? `, seed ${sample.seed}` : ''}`}
                        onOpen={() => setOpen(ordered.indexOf(sample))}
                      />
                    </li>
                  ))}
                </ul>
              )}
            </div>
          );
        })}
      </div>

      <div className="gallery__review">
        <header>
          <h3>What reviewers perceive</h3>
          <button type="button" className="button button--small" onClick={() => setShowTags((v) => !v)} aria-expanded={showTags}>
            {showTags ? 'Done editing categories' : 'Edit categories'}
          </button>
        </header>
        <p className="gallery__caution">
          These are a reviewer’s perceptions of how people in generated images appear, not facts about anyone. Tag each image in the
          lightbox (open it, then pick what you perceive); the charts show how each arm’s images were perceived.
        </p>
        {showTags && (
          <AnnotationCategories
            categories={categories}
            onSave={async (input) => {
              try {
                await api.call('images:save-category', input);
                await reload();
              } catch (caught) {
                setError(errorMessage(caught));
              }
            }}
            onDelete={async (id) => {
              await api.call('images:delete-category', { id });
              await reload();
            }}
          />
        )}
        {categories.length === 0 ? (
          <p className="gallery__empty">No categories yet. Choose “Edit categories” to add one, for example apparent age group.</p>
        ) : (
          categories.map((category) => <DistributionChart key={category.id} category={category} annotations={annotations} arms={arms} />)
        )}
      </div>

      {current && (
        <Lightbox
          sample={current}
          armLabel={labelOf(current.armIndex)}
          title={run.title}
          categories={categories}
          annotations={annotations}
          onAnnotate={(categoryId, value) => void annotate(current, categoryId, value)}
          onStep={(delta) => setOpen((i) => (i === null ? i : (i + delta + ordered.length) % ordered.length))}
          onClose={() => setOpen(null)}
        />
      )}
    </section>
  );
}
