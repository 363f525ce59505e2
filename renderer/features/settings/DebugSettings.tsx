import { useEffect, useState } from 'react';
import type { DebugSettings as Switches, DebugState } from '../../../shared/contract/app';
import { ErrorBanner } from '../../components/ErrorBanner';
import { api, errorMessage } from '../../lib/api';
import '../history/history.css';
import './debug-settings.css';

/** Settings → Troubleshooting: DevTools in a packaged build, verbose logging, the log folder. */
export function DebugSettings() {
  const [state, setState] = useState<DebugState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    api.call('app:debug-get', {}).then(setState, (caught: unknown) => setError(errorMessage(caught)));
  }, []);

  const save = async (change: Partial<Switches>) => {
    if (!state) return;
    setSaving(true);
    setError(null);
    setNote(null);
    const before = state;
    // the switch shows the choice at once (a controlled checkbox would snap back until the save answers)
    setState({ ...state, ...change });
    try {
      setState(await api.call('app:debug-save', { devTools: state.devTools, verboseLogging: state.verboseLogging, ...change }));
    } catch (caught) {
      setState(before);
      setError(errorMessage(caught));
    } finally {
      setSaving(false);
    }
  };

  const revealLogs = async () => {
    setNote(null);
    try {
      const { shown } = await api.call('app:reveal-logs', {});
      if (!shown) setNote('The log folder cannot be shown here; its path is above.');
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  return (
    <section className="panel" aria-labelledby="settings-debug">
      <h2 id="settings-debug" className="section-title">
        Troubleshooting
      </h2>
      {error && <ErrorBanner message={error} />}
      <p className="muted">Both are off by default. Turn them on when you look into a problem, and off again afterwards.</p>
      <label className="debug-switch">
        <input type="checkbox" checked={state?.devTools ?? false} disabled={!state || saving} onChange={(event) => void save({ devTools: event.target.checked })} />
        <span>
          Developer tools <span className="muted">— View › Toggle Developer Tools in the installed app</span>
        </span>
      </label>
      {state?.forced.devTools && <p className="muted">This build always has them (a development build, or PARALLAX_DEBUG=1).</p>}
      {state && !state.forced.devTools && state.restartNeeded && (
        <p className="data-settings__notice" role="status">
          Saved. Developer tools come with the next start of Parallax.
        </p>
      )}
      <label className="debug-switch">
        <input
          type="checkbox"
          checked={state?.verboseLogging ?? false}
          disabled={!state || saving}
          onChange={(event) => void save({ verboseLogging: event.target.checked })}
        />
        <span>
          Verbose logging <span className="muted">— every request and its timing in the log; may include your prompts and outputs. Credentials never are.</span>
        </span>
      </label>
      {state?.forced.verboseLogging && <p className="muted">On for this run regardless (PARALLAX_VERBOSE_LOG=1).</p>}
      <dl className="facts">
        <dt>Log folder</dt>
        <dd>
          <code>{state?.logFolder ?? '…'}</code>
        </dd>
      </dl>
      <div className="data-settings__actions">
        <button type="button" className="button" disabled={!state} onClick={() => void revealLogs()}>
          Reveal logs
        </button>
      </div>
      {note && (
        <p className="muted" role="status">
          {note}
        </p>
      )}
    </section>
  );
}
