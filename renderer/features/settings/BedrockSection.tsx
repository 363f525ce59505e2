import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import type { CatalogModel, Modality, ModelCatalog } from '../../../shared/contract/models';
import type { AwsProfiles, BedrockSettings, ConnectionTestResult, DefaultModels } from '../../../shared/contract/settings';
import type { AppErrorShape } from '../../../shared/errors';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { api, ApiError, errorMessage } from '../../lib/api';
import { ModelPrices } from './ModelPrices';

/** Regions where Amazon Bedrock runs; any other region code may still be typed in. */
const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-north-1',
  'eu-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-south-1',
  'ap-southeast-1',
  'ap-southeast-2',
];

const MODEL_PICKERS: { key: keyof DefaultModels; label: string; modality: Modality; hint: string }[] = [
  { key: 'generation', label: 'Generation', modality: 'text', hint: 'New comparison arms start with this model.' },
  { key: 'judge', label: 'Judging', modality: 'text', hint: 'Scores and critiques answers.' },
  { key: 'image', label: 'Images', modality: 'image', hint: 'Image comparisons.' },
  { key: 'embedding', label: 'Embeddings', modality: 'embedding', hint: 'Similarity scores and retrieval.' },
];

const KIND_LABELS: Record<string, string> = {
  credentials: 'Credentials',
  'sso-expired': 'Sign-in expired',
  access: 'Access denied',
  'model-unavailable': 'Model unavailable',
  throttled: 'Throttled',
  quota: 'Quota',
  validation: 'Rejected',
  offline: 'Offline',
  timeout: 'Timed out',
  service: 'Service problem',
};

/** The form keeps numbers as text so a half-typed value is not reset under the cursor. */
interface FormState {
  profile: string;
  region: string;
  endpoint: string;
  retryMode: BedrockSettings['retryMode'];
  maxAttempts: string;
  timeoutSeconds: string;
  models: DefaultModels;
}

function toForm(settings: BedrockSettings): FormState {
  return {
    profile: settings.profile ?? '',
    region: settings.region,
    endpoint: settings.endpoint ?? '',
    retryMode: settings.retryMode,
    maxAttempts: String(settings.maxAttempts),
    timeoutSeconds: String(Math.round(settings.timeoutMs / 1000)),
    models: settings.models,
  };
}

function fromForm(form: FormState): BedrockSettings {
  return {
    profile: form.profile.trim() === '' ? null : form.profile.trim(),
    region: form.region.trim(),
    endpoint: form.endpoint.trim() === '' ? null : form.endpoint.trim(),
    retryMode: form.retryMode,
    maxAttempts: Number(form.maxAttempts),
    timeoutMs: Math.round(Number(form.timeoutSeconds) * 1000),
    models: form.models,
  };
}

type TestState = { state: 'idle' } | { state: 'testing' } | { state: 'done'; result: ConnectionTestResult };

function errorShape(caught: unknown): AppErrorShape {
  if (caught instanceof ApiError) {
    return { code: caught.code, message: caught.message, ...(caught.details ? { details: caught.details } : {}), ...(caught.kind ? { kind: caught.kind } : {}) };
  }
  return { code: 'internal', message: errorMessage(caught) };
}

export function BedrockSection() {
  const [saved, setSaved] = useState<BedrockSettings | null>(null);
  const [form, setForm] = useState<FormState | null>(null);
  const [profiles, setProfiles] = useState<AwsProfiles | null>(null);
  const [catalog, setCatalog] = useState<ModelCatalog | null>(null);
  const [loadError, setLoadError] = useState<AppErrorShape | null>(null);
  const [saveError, setSaveError] = useState<AppErrorShape | null>(null);
  const [saving, setSaving] = useState(false);
  const [savedNotice, setSavedNotice] = useState(false);
  const [test, setTest] = useState<TestState>({ state: 'idle' });
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<AppErrorShape | null>(null);
  const [refreshWarnings, setRefreshWarnings] = useState<string[]>([]);

  useEffect(() => {
    Promise.all([api.call('settings:get', {}), api.call('settings:profiles', {}), api.call('models:list', {})]).then(
      ([settings, foundProfiles, models]) => {
        setSaved(settings);
        setForm(toForm(settings));
        setProfiles(foundProfiles);
        setCatalog(models);
      },
      (caught: unknown) => setLoadError(errorShape(caught)),
    );
  }, []);

  const dirty = useMemo(() => {
    if (!form || !saved) return false;
    return JSON.stringify(fromForm(form)) !== JSON.stringify(saved);
  }, [form, saved]);

  const update = useCallback(<K extends keyof FormState>(key: K, value: FormState[K]) => {
    setForm((current) => (current ? { ...current, [key]: value } : current));
    setSavedNotice(false);
  }, []);

  async function save(event: FormEvent) {
    event.preventDefault();
    if (!form) return;
    setSaving(true);
    setSaveError(null);
    try {
      const stored = await api.call('settings:save', fromForm(form));
      setSaved(stored);
      setForm(toForm(stored));
      setSavedNotice(true);
      if (stored.region !== saved?.region) setCatalog(await api.call('models:list', {}));
    } catch (caught) {
      setSaveError(errorShape(caught));
    } finally {
      setSaving(false);
    }
  }

  async function testConnection() {
    if (!form) return;
    setTest({ state: 'testing' });
    try {
      const result = await api.call('bedrock:test-connection', { settings: fromForm(form) });
      setTest({ state: 'done', result });
    } catch (caught) {
      const settings = fromForm(form);
      setTest({ state: 'done', result: { ok: false, region: settings.region, endpoint: settings.endpoint, profile: settings.profile, error: errorShape(caught) } });
    }
  }

  async function refreshModels() {
    setRefreshing(true);
    setRefreshError(null);
    setRefreshWarnings([]);
    try {
      const { warnings, ...refreshed } = await api.call('models:refresh', {});
      setCatalog(refreshed);
      setRefreshWarnings(warnings);
    } catch (caught) {
      setRefreshError(errorShape(caught));
    } finally {
      setRefreshing(false);
    }
  }

  if (loadError) {
    return (
      <section className="panel" aria-labelledby="settings-bedrock">
        <h2 id="settings-bedrock" className="section-title">
          Amazon Bedrock
        </h2>
        <ErrorBanner message={loadError.message} details={loadError.details} />
      </section>
    );
  }

  const profileNames = profiles?.profiles ?? [];
  const extraProfile = form && form.profile && !profileNames.includes(form.profile) ? [form.profile] : [];

  return (
    <section className="panel bedrock-settings" aria-labelledby="settings-bedrock">
      <h2 id="settings-bedrock" className="section-title">
        Amazon Bedrock
      </h2>
      <p className="bedrock-settings__note">
        Parallax signs in with the AWS configuration on this computer — a profile from <code>~/.aws/config</code> (including SSO and
        credential processes) or environment variables. Your credentials are never stored by Parallax, never logged and never shown here.
      </p>

      {!form ? (
        <p className="muted">Loading…</p>
      ) : (
        <form className="form" onSubmit={save} aria-label="Amazon Bedrock settings">
          <div className="bedrock-settings__grid">
            <label className="field">
              <span className="field__label">AWS profile</span>
              <select value={form.profile} onChange={(e) => update('profile', e.target.value)}>
                <option value="">{profiles?.envProfile ? `Default chain (AWS_PROFILE=${profiles.envProfile})` : 'Default chain (environment, then "default")'}</option>
                {[...profileNames, ...extraProfile].map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
              <span className="field__hint">
                {profileNames.length > 0
                  ? `${profileNames.length} profile${profileNames.length === 1 ? '' : 's'} found in ${profiles?.sources.join(', ')}.`
                  : 'No profiles found. Run `aws configure` or `aws configure sso` in a terminal.'}
              </span>
            </label>

            <label className="field">
              <span className="field__label">Region</span>
              <input value={form.region} onChange={(e) => update('region', e.target.value)} list="bedrock-regions" spellCheck={false} autoComplete="off" />
              <datalist id="bedrock-regions">
                {REGIONS.map((region) => (
                  <option key={region} value={region} />
                ))}
              </datalist>
              <span className="field__hint">Models and prices differ by region.</span>
            </label>

            <label className="field bedrock-settings__wide">
              <span className="field__label">Custom endpoint</span>
              <input
                value={form.endpoint}
                onChange={(e) => update('endpoint', e.target.value)}
                placeholder="Leave empty for the regional AWS endpoint"
                spellCheck={false}
                autoComplete="off"
              />
              <span className="field__hint">For a VPC endpoint or a proxy, e.g. https://vpce-….bedrock-runtime.us-east-1.vpce.amazonaws.com</span>
            </label>

            <label className="field">
              <span className="field__label">Retry mode</span>
              <select value={form.retryMode} onChange={(e) => update('retryMode', e.target.value as FormState['retryMode'])}>
                <option value="standard">Standard</option>
                <option value="adaptive">Adaptive (slows down when throttled)</option>
              </select>
            </label>

            <label className="field">
              <span className="field__label">Max attempts</span>
              <input type="number" min={1} max={10} step={1} value={form.maxAttempts} onChange={(e) => update('maxAttempts', e.target.value)} />
              <span className="field__hint">1 = no retries. Throttling and server errors are retried.</span>
            </label>

            <label className="field">
              <span className="field__label">Timeout (seconds)</span>
              <input type="number" min={1} max={900} step={1} value={form.timeoutSeconds} onChange={(e) => update('timeoutSeconds', e.target.value)} />
              <span className="field__hint">How long to wait for a connection or the next piece of an answer.</span>
            </label>
          </div>

          <fieldset className="bedrock-settings__models">
            <legend className="field__label">Default models</legend>
            <div className="bedrock-settings__grid">
              {MODEL_PICKERS.map((picker) => (
                <ModelPicker
                  key={picker.key}
                  label={picker.label}
                  hint={picker.hint}
                  value={form.models[picker.key]}
                  models={catalog?.models.filter((model) => model.modality === picker.modality) ?? []}
                  onChange={(value) => update('models', { ...form.models, [picker.key]: value })}
                />
              ))}
            </div>
            <div className="bedrock-settings__catalog">
              <span className="muted">
                {catalog?.fetchedAt
                  ? `Model list for ${catalog.region} fetched ${new Date(catalog.fetchedAt).toLocaleString()}.`
                  : 'Showing Parallax’s built-in model list. Refresh to see what your account offers in this region.'}
              </span>
              <button type="button" className="button" onClick={refreshModels} disabled={refreshing || dirty} title={dirty ? 'Save your changes first' : undefined}>
                <Icon name="sync" size={15} />
                {refreshing ? 'Refreshing…' : 'Refresh model list'}
              </button>
            </div>
            {refreshError && <ErrorBanner message={refreshError.message} details={refreshError.details} />}
            {refreshWarnings.length > 0 && (
              <ul className="bedrock-settings__warnings" aria-label="Model list warnings">
                {refreshWarnings.map((warning) => (
                  <li key={warning}>
                    <Icon name="warning" size={14} /> {warning}
                  </li>
                ))}
              </ul>
            )}
            {catalog && <ModelPrices catalog={catalog} onChange={setCatalog} />}
          </fieldset>

          {saveError && <ErrorBanner message={saveError.message} details={saveError.details} />}
          <TestResult test={test} />

          <div className="form__actions bedrock-settings__actions">
            {savedNotice && !dirty && (
              <span className="bedrock-settings__saved" role="status">
                <Icon name="check" size={15} /> Saved
              </span>
            )}
            <button type="button" className="button" onClick={testConnection} disabled={test.state === 'testing'}>
              {test.state === 'testing' ? 'Testing…' : 'Test connection'}
            </button>
            <button type="submit" className="button button--primary" disabled={!dirty || saving}>
              {saving ? 'Saving…' : 'Save'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function ModelPicker(props: { label: string; hint: string; value: string; models: CatalogModel[]; onChange(value: string): void }) {
  const groups = useMemo(() => {
    const byProvider = new Map<string, CatalogModel[]>();
    for (const model of props.models) {
      const provider = model.provider || 'Other';
      byProvider.set(provider, [...(byProvider.get(provider) ?? []), model]);
    }
    return [...byProvider.entries()];
  }, [props.models]);
  const known = props.models.some((model) => model.id === props.value);
  return (
    <label className="field">
      <span className="field__label">{props.label}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {!known && <option value={props.value}>{props.value}</option>}
        {groups.map(([provider, models]) => (
          <optgroup key={provider} label={provider}>
            {models.map((model) => (
              <option key={model.id} value={model.id}>
                {model.name}
                {model.kind === 'profile' ? ' (inference profile)' : ''}
                {model.listed === false ? ' — not listed in this region' : ''}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <span className="field__hint">{props.hint}</span>
    </label>
  );
}

function TestResult({ test }: { test: TestState }) {
  if (test.state !== 'done') return null;
  const { result } = test;
  const where = result.endpoint ?? `Amazon Bedrock in ${result.region}`;
  if (result.ok) {
    return (
      <div className="connection-result connection-result--ok" role="status">
        <Icon name="check" size={18} />
        <div>
          <strong>Connected to {where}.</strong>
          <div className="muted">
            Region {result.region}
            {result.profile ? `, profile ${result.profile}` : ''} · {result.modelCount} foundation model{result.modelCount === 1 ? '' : 's'} available ·{' '}
            {result.elapsedMs} ms
          </div>
        </div>
      </div>
    );
  }
  const label = result.error.kind ? KIND_LABELS[result.error.kind] : undefined;
  return (
    <div className="connection-result connection-result--error" role="alert">
      <Icon name="warning" size={18} />
      <div>
        {label && <span className="connection-result__kind">{label}</span>}
        <strong>{result.error.message}</strong>
        {result.error.details && (
          <details>
            <summary>Details</summary>
            <pre>{result.error.details}</pre>
          </details>
        )}
      </div>
    </div>
  );
}
