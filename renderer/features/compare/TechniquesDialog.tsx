import { useState } from 'react';
import { PROMPT_SLOT, type Technique } from '../../../shared/techniques';
import { Dialog } from '../../components/Dialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { api, errorMessage } from '../../lib/api';

const EMPTY = { name: '', summary: '', system: '', wrap: PROMPT_SLOT };

/** The technique library: what each technique does, and the user's own techniques. */
export function TechniquesDialog(props: { open: boolean; techniques: Technique[]; onClose(): void; onChanged(): void }) {
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);

  const save = async () => {
    setError(null);
    try {
      await api.call('techniques:save', { ...form, explanation: form.summary });
      setForm(EMPTY);
      setAdding(false);
      props.onChanged();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  return (
    <Dialog title="Technique library" open={props.open} onClose={props.onClose}>
      <div className="form technique-library">
        <ul className="technique-list" aria-label="Techniques">
          {props.techniques.map((t) => (
            <li key={t.id} className="technique-item">
              <div className="technique-item__head">
                <strong>{t.name}</strong>
                {!t.builtIn && <span className="chip">Yours</span>}
                {!t.builtIn && (
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Delete technique ${t.name}`}
                    onClick={() => void api.call('techniques:delete', { id: t.id }).then(props.onChanged, (e) => setError(errorMessage(e)))}
                  >
                    <Icon name="trash" size={14} />
                  </button>
                )}
              </div>
              <p className="technique-item__summary">{t.summary}</p>
              {t.explanation && t.explanation !== t.summary && <p className="muted technique-item__explanation">{t.explanation}</p>}
            </li>
          ))}
        </ul>
        {error && <ErrorBanner message={error} />}
        {adding ? (
          <fieldset className="technique-form">
            <legend>Your own technique</legend>
            <label className="field field--compact">
              <span className="field__label">Name</span>
              <input aria-label="Technique name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
            </label>
            <label className="field field--compact">
              <span className="field__label">What it does</span>
              <input aria-label="Technique summary" value={form.summary} onChange={(e) => setForm({ ...form, summary: e.target.value })} />
            </label>
            <label className="field field--compact">
              <span className="field__label">System prompt it adds (optional)</span>
              <textarea rows={2} aria-label="Technique system prompt" value={form.system} onChange={(e) => setForm({ ...form, system: e.target.value })} />
            </label>
            <label className="field field--compact">
              <span className="field__label">Wrapper: {PROMPT_SLOT} is where the request goes</span>
              <textarea rows={3} aria-label="Technique wrapper" value={form.wrap} onChange={(e) => setForm({ ...form, wrap: e.target.value })} />
            </label>
            <div className="form__actions">
              <button type="button" className="button" onClick={() => setAdding(false)}>
                Cancel
              </button>
              <button type="button" className="button button--primary" onClick={() => void save()}>
                Save technique
              </button>
            </div>
          </fieldset>
        ) : (
          <div className="form__actions">
            <button type="button" className="button" onClick={() => setAdding(true)}>
              <Icon name="plus" size={15} /> New technique
            </button>
            <button type="button" className="button button--primary" onClick={props.onClose}>
              Done
            </button>
          </div>
        )}
      </div>
    </Dialog>
  );
}
