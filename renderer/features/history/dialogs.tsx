import { useState, type FormEvent } from 'react';
import type { RunTarget } from '../../../shared/contract/history';
import { Dialog } from '../../components/Dialog';
import { useAppStore } from '../../stores';

/** Asks for one line of text (a tag, a collection name). */
export function PromptDialog(props: {
  title: string;
  label: string;
  submitLabel: string;
  open: boolean;
  placeholder?: string;
  onClose(): void;
  onSubmit(value: string): void;
}) {
  const [value, setValue] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!value.trim()) return;
    props.onSubmit(value.trim());
    setValue('');
    props.onClose();
  };
  return (
    <Dialog title={props.title} open={props.open} onClose={props.onClose}>
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span className="field__label">{props.label}</span>
          <input autoFocus value={value} placeholder={props.placeholder} maxLength={200} onChange={(e) => setValue(e.target.value)} />
        </label>
        <div className="form__actions">
          <button type="button" className="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={!value.trim()}>
            {props.submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Title, author and description of a workshop pack, then the save dialog. */
export function PackDialog(props: { open: boolean; target: RunTarget | null; runCount: number; defaultTitle: string; onClose(): void }) {
  const exportPack = useAppStore((s) => s.exportPack);
  const [title, setTitle] = useState(props.defaultTitle);
  const [author, setAuthor] = useState(() => window.localStorage.getItem('parallax.packAuthor') ?? '');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!props.target || !title.trim()) return;
    setBusy(true);
    window.localStorage.setItem('parallax.packAuthor', author);
    const done = await exportPack(props.target, { title: title.trim(), author: author.trim(), description });
    setBusy(false);
    if (done) props.onClose();
  };
  return (
    <Dialog title="Export a workshop pack" open={props.open} onClose={props.onClose}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <p className="muted hx-dialog-text">
          One <code>.parallax</code> file with {props.runCount === 1 ? 'this run' : `these ${props.runCount.toLocaleString()} runs`}, their prompts,
          outputs and lab details. Trainees import it and browse it offline, exactly like their own runs.
        </p>
        <label className="field">
          <span className="field__label">Pack title</span>
          <input autoFocus value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label className="field">
          <span className="field__label">Author</span>
          <input value={author} maxLength={200} placeholder="Your name or team" onChange={(e) => setAuthor(e.target.value)} />
        </label>
        <label className="field">
          <span className="field__label">Description</span>
          <textarea rows={3} value={description} maxLength={5000} placeholder="What trainees should look for" onChange={(e) => setDescription(e.target.value)} />
        </label>
        <div className="form__actions">
          <button type="button" className="button" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy || !title.trim()}>
            {busy ? 'Saving…' : 'Choose where to save…'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
