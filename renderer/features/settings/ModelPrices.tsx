import { useState } from 'react';
import type { CatalogModel, ModelCatalog } from '../../../shared/contract/models';
import { ErrorBanner } from '../../components/ErrorBanner';
import { api, errorMessage } from '../../lib/api';

type Field = 'inputPer1k' | 'outputPer1k' | 'perImage';

function fieldsOf(model: CatalogModel): Field[] {
  if (model.modality === 'image') return ['perImage'];
  if (model.modality === 'embedding') return ['inputPer1k'];
  return ['inputPer1k', 'outputPer1k'];
}

const FIELD_LABELS: Record<Field, string> = { inputPer1k: 'input / 1K tokens', outputPer1k: 'output / 1K tokens', perImage: 'per image' };

/** Prices per model (USD): the shipped estimates, which the user may overwrite; used for cost figures. */
export function ModelPrices(props: { catalog: ModelCatalog; onChange(catalog: ModelCatalog): void }) {
  const [error, setError] = useState<string | null>(null);
  const models = props.catalog.models.filter((model) => model.kind === 'model' && (model.price !== null || model.source !== 'shipped'));

  async function commit(model: CatalogModel, field: Field, raw: string) {
    const value = raw.trim() === '' ? null : Number(raw);
    if (value !== null && (!Number.isFinite(value) || value < 0)) {
      setError('Enter a price of 0 or more, in US dollars.');
      return;
    }
    const current = model.price ?? { inputPer1k: null, outputPer1k: null, perImage: null };
    if (current[field] === value) return;
    setError(null);
    try {
      props.onChange(await api.call('models:set-price', { modelId: model.id, inputPer1k: current.inputPer1k, outputPer1k: current.outputPer1k, perImage: current.perImage, [field]: value }));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  async function reset(model: CatalogModel) {
    try {
      props.onChange(await api.call('models:set-price', { modelId: model.id, reset: true }));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  }

  return (
    <details className="model-prices">
      <summary>Model prices (USD)</summary>
      <p className="muted">
        Cost figures use these prices. The built-in figures are public list-price estimates and may be out of date or differ in your
        region; change any of them here.
      </p>
      {error && <ErrorBanner message={error} />}
      <table className="model-prices__table">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Price</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {models.map((model) => (
            <tr key={model.id}>
              <td>
                <div>{model.name}</div>
                <code className="muted">{model.id}</code>
              </td>
              <td>
                <div className="model-prices__inputs">
                  {fieldsOf(model).map((field) => (
                    <label key={field}>
                      <input
                        type="number"
                        min={0}
                        step="any"
                        aria-label={`${model.name} ${FIELD_LABELS[field]}`}
                        defaultValue={model.price?.[field] ?? ''}
                        key={`${model.id}:${field}:${model.price?.[field] ?? ''}`}
                        onBlur={(e) => void commit(model, field, e.target.value)}
                      />
                      <span className="muted">{FIELD_LABELS[field]}</span>
                    </label>
                  ))}
                </div>
              </td>
              <td>
                {model.price?.source === 'user' ? (
                  <button type="button" className="button" onClick={() => void reset(model)}>
                    Yours · reset
                  </button>
                ) : (
                  <span className="muted">{model.price ? 'Estimate' : 'Unknown'}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
