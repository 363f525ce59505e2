import { useMemo } from 'react';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Sidebar } from './components/Sidebar';
import { TaskProgress } from './components/TaskProgress';
import { BatchView } from './features/batch/BatchView';
import { CompareView } from './features/compare/CompareView';
import { DraftGuard } from './features/compare/DraftGuard';
import { HistoryView } from './features/history/HistoryView';
import { LabsView } from './features/labs/LabsView';
import { CorporaView } from './features/rag/CorporaView';
import { EvaluationView } from './features/rag/EvaluationView';
import { SettingsView } from './features/settings/SettingsView';
import { useAppCommands } from './lib/useAppCommands';
import { useShortcuts } from './lib/useShortcuts';
import { useTheme } from './lib/useTheme';
import { useAppStore } from './stores';
import { VIEWS, type View } from './stores/ui';

const SCREENS: Record<View, () => React.JSX.Element> = {
  labs: LabsView,
  compare: CompareView,
  history: HistoryView,
  batch: BatchView,
  settings: SettingsView,
  corpora: CorporaView,
  evaluate: EvaluationView,
};

export function App() {
  const view = useAppStore((s) => s.view);
  const setView = useAppStore((s) => s.setView);
  useTheme(useAppStore((s) => s.theme));
  const shortcuts = useMemo(
    () => Object.fromEntries(VIEWS.map((name, index) => [`Mod+${index + 1}`, () => setView(name)])),
    [setView],
  );
  useShortcuts(shortcuts);
  useAppCommands();
  const Screen = SCREENS[view];

  return (
    <div className="app">
      <Sidebar />
      <main className="content" aria-live="polite">
        <ErrorBoundary key={view} what="this screen">
          <Screen />
        </ErrorBoundary>
      </main>
      <DraftGuard />
      <TaskProgress />
    </div>
  );
}
