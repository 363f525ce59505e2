import { useEffect, useMemo, useState } from 'react';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { PageHeader } from '../../components/PageHeader';
import { guidedLabs, labProblems, type Lab } from '../../../shared/labs';
import { useShortcuts } from '../../lib/useShortcuts';
import { useAppStore } from '../../stores';
import { LabDialog, TechniqueChips } from './LabDialog';
import { LevelChip } from './LabGuide';
import { NewExperimentDialog } from './NewExperimentDialog';
import './labs.css';

if (labProblems().length > 0) console.warn(`[parallax] guided labs left out:\n${labProblems().join('\n')}`);

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function LabsView() {
  const experiments = useAppStore((s) => s.experiments);
  const loaded = useAppStore((s) => s.experimentsLoaded);
  const error = useAppStore((s) => s.experimentsError);
  const load = useAppStore((s) => s.loadExperiments);
  const remove = useAppStore((s) => s.deleteExperiment);
  const openExperiment = useAppStore((s) => s.openExperiment);
  const newComparison = useAppStore((s) => s.newComparison);
  const openLab = useAppStore((s) => s.openLab);
  const techniques = useAppStore((s) => s.techniques);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<Lab | null>(null);
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
      {guidedLabs().length > 0 && (
        <section className="labs__section" aria-labelledby="guided-labs">
          <div className="labs__section-header">
            <h2 id="guided-labs" className="section-title">
              Guided labs
            </h2>
            <p className="muted">Each opens as a ready-made comparison: run it, then read what to look for and why the mitigation works.</p>
          </div>
          <ul className="card-grid lab-grid" aria-label="Guided labs">
            {guidedLabs().map((lab, index) => (
              <li key={lab.id} className="card lab-card">
                <div className="card__body lab-card__body" onClick={() => setShown(lab)}>
                  <div className="lab-card__top">
                    <span className="lab-card__number" aria-hidden="true">
                      {String(index + 1).padStart(2, '0')}
                    </span>
                    <LevelChip level={lab.level} />
                  </div>
                  <h3 className="card__title">{lab.title}</h3>
                  <p className="card__text">{lab.summary}</p>
                  <TechniqueChips ids={lab.techniques.filter((id) => id !== 'plain')} techniques={techniques} />
                </div>
                <footer className="card__footer lab-card__footer">
                  <button type="button" className="lab-card__details" aria-label={`About ${lab.title}`} onClick={() => setShown(lab)}>
                    Details
                  </button>
                  <button type="button" className="button lab-card__open" aria-label={`Open ${lab.title} in Compare`} onClick={() => void openLab(lab.id)}>
                    <Icon name="compare" size={14} /> Open in Compare
                  </button>
                </footer>
              </li>
            ))}
          </ul>
        </section>
      )}
      {error && <ErrorBanner message={error} />}
      <section className="labs__section labs__mine" aria-labelledby="saved-experiments">
        <h2 id="saved-experiments" className="section-title">
          Your experiments
        </h2>
        {loaded && experiments.length === 0 && !error && (
          <EmptyState icon="labs" title="No saved experiments yet" action={newButton}>
            An experiment holds a prompt and its variants. Create one, or save a guided lab you have changed, to compare a baseline against a mitigation.
          </EmptyState>
        )}
        {experiments.length > 0 && (
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
        )}
      </section>
      <LabDialog
        lab={shown}
        techniques={techniques}
        onClose={() => setShown(null)}
        onOpen={(lab) => {
          setShown(null);
          void openLab(lab.id);
        }}
      />
      <NewExperimentDialog open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
