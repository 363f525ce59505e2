import { EmptyState } from '../../components/EmptyState';
import { PageHeader } from '../../components/PageHeader';

export function HistoryView() {
  return (
    <div className="page">
      <PageHeader title="History" subtitle="Every run you make is kept here, and opens without a network." />
      <EmptyState icon="history" title="No runs yet">
        Runs appear here as soon as you start one in Compare. Imported workshop packs show up here too.
      </EmptyState>
    </div>
  );
}
