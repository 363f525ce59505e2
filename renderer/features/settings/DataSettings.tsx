import { useCallback, useEffect, useState } from 'react';
import type { DataStats, IntegrityReport } from '../../../shared/contract/history';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { api, ApiError, errorMessage } from '../../lib/api';
import { formatBytes } from '../history/format';
import '../history/history.css';

/** Settings → Your data: size, backup, staged restore, integrity check. */
export function DataSettings() {
  const [stats, setStats] = useState<DataStats | null>(null);
  const [report, setReport] = useState<IntegrityReport | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<{ message: string; details?: string | undefined } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(() => {
    api.call('data:stats', {}).then(setStats, (caught: unknown) => setError({ message: errorMessage(caught) }));
  }, []);
  useEffect(load, [load]);

  const act = async (name: string, work: () => Promise<void>) => {
    setBusy(name);
    setError(null);
    setMessage(null);
    try {
      await work();
    } catch (caught) {
      setError(caught instanceof ApiError ? { message: caught.message, details: caught.details } : { message: errorMessage(caught) });
    } finally {
      setBusy(null);
      load();
    }
  };

  return (
    <section className="panel" aria-labelledby="settings-history-data">
      <h2 id="settings-history-data" className="section-title">
        History database
      </h2>
      {error && <ErrorBanner message={error.message} details={error.details} />}
      <div className="data-settings__grid">
        <div className="data-settings__figure">
          <strong>{stats ? formatBytes(stats.dbBytes + stats.walBytes) : '…'}</strong>
          <span>Database size</span>
        </div>
        <div className="data-settings__figure">
          <strong>{stats ? stats.runs.toLocaleString() : '…'}</strong>
          <span>Runs</span>
        </div>
        <div className="data-settings__figure">
          <strong>{stats ? stats.trashed.toLocaleString() : '…'}</strong>
          <span>In the trash</span>
        </div>
        <div className="data-settings__figure">
          <strong>{stats ? stats.packs.toLocaleString() : '…'}</strong>
          <span>Imported packs</span>
        </div>
      </div>
      <div className="data-settings__actions">
        <button
          type="button"
          className="button"
          disabled={busy !== null}
          onClick={() =>
            void act('backup', async () => {
              const outcome = await api.call('data:backup', {});
              if (outcome.status === 'done') setMessage(`Backed up ${formatBytes(outcome.bytes)} to ${outcome.path}`);
            })
          }
        >
          <Icon name="download" size={14} /> {busy === 'backup' ? 'Backing up…' : 'Back up…'}
        </button>
        <button
          type="button"
          className="button"
          disabled={busy !== null}
          onClick={() =>
            void act('restore', async () => {
              const outcome = await api.call('data:restore', {});
              if (outcome.status === 'done') setMessage(`The backup checks out (${outcome.runs.toLocaleString()} runs). Restart Parallax to finish restoring it.`);
            })
          }
        >
          <Icon name="upload" size={14} /> Restore from a backup…
        </button>
        <button
          type="button"
          className="button"
          disabled={busy !== null}
          onClick={() => void act('check', async () => setReport(await api.call('data:check', {})))}
        >
          <Icon name="check" size={14} /> {busy === 'check' ? 'Checking…' : 'Check integrity'}
        </button>
      </div>
      {stats?.stagedRestore && (
        <p className="data-settings__notice" role="status">
          A restore from <code>{stats.stagedRestore.file}</code> ({stats.stagedRestore.runs.toLocaleString()} runs) takes effect the next time Parallax
          starts. Your current data is kept beside it as a safety copy.{' '}
          <button type="button" className="hx-link" onClick={() => void act('cancel', async () => void (await api.call('data:cancel-restore', {})))}>
            Cancel the restore
          </button>
        </p>
      )}
      {message && (
        <p className="muted" role="status">
          {message}
        </p>
      )}
      {report && (
        <ul className="data-settings__checks" aria-label="Integrity check">
          {report.checks.map((check) => (
            <li key={check.name}>
              <span className={check.ok ? 'data-settings__ok' : 'data-settings__bad'}>{check.ok ? '✓' : '✗'}</span>
              <span>
                <strong>{check.name}:</strong> {check.detail}
                {!check.ok && check.name === 'Search index' && (
                  <>
                    {' '}
                    <button type="button" className="hx-link" onClick={() => void act('rebuild', async () => {
                      await api.call('data:rebuild-search', {});
                      setReport(await api.call('data:check', {}));
                    })}>
                      Rebuild the search index
                    </button>
                  </>
                )}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
