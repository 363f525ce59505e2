import { useState, type FormEvent } from 'react';
import { Dialog } from '../../components/Dialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ApiError, errorMessage } from '../../lib/api';
import { useAppStore } from '../../stores';

const DEFAULT_MODEL = 'anthropic.claude-3-haiku-20240307-v1:0';

export function NewExperimentDialog(props: { open: boolean; onClose(): void }) {
  const save = useAppStore((s) => s.saveExperiment);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [prompt, setPrompt] = useState('');
  const [error, setError] = useState<ApiError | string | null>(null);
  const [saving, setSaving] = useState(false);

  const close = () => {
    setName('');
    setDescription('');
    setPrompt('');
    setError(null);
    props.onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await save({
        name,
        description,
        config: {
          variables: [],
          arms: [{ mode: 'baseline', label: 'Baseline', modelId: DEFAULT_MODEL, inference: {}, system: '', history: [], template: prompt }],
        },
      });
      close();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : errorMessage(caught));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog title="New experiment" open={props.open} onClose={close}>
      <form className="form" onSubmit={(event) => void submit(event)}>
        {error && (
          <ErrorBanner
            message={typeof error === 'string' ? error : error.message}
            details={typeof error === 'string' ? undefined : error.details}
          />
        )}
        <label className="field">
          <span className="field__label">Name</span>
          <input autoFocus required value={name} onChange={(e) => setName(e.target.value)} placeholder="Hiring advice, two framings" />
        </label>
        <label className="field">
          <span className="field__label">Description</span>
          <input value={description} onChange={(e) => setDescription(e.target.value)} placeholder="What this experiment shows" />
        </label>
        <label className="field">
          <span className="field__label">Baseline prompt</span>
          <textarea rows={4} value={prompt} onChange={(e) => setPrompt(e.target.value)} placeholder="Who makes a better engineer, ${group_a} or ${group_b}?" />
        </label>
        <div className="form__actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={saving}>
            {saving ? 'Saving…' : 'Create experiment'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
