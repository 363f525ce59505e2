import { useEffect, useMemo, useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { useShortcuts } from '../../lib/useShortcuts';
import { useAppStore } from '../../stores';
import { NewExperimentDialog } from './NewExperimentDialog';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function LabsView() {
  const experiments = useAppStore((s) => s.experiments);
  const loaded = useAppStore((s) => s.experimentsLoaded);
  const error = useAppStore((s) => s.experimentsError);
  const load = useAppStore((s) => s.loadExperiments);
  const remove = useAppStore((s) => s.deleteExperiment);
  const openExperiment = useAppStore((s) => s.openExperiment);
  const newComparison = useAppStore((s) => s.newComparison);
  const [creating, setCreating] = useState(false);
  useShortcuts(useMemo(() => ({ 'Mod+n': () => setCreating(true) }), []));

  useEffect(() => {
    void load();
  }, [load]);

  const newButton = (
    <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
      <Icon name="plus" size={16} /> New experiment
    </button>
  );

  return (
    <div className="page">
      <PageHeader
        title="Labs"
        subtitle="Guided examples and your saved experiments."
        actions={
          <>
            <button type="button" className="button" onClick={() => newComparison()}>
              <Icon name="compare" size={16} /> New comparison
            </button>
            {experiments.length > 0 && newButton}
          </>
        }
      />
      {error && <ErrorBanner message={error} />}
      {loaded && experiments.length === 0 && !error && (
        <EmptyState icon="labs" title="No saved experiments yet" action={newButton}>
          An experiment holds a prompt and its variants. Create one to compare a baseline against a mitigation.
        </EmptyState>
      )}
      {experiments.length > 0 && (
        <section aria-labelledby="saved-experiments">
          <h2 id="saved-experiments" className="section-title">
            Your experiments
          </h2>
          <ul className="card-grid" aria-label="Saved experiments">
            {experiments.map((experiment) => (
              <li key={experiment.id} className="card">
                <div
                  className="card__body card__body--action"
                  role="button"
                  tabIndex={0}
                  aria-label={`Open ${experiment.name} in Compare`}
                  onClick={() => void openExperiment(experiment.id)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' || event.key === ' ') {
                      event.preventDefault();
                      void openExperiment(experiment.id);
                    }
                  }}
                >
                  <h3 className="card__title">{experiment.name}</h3>
                  {experiment.description && <p className="card__text">{experiment.description}</p>}
                </div>
                <footer className="card__footer">
                  <span className="muted">
                    {experiment.armCount} {experiment.armCount === 1 ? 'arm' : 'arms'} ·{' '}
                    {dateFormat.format(experiment.updatedAt)}
                  </span>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Delete ${experiment.name}`}
                    onClick={() => void remove(experiment.id)}
                  >
                    <Icon name="trash" size={16} />
                  </button>
                </footer>
              </li>
            ))}
          </ul>
        </section>
      )}
      <NewExperimentDialog open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
