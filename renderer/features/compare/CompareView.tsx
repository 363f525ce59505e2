import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';
import { useAppStore } from '../../stores';

export function CompareView() {
  const setView = useAppStore((s) => s.setView);
  return (
    <div className="page">
      <PageHeader title="Compare" subtitle="Run a baseline and its mitigated variants side by side." />
      <EmptyState
        icon="compare"
        title="Nothing to compare yet"
        action={
          <button type="button" className="button button--primary" onClick={() => setView('labs')}>
            Go to Labs
          </button>
        }
      >
        Open an experiment from Labs to run its baseline and mitigated prompts side by side.
      </EmptyState>
    </div>
  );
}
