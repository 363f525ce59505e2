import { useAppStore } from '../stores';
import { VIEWS, type ThemePreference, type View } from '../stores/ui';
import { Icon, type IconName } from './Icon';

const NAV: { view: View; label: string; icon: IconName }[] = [
  { view: 'labs', label: 'Labs', icon: 'labs' },
  { view: 'compare', label: 'Compare', icon: 'compare' },
  { view: 'history', label: 'History', icon: 'history' },
  { view: 'corpora', label: 'Corpora', icon: 'book' },
  { view: 'evaluate', label: 'Evaluate', icon: 'check' },
  { view: 'batch', label: 'Batches', icon: 'batch' },
  { view: 'settings', label: 'Settings', icon: 'settings' },
];

const THEMES: { value: ThemePreference; label: string; icon: IconName }[] = [
  { value: 'system', label: 'Follow system', icon: 'monitor' },
  { value: 'light', label: 'Light', icon: 'sun' },
  { value: 'dark', label: 'Dark', icon: 'moon' },
];

const isMac = navigator.platform.toLowerCase().includes('mac');

export function Sidebar() {
  const view = useAppStore((s) => s.view);
  const setView = useAppStore((s) => s.setView);
  const theme = useAppStore((s) => s.theme);
  const setTheme = useAppStore((s) => s.setTheme);

  return (
    <aside className="sidebar">
      <div className="sidebar__brand">
        <span className="sidebar__logo">
          <Icon name="logo" size={20} />
        </span>
        <span>Parallax</span>
      </div>
      <nav className="sidebar__nav" aria-label="Main">
        {NAV.map((item) => {
          // Shortcuts follow VIEWS (App.tsx), which keeps the older screens' numbers.
          const index = VIEWS.indexOf(item.view);
          return (
          <button
            key={item.view}
            type="button"
            className="nav-item"
            aria-current={view === item.view ? 'page' : undefined}
            title={`${item.label} (${isMac ? '⌘' : 'Ctrl+'}${index + 1})`}
            onClick={() => setView(item.view)}
          >
            <Icon name={item.icon} />
            <span>{item.label}</span>
            <kbd>{isMac ? '⌘' : '^'}{index + 1}</kbd>
          </button>
          );
        })}
      </nav>
      <div className="sidebar__footer">
        <div className="segmented" role="radiogroup" aria-label="Theme">
          {THEMES.map((option) => (
            <button
              key={option.value}
              type="button"
              role="radio"
              aria-checked={theme === option.value}
              aria-label={option.label}
              title={option.label}
              onClick={() => setTheme(option.value)}
            >
              <Icon name={option.icon} size={16} />
            </button>
          ))}
        </div>
      </div>
    </aside>
  );
}
