/**
 * Critique and revise: which principles (in order), which critic and reviser models, and named
 * principle sets (principles:list/save/delete) to load and save. Custom principles are written
 * in the principle editor below the list.
 */
import './steps.css';
import { useEffect, useState } from 'react';
import { BUILT_IN_PRINCIPLES, principleName, PrincipleSetInput, type PrincipleSet } from '../../../shared/principles';
import type { CustomPrinciple, PrincipleRef } from '../../../shared/steps/kinds/critique-revise';
import { api, errorMessage } from '../../lib/api';
import type { EditorProps } from './editor-types';
import { ModelSelect } from './ModelSelect';

const isBuiltIn = (ref: PrincipleRef): ref is { builtIn: string } => 'builtIn' in ref;
const customAt = (refs: readonly PrincipleRef[], index: number): CustomPrinciple | undefined => {
  const ref = refs[index];
  return ref && !isBuiltIn(ref) ? ref : undefined;
};

function PrincipleEditor(props: { label: string; initial?: CustomPrinciple; onSave(p: CustomPrinciple): void; onCancel(): void }) {
  const [name, setName] = useState(props.initial?.name ?? '');
  const [critique, setCritique] = useState(props.initial?.critique ?? '');
  const [revision, setRevision] = useState(props.initial?.revision ?? '');
  const ready = name.trim() !== '' && critique.trim() !== '' && revision.trim() !== '';
  return (
    <fieldset className="principle-editor">
      <legend>{props.initial ? 'Edit principle' : 'Your own principle'}</legend>
      <label className="step-editor__field">
        <span>Name</span>
        <input aria-label={`${props.label} principle name`} value={name} maxLength={80} onChange={(e) => setName(e.target.value)} placeholder="Stay in the bank assistant's persona" />
      </label>
      <label className="step-editor__field">
        <span>Critique request: what the critic looks for</span>
        <textarea
          rows={2}
          aria-label={`${props.label} critique request`}
          value={critique}
          onChange={(e) => setCritique(e.target.value)}
          placeholder="Identify any place where the answer discusses or recommends other banks."
        />
      </label>
      <label className="step-editor__field">
        <span>Revision request: how the reviser fixes it</span>
        <textarea
          rows={2}
          aria-label={`${props.label} revision request`}
          value={revision}
          onChange={(e) => setRevision(e.target.value)}
          placeholder="Rewrite the answer so that it stays on this bank's own products and never mentions competitors."
        />
      </label>
      <div className="step-editor__row">
        <button type="button" className="button button--small button--primary" disabled={!ready} onClick={() => props.onSave({ name: name.trim(), critique: critique.trim(), revision: revision.trim() })}>
          {props.initial ? 'Save principle' : 'Add principle'}
        </button>
        <button type="button" className="button button--small" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}

function PrincipleSets(props: { label: string; principles: PrincipleRef[]; onLoad(principles: PrincipleRef[]): void }) {
  const [sets, setSets] = useState<PrincipleSet[]>([]);
  const [chosen, setChosen] = useState('');
  const [name, setName] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const refresh = () =>
    api.call('principles:list', {}).then(
      (list) => setSets(list),
      (error: unknown) => setMessage(errorMessage(error)),
    );
  useEffect(() => {
    void refresh();
  }, []);
  const save = async () => {
    try {
      const existing = sets.find((s) => s.name.toLowerCase() === name.trim().toLowerCase());
      const input = PrincipleSetInput.safeParse({ ...(existing ? { id: existing.id } : {}), name, principles: props.principles });
      if (!input.success) {
        setMessage(input.error.issues[0]?.message ?? 'These principles cannot be saved as a set.');
        return;
      }
      const saved = await api.call('principles:save', input.data);
      setMessage(`Saved “${saved.name}”.`);
      setChosen(saved.id);
      await refresh();
    } catch (error) {
      setMessage(errorMessage(error));
    }
  };
  const remove = async () => {
    const set = sets.find((s) => s.id === chosen);
    if (!set) return;
    try {
      await api.call('principles:delete', { id: set.id });
      setMessage(`Deleted “${set.name}”.`);
      setChosen('');
      await refresh();
    } catch (error) {
      setMessage(errorMessage(error));
    }
  };
  return (
    <div className="principle-sets step-editor__row">
      <select aria-label={`${props.label} saved principle sets`} value={chosen} onChange={(e) => setChosen(e.target.value)}>
        <option value="">Saved principle sets…</option>
        {sets.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name} ({s.principles.length})
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button button--small"
        disabled={!chosen}
        onClick={() => {
          const set = sets.find((s) => s.id === chosen);
          if (set) props.onLoad(set.principles);
        }}
      >
        Load
      </button>
      <button type="button" className="button button--small" disabled={!chosen} onClick={() => void remove()}>
        Delete
      </button>
      <input aria-label={`${props.label} principle set name`} placeholder="Save these principles as…" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} />
      <button type="button" className="button button--small" disabled={!name.trim() || props.principles.length === 0} onClick={() => void save()}>
        Save set
      </button>
      {message && (
        <span className="muted" role="status">
          {message}
        </span>
      )}
    </div>
  );
}

export function CritiqueReviseStepEditor(props: EditorProps<'critique-revise'>) {
  const { step } = props;
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const set = (principles: PrincipleRef[]) => props.onChange({ ...step, principles });
  const chosenIds = new Set(step.principles.filter(isBuiltIn).map((p) => p.builtIn));
  const toggleBuiltIn = (id: string) =>
    set(chosenIds.has(id) ? step.principles.filter((p) => !(isBuiltIn(p) && p.builtIn === id)) : [...step.principles, { builtIn: id }]);
  const move = (index: number, by: number) => {
    const next = step.principles.slice();
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item!);
    set(next);
  };
  const model = (key: 'criticModelId' | 'reviserModelId', value: string | undefined) => {
    const { [key]: _drop, ...rest } = step;
    props.onChange(value ? { ...rest, [key]: value } : rest);
  };
  return (
    <div className="step-editor step-editor--critique-revise">
      <fieldset>
        <legend>Built-in principles</legend>
        <div className="principle-picker">
          {BUILT_IN_PRINCIPLES.map((p) => (
            <label key={p.id} className="toggle" title={p.critique}>
              <input type="checkbox" checked={chosenIds.has(p.id)} onChange={() => toggleBuiltIn(p.id)} aria-label={`${props.label} principle ${p.name}`} />
              {p.name}
            </label>
          ))}
        </div>
      </fieldset>
      <ol className="principle-order" aria-label={`${props.label} principles in order`}>
        {step.principles.map((p, index) => (
          <li key={index}>
            <span>{principleName(p)}</span>
            {!isBuiltIn(p) && <span className="muted"> (yours)</span>}
            <span className="step-editor__spacer" />
            <button type="button" className="icon-button" aria-label={`Move ${principleName(p)} up`} disabled={index === 0} onClick={() => move(index, -1)}>
              ↑
            </button>
            <button type="button" className="icon-button" aria-label={`Move ${principleName(p)} down`} disabled={index === step.principles.length - 1} onClick={() => move(index, 1)}>
              ↓
            </button>
            {!isBuiltIn(p) && (
              <button type="button" className="button button--small" onClick={() => setEditing(index)}>
                Edit
              </button>
            )}
            <button type="button" className="icon-button" aria-label={`Remove ${principleName(p)}`} onClick={() => set(step.principles.filter((_, i) => i !== index))}>
              ×
            </button>
          </li>
        ))}
        {step.principles.length === 0 && <li className="muted">Pick at least one principle.</li>}
      </ol>
      {editing === null ? (
        <button type="button" className="button button--small" onClick={() => setEditing('new')}>
          Write your own principle
        </button>
      ) : (
        <PrincipleEditor
          label={props.label}
          initial={typeof editing === 'number' ? customAt(step.principles, editing) : undefined}
          onCancel={() => setEditing(null)}
          onSave={(principle) => {
            if (editing === 'new') set([...step.principles, principle]);
            else set(step.principles.map((p, i) => (i === editing ? principle : p)));
            setEditing(null);
          }}
        />
      )}
      <PrincipleSets label={props.label} principles={step.principles} onLoad={set} />
      <div className="step-editor__row">
        <ModelSelect label={`${props.label} critic model`} value={step.criticModelId} models={props.ctx.models} defaultLabel="The arm's own model" onChange={(v) => model('criticModelId', v)} />
        <ModelSelect label={`${props.label} reviser model`} value={step.reviserModelId} models={props.ctx.models} defaultLabel="The arm's own model" onChange={(v) => model('reviserModelId', v)} />
      </div>
    </div>
  );
}
