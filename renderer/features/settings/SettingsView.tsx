import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../shared/contract/app';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import { api, errorMessage } from '../../lib/api';
import { BedrockSection } from './BedrockSection';
import { DataSettings } from './DataSettings';
import { DebugSettings } from './DebugSettings';

export function SettingsView() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.call('app:info', {}).then(setInfo, (caught: unknown) => setError(errorMessage(caught)));
  }, []);

  return (
    <div className="page">
      <PageHeader title="Settings" subtitle="Connection to Amazon Bedrock, default models, your data, and troubleshooting." />
      {error && <ErrorBanner message={error} />}
      <BedrockSection />
      <section className="panel" aria-labelledby="settings-data">
        <h2 id="settings-data" className="section-title">
          Your data
        </h2>
        <dl className="facts">
          <dt>Database</dt>
          <dd>
            <code>{info?.dbPath ?? '…'}</code>
          </dd>
          <dt>Schema version</dt>
          <dd>{info?.schemaVersion ?? '…'}</dd>
          <dt>App version</dt>
          <dd>{info?.version ?? '…'}</dd>
        </dl>
      </section>
      <DataSettings />
      <DebugSettings />
    </div>
  );
}
