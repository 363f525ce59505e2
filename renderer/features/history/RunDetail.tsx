import { useEffect, useState, type FormEvent } from 'react';
import type { HistoryRun, RunTarget } from '../../../shared/contract/history';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { RunView } from '../../components/run';
import { RunRatingPanel, RunScoresBar, ScoreCard } from '../../components/scores';
import { api } from '../../lib/api';
import { useAppStore } from '../../stores';
import type { BatchRunOwner } from '../../../shared/batch';
import { fullTime, labName, StatusChip } from './format';
import { PromptDialog } from './dialogs';
import { Menu, type MenuItem } from './Menu';

const NO_COLLECTIONS: never[] = [];

export function exportItems(target: RunTarget, onPack: () => void): MenuItem[] {
  const { exportRuns } = useAppStore.getState();
  return [
    { label: 'HTML report', hint: 'one file, opens anywhere', onSelect: () => void exportRuns(target, 'html') },
    { label: 'Markdown', hint: '.md', onSelect: () => void exportRuns(target, 'markdown') },
    { label: 'JSON (lossless)', hint: 're-importable', onSelect: () => void exportRuns(target, 'json') },
    { label: 'Scores (CSV)', hint: 'one row per arm', onSelect: () => void exportRuns(target, 'csv') },
    { label: 'Workshop pack…', hint: '.parallax', onSelect: onPack, separatorBefore: true },
  ];
}

function TagEditor({ run }: { run: HistoryRun }) {
  const tagRuns = useAppStore((s) => s.tagRuns);
  const [value, setValue] = useState('');
  const add = (event: FormEvent) => {
    event.preventDefault();
    const tag = value.trim().replace(/^#/, '');
    if (!tag) return;
    setValue('');
    void tagRuns([run.run.id], [tag]);
  };
  return (
    <form className="hx-tags-editor" onSubmit={add} aria-label="Tags">
      {run.meta.tags.map((tag) => (
        <span key={tag} className="hx-tag hx-tag--user hx-tag--removable">
          #{tag}
          <button type="button" aria-label={`Remove tag ${tag}`} onClick={() => void tagRuns([run.run.id], [], [tag])}>
            <Icon name="close" size={11} />
          </button>
        </span>
      ))}
      <input
        className="hx-tags-editor__input"
        aria-label="Add a tag"
        placeholder={run.meta.tags.length === 0 ? 'Add a tag…' : '+ tag'}
        value={value}
        maxLength={60}
        onChange={(e) => setValue(e.target.value)}
      />
    </form>
  );
}

function NoteEditor({ run }: { run: HistoryRun }) {
  const saveNote = useAppStore((s) => s.saveNote);
  const [note, setNote] = useState(run.meta.note);
  useEffect(() => setNote(run.meta.note), [run.run.id, run.meta.note]);
  const dirty = note !== run.meta.note;
  return (
    <div className="hx-note">
      <textarea
        aria-label="Run note"
        placeholder="Add a note: what you noticed, what to show the group…"
        rows={note ? 3 : 1}
        value={note}
        maxLength={20_000}
        onChange={(e) => setNote(e.target.value)}
      />
      {dirty && (
        <div className="hx-note__actions">
          <button type="button" className="button button--small" onClick={() => setNote(run.meta.note)}>
            Discard
          </button>
          <button type="button" className="button button--small button--primary" onClick={() => void saveNote(run.run.id, note)}>
            Save note
          </button>
        </div>
      )}
    </div>
  );
}

export function RunHeader({ run, compact }: { run: HistoryRun; compact?: boolean }) {
  const { meta } = run;
  return (
    <div className="hx-detail__heading">
      <h2 className={compact ? 'hx-detail__title hx-detail__title--compact' : 'hx-detail__title'}>{run.run.title}</h2>
      <div className="hx-detail__facts">
        <StatusChip status={run.run.status} />
        <span>{fullTime(run.run.startedAt)}</span>
        {meta.labId && <span>Lab: {labName(meta.labId)}</span>}
        {meta.pack && (
          <span className="hx-tag hx-tag--pack" title={meta.pack.description || undefined}>
            <Icon name="package" size={11} /> From “{meta.pack.title}”{meta.pack.author ? ` by ${meta.pack.author}` : ''}
          </span>
        )}
        {meta.deletedAt !== null && <span className="hx-status hx-status--failed">In the trash</span>}
      </div>
    </div>
  );
}

/** A sample of a repeated comparison (a batch with no dataset): open all its samples, with their spread, in Compare. */
function SampleOf({ run }: { run: HistoryRun }) {
  const [owner, setOwner] = useState<BatchRunOwner | null>(null);
  const openRepeats = useAppStore((s) => s.openRepeats);
  const id = run.run.id;
  useEffect(() => {
    let live = true;
    setOwner(null);
    api.call('batches:for-run', { runId: id }).then(
      (found) => live && setOwner(found.owner),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [id]);
  if (!owner || owner.batch.repeats < 2) return null;
  const repeated = owner.batch.datasetId === null && owner.batch.rowCount === 1;
  if (!repeated) {
    return (
      <p className="hx-sample" role="note">
        Row {owner.row + 1}, repeat {owner.repeat + 1} of the batch “{owner.batch.name}” (open it from Batches).
      </p>
    );
  }
  const seed = { name: owner.batch.name, description: '', labId: run.meta.labId, config: run.run.config, ...(run.run.experimentId ? { id: run.run.experimentId } : {}) };
  return (
    <div className="hx-sample" role="note" aria-label="Sample of a repeated comparison">
      <span>
        Sample {owner.repeat + 1} of {owner.batch.repeats}: every arm of this comparison ran {owner.batch.repeats} times.
      </span>
      <button type="button" className="button button--small button--primary" onClick={() => openRepeats(owner.batch.id, owner.repeat, seed)}>
        Open all {owner.batch.repeats} samples in Compare
      </button>
    </div>
  );
}

export function RunDetail(props: { onCompareWith(id: string): void; onPack(target: RunTarget, count: number, title: string): void }) {
  const historyOpenRunId = useAppStore((s) => s.historyOpenRunId);
  const run = useAppStore((s) => s.historyOpenRun);
  const error = useAppStore((s) => s.historyOpenRunError);
  const collections = useAppStore((s) => s.historyFacets?.collections) ?? NO_COLLECTIONS;
  const starRuns = useAppStore((s) => s.starRuns);
  const deleteRuns = useAppStore((s) => s.deleteRuns);
  const restoreRuns = useAppStore((s) => s.restoreRuns);
  const purgeRuns = useAppStore((s) => s.purgeRuns);
  const addToCollection = useAppStore((s) => s.addToCollection);
  const removeFromCollection = useAppStore((s) => s.removeFromCollection);
  const newComparison = useAppStore((s) => s.newComparison);
  const runDraft = useAppStore((s) => s.runDraft);
  const [promptCollection, setPromptCollection] = useState(false);
  const createCollection = useAppStore((s) => s.createCollection);

  if (!historyOpenRunId) {
    return (
      <EmptyState icon="compare" title="Pick a run to see it side by side">
        Click a run in the list, or use ↑ and ↓. Tick two runs to compare them, or several to tag, collect or export them together.
      </EmptyState>
    );
  }
  if (error) return <ErrorBanner message={error} />;
  if (!run) return <div className="hx-detail__loading" role="status">Opening the run…</div>;

  const id = run.run.id;
  const target: RunTarget = { runIds: [id] };
  const seed = { name: run.run.title, description: '', labId: run.meta.labId, config: run.run.config };
  const inTrash = run.meta.deletedAt !== null;

  const collectionItems: MenuItem[] = [
    ...collections.map((c) => {
      const member = run.meta.collections.some((m) => m.id === c.id);
      return {
        label: `${member ? '✓ ' : ''}${c.name}`,
        hint: member ? 'remove' : `${c.runCount}`,
        onSelect: () => void (member ? removeFromCollection(c.id, [id]) : addToCollection(c.id, [id])),
      };
    }),
    { label: 'New collection…', onSelect: () => setPromptCollection(true), separatorBefore: collections.length > 0 },
  ];

  return (
    <div className="hx-detail">
      <header className="hx-detail__header">
        <RunHeader run={run} />
        <div className="hx-detail__actions" role="toolbar" aria-label="Run actions">
          <button
            type="button"
            className={`button button--small hx-star-button${run.meta.starred ? ' hx-star--on' : ''}`}
            aria-pressed={run.meta.starred}
            onClick={() => void starRuns([id], !run.meta.starred)}
          >
            <Icon name="star" size={14} /> {run.meta.starred ? 'Starred' : 'Star'}
          </button>
          <button
            type="button"
            className="button button--small"
            title="Runs the same configuration again on Amazon Bedrock (needs a network connection and AWS credentials)"
            onClick={() => {
              newComparison({ ...seed, ...(run.run.experimentId ? { id: run.run.experimentId } : {}) });
              void runDraft();
            }}
          >
            <Icon name="rerun" size={14} /> Re-run
          </button>
          <button type="button" className="button button--small" onClick={() => newComparison({ ...seed, name: `${run.run.title} (copy)` })}>
            <Icon name="copy" size={14} /> Duplicate to editor
          </button>
          <button type="button" className="button button--small" onClick={() => props.onCompareWith(id)}>
            <Icon name="compare" size={14} /> Compare with…
          </button>
          <Menu label="Collection" icon="folder" items={collectionItems}>
            Collection
          </Menu>
          <Menu label="Export" icon="download" items={exportItems(target, () => props.onPack(target, 1, run.run.title))}>
            Export
          </Menu>
          {inTrash ? (
            <>
              <button type="button" className="button button--small" onClick={() => void restoreRuns([id])}>
                <Icon name="undo" size={14} /> Restore
              </button>
              <button type="button" className="button button--small button--danger" onClick={() => void purgeRuns([id])}>
                <Icon name="trash" size={14} /> Delete for good
              </button>
            </>
          ) : (
            <button type="button" className="button button--small button--danger" aria-label="Move to trash" onClick={() => void deleteRuns([id])}>
              <Icon name="trash" size={14} /> Delete
            </button>
          )}
        </div>
        <SampleOf run={run} />
        <div className="hx-detail__meta">
          <TagEditor run={run} />
          <NoteEditor run={run} />
        </div>
      </header>
      <RunView
        run={run.run}
        images={run.images}
        readOnly
        armFooter={(arm, shown) => <ScoreCard run={shown} arm={arm} />}
        toolbarExtra={<RunScoresBar run={run.run} />}
      />
      {/* The run's note is edited in the header (NoteEditor); the panel shows the same note, so not twice. */}
      <RunRatingPanel run={run.run} showNote={false} />
      {promptCollectionDialog(promptCollection, () => setPromptCollection(false), (name) => void createCollection(name, [id]))}
    </div>
  );
}

function promptCollectionDialog(open: boolean, onClose: () => void, onSubmit: (name: string) => void) {
  return (
    <PromptDialog
      title="New collection"
      label="Collection name"
      placeholder="e.g. Workshop 3 — hiring prompts"
      submitLabel="Create"
      open={open}
      onClose={onClose}
      onSubmit={onSubmit}
    />
  );
}
