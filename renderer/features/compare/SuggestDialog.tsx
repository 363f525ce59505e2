import { useState } from 'react';
import type { SuggestResult } from '../../../shared/contract/compare';
import { Dialog } from '../../components/Dialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { DiffView } from '../../components/run/DiffView';
import { api, ApiError, errorMessage } from '../../lib/api';

/**
 * "Suggest a mitigation": a model rewrites the baseline prompt without loaded assumptions; the
 * dialog shows what changed word by word, lets the user edit the rewrite, and adds it as an arm.
 */
export function SuggestDialog(props: {
  open: boolean;
  prompt: string;
  defaultModel: string;
  canAdd: boolean;
  onClose(): void;
  onAdd(rewrite: string): void;
}) {
  const [model, setModel] = useState(props.defaultModel);
  const [result, setResult] = useState<SuggestResult | null>(null);
  const [rewrite, setRewrite] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; details?: string | undefined } | null>(null);

  const close = () => {
    setResult(null);
    setRewrite('');
    setError(null);
    props.onClose();
  };

  const suggest = async () => {
    setBusy(true);
    setError(null);
    try {
      const suggestion = await api.call('compare:suggest', { prompt: props.prompt, modelId: model || undefined });
      setResult(suggestion);
      setRewrite(suggestion.rewrite);
    } catch (caught) {
      setError(caught instanceof ApiError ? { message: caught.message, details: caught.details } : { message: errorMessage(caught) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Suggest a mitigation" open={props.open} onClose={close}>
      <div className="form suggest">
        <p className="muted">
          A model rewrites the baseline prompt without loaded assumptions. Review what changed before adding it as a new arm.
        </p>
        <div className="suggest__original">
          <span className="field__label">Baseline prompt</span>
          <pre>{props.prompt || '—'}</pre>
        </div>
        <div className="suggest__row">
          <label className="field field--compact suggest__model">
            <span className="field__label">Model that rewrites</span>
            <input aria-label="Suggestion model" value={model} spellCheck={false} onChange={(e) => setModel(e.target.value.trim())} />
          </label>
          <button type="button" className="button button--primary" disabled={busy || !props.prompt.trim()} onClick={() => void suggest()}>
            <Icon name="sparkle" size={15} /> {busy ? 'Asking…' : result ? 'Suggest again' : 'Suggest'}
          </button>
        </div>
        {error && <ErrorBanner message={error.message} details={error.details} />}
        {result && (
          <>
            <DiffView from={{ label: 'the original', text: result.original }} to={{ label: 'the rewrite', text: rewrite }} />
            <label className="field field--compact">
              <span className="field__label">Rewrite (you can edit it)</span>
              <textarea rows={4} aria-label="Rewritten prompt" value={rewrite} onChange={(e) => setRewrite(e.target.value)} />
            </label>
          </>
        )}
        <div className="form__actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={!result || !rewrite.trim() || !props.canAdd}
            title={props.canAdd ? undefined : 'A comparison holds at most 4 arms'}
            onClick={() => {
              props.onAdd(rewrite.trim());
              close();
            }}
          >
            <Icon name="plus" size={15} /> Add as new arm
          </button>
        </div>
      </div>
    </Dialog>
  );
}
