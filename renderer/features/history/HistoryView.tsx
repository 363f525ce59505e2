import { useEffect, useMemo, useRef, useState } from 'react';
import type { HistorySort, RatingFilter, RunTarget } from '../../../shared/contract/history';
import { RUN_STATUSES, type RunStatus } from '../../../shared/domain';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Icon } from '../../components/Icon';
import { on } from '../../lib/api';
import { useShortcuts } from '../../lib/useShortcuts';
import { useAppStore } from '../../stores';
import { EMPTY_FILTER, type FilterState } from '../../stores/history';
import { PackDialog, PromptDialog } from './dialogs';
import { labName, RUN_STATUS_LABEL, shortModel, techniqueName } from './format';
import { HistoryList } from './HistoryList';
import { Menu, type MenuItem } from './Menu';
import { exportItems, RunDetail } from './RunDetail';
import { RunsCompare } from './RunsCompare';
import './history.css';

const DAY = 86_400_000;
const DATE_RANGES = [
  { value: 'any', label: 'Any time' },
  { value: 'today', label: 'Today' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: 'year', label: 'Last 12 months' },
  { value: 'custom', label: 'Between dates…' },
] as const;
type DateRange = (typeof DATE_RANGES)[number]['value'];

const RATING_OPTIONS: { value: RatingFilter | ''; label: string }[] = [
  { value: '', label: 'Any rating' },
  { value: 'rated', label: 'Rated' },
  { value: 'unrated', label: 'Unrated' },
  { value: 'up', label: 'Thumbs up' },
  { value: 'down', label: 'Thumbs down' },
];
const STAR_OPTIONS = [
  { value: '', label: 'Any stars' },
  ...[1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: n === 5 ? '★★★★★' : `${'★'.repeat(n)} or more` })),
];

function rangeBounds(range: DateRange): { from: number | null; to: number | null } {
  const now = Date.now();
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  switch (range) {
    case 'today':
      return { from: midnight.getTime(), to: null };
    case '7d':
      return { from: now - 7 * DAY, to: null };
    case '30d':
      return { from: now - 30 * DAY, to: null };
    case 'year':
      return { from: now - 365 * DAY, to: null };
    default:
      return { from: null, to: null };
  }
}

function dayInput(at: number | null): string {
  if (at === null) return '';
  const date = new Date(at);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

function parseDay(value: string, endOfDay: boolean): number | null {
  if (!value) return null;
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(y!, m! - 1, d!);
  return endOfDay ? date.getTime() + DAY : date.getTime();
}

function isFiltered(filter: FilterState, query: string): boolean {
  return query.trim() !== '' || JSON.stringify({ ...filter, trash: false }) !== JSON.stringify({ ...EMPTY_FILTER, trash: false });
}

function Select<T extends string>(props: { label: string; value: T; options: { value: T; label: string }[]; onChange(value: T): void; active?: boolean }) {
  return (
    <label className={`hx-select${props.active ? ' hx-select--active' : ''}`}>
      <span className="visually-hidden">{props.label}</span>
      <select aria-label={props.label} value={props.value} onChange={(e) => props.onChange(e.target.value as T)}>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A long export or import: how far it has got, and a way to stop it. */
function TransferBar() {
  const transfer = useAppStore((s) => s.historyTransfer);
  const cancel = useAppStore((s) => s.cancelTransfer);
  if (!transfer || !transfer.total) return null;
  const verb = transfer.kind === 'import' ? 'Importing' : transfer.kind === 'pack' ? 'Saving the pack' : 'Exporting';
  const share = Math.min(1, (transfer.done ?? 0) / transfer.total);
  const detail = transfer.unit === 'runs' ? `${(transfer.done ?? 0).toLocaleString()} of ${transfer.total.toLocaleString()} runs` : `${Math.round(share * 100)}%`;
  return (
    <div className="hx-toast hx-transfer" role="status" aria-label={`${verb}: ${detail}`}>
      <span>
        {verb}… {detail}
      </span>
      <progress max={1} value={share} aria-hidden="true" />
      <button type="button" className="hx-toast__action" onClick={() => void cancel()}>
        Cancel
      </button>
    </div>
  );
}

function Toast() {
  const toast = useAppStore((s) => s.historyToast);
  const dismiss = useAppStore((s) => s.dismissToast);
  const restoreRuns = useAppStore((s) => s.restoreRuns);
  if (!toast) return null;
  return (
    <div className={`hx-toast${toast.tone === 'error' ? ' hx-toast--error' : ''}`} role={toast.tone === 'error' ? 'alert' : 'status'}>
      <span>{toast.message}</span>
      {toast.undoIds && (
        <button
          type="button"
          className="hx-toast__action"
          onClick={() => {
            const ids = toast.undoIds!;
            dismiss();
            void restoreRuns(ids);
          }}
        >
          Undo
        </button>
      )}
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={dismiss}>
        <Icon name="close" size={14} />
      </button>
    </div>
  );
}

export function HistoryView() {
  const s = useAppStore;
  const query = s((st) => st.historyQuery);
  const filter = s((st) => st.historyFilter);
  const sort = s((st) => st.historySort);
  const rowCount = s((st) => st.historyRowCount);
  const total = s((st) => st.historyTotal);
  const totalCapped = s((st) => st.historyTotalCapped);
  const notice = s((st) => st.historyNotice);
  const loaded = s((st) => st.historyLoaded);
  const loading = s((st) => st.historyLoading);
  const error = s((st) => st.historyError);
  const facets = s((st) => st.historyFacets);
  const selection = s((st) => st.historySelection);
  const historyCompareIds = s((st) => st.historyCompareIds);
  const actions = useMemo(() => useAppStore.getState(), []);
  const searchBox = useRef<HTMLInputElement>(null);
  const [draftQuery, setDraftQuery] = useState(query);
  const [range, setRange] = useState<DateRange>('any');
  const [pickingFor, setPickingFor] = useState<string | null>(null);
  const [pack, setPack] = useState<{ target: RunTarget; count: number; title: string } | null>(null);
  const [prompt, setPrompt] = useState<'tag' | 'collection' | null>(null);

  useEffect(() => {
    void actions.loadHistory();
    void actions.loadFacets();
    const off = on('history:changed', () => {
      void actions.loadHistory();
      void actions.loadFacets();
    });
    const offFinished = on('run:finished', () => {
      void actions.loadHistory();
      void actions.loadFacets();
    });
    return () => {
      off();
      offFinished();
    };
  }, [actions]);

  useEffect(() => {
    if (draftQuery === query) return;
    const timer = window.setTimeout(() => actions.setHistoryQuery(draftQuery), 140);
    return () => window.clearTimeout(timer);
  }, [draftQuery, query, actions]);

  useShortcuts(useMemo(() => ({ 'Mod+f': () => searchBox.current?.focus() }), []));
  useEffect(() => {
    if (!pickingFor) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setPickingFor(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pickingFor]);

  const selectedIds = Object.keys(selection);
  const filtered = isFiltered(filter, query);
  const nothingAtAll = loaded && !filtered && !filter.trash && facets !== null && facets.live === 0 && rowCount === 0;

  const setFilter = (update: Partial<FilterState>) => actions.setHistoryFilter(update);
  const one = <T,>(values: T[]) => (values[0] ?? '') as T | '';

  const collection = filter.collectionId ? facets?.collections.find((c) => c.id === filter.collectionId) : undefined;
  const sorts: { value: HistorySort; label: string }[] = [
    { value: 'newest', label: 'Newest first' },
    { value: 'oldest', label: 'Oldest first' },
    { value: 'title', label: 'Title A–Z' },
    ...(query.trim() ? [{ value: 'relevance' as const, label: 'Best match' }] : []),
  ];

  const bulkCollectionItems: MenuItem[] = [
    ...(facets?.collections ?? []).map((c) => ({ label: c.name, hint: `${c.runCount}`, onSelect: () => void actions.addToCollection(c.id, selectedIds) })),
    { label: 'New collection…', onSelect: () => setPrompt('collection'), separatorBefore: (facets?.collections.length ?? 0) > 0 },
  ];

  const countLabel =
    total === null
      ? `${rowCount.toLocaleString()}${rowCount > 0 ? '+' : ''}`
      : totalCapped
        ? `${total.toLocaleString()}+ runs`
        : `${total.toLocaleString()} run${total === 1 ? '' : 's'}`;

  if (historyCompareIds) {
    return (
      <div className="hx">
        <RunsCompare ids={historyCompareIds} onClose={() => actions.setCompareRuns(null)} />
        <TransferBar />
        <Toast />
      </div>
    );
  }

  return (
    <div className="hx">
      <header className="hx__header">
        <div>
          <h1>{filter.trash ? 'Trash' : collection ? collection.name : 'History'}</h1>
          <p className="page-header__subtitle">
            {filter.trash
              ? 'Deleted runs stay here for 30 days. Restore them, or delete them for good.'
              : collection
                ? `A collection of ${collection.runCount.toLocaleString()} run${collection.runCount === 1 ? '' : 's'}.${collection.description ? ` ${collection.description}` : ''}`
                : 'Every run you make is kept here, and opens without a network.'}
          </p>
        </div>
        <div className="hx__header-actions">
          {collection && (
            <>
              <Menu
                label="Export collection"
                icon="download"
                align="right"
                items={exportItems({ collectionId: collection.id }, () =>
                  setPack({ target: { collectionId: collection.id }, count: collection.runCount, title: collection.name }),
                )}
              >
                Export collection
              </Menu>
              <button type="button" className="button button--small button--danger" onClick={() => void actions.deleteCollection(collection.id)}>
                Delete collection
              </button>
            </>
          )}
          {filter.labs.length === 1 && !collection && (
            <button
              type="button"
              className="button button--small"
              onClick={() => setPack({ target: { labId: filter.labs[0]! }, count: totalCapped ? rowCount : (total ?? rowCount), title: labName(filter.labs[0]!) })}
            >
              <Icon name="package" size={14} /> Pack this lab…
            </button>
          )}
          {filter.trash && (facets?.trash ?? 0) > 0 && (
            <button type="button" className="button button--small button--danger" onClick={() => void actions.purgeRuns('all')}>
              Empty trash
            </button>
          )}
          <button type="button" className="button button--small" onClick={() => void actions.importFile()}>
            <Icon name="upload" size={14} /> Import…
          </button>
        </div>
      </header>

      {error && <ErrorBanner message={error.message} details={error.details} />}

      <div className="hx__toolbar" role="search">
        <div className="hx-search">
          <Icon name="search" size={16} />
          <input
            ref={searchBox}
            type="search"
            aria-label="Search runs"
            placeholder="Search prompts, outputs, critiques and notes"
            value={draftQuery}
            onChange={(e) => setDraftQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') actions.setHistoryQuery(draftQuery);
              if (e.key === 'Escape') setDraftQuery('');
            }}
          />
          <kbd>{navigator.platform.toLowerCase().includes('mac') ? '⌘F' : 'Ctrl+F'}</kbd>
        </div>
        <div className="hx__filters">
          <Select<RunStatus | ''>
            label="Status"
            active={filter.statuses.length > 0}
            value={one(filter.statuses)}
            options={[{ value: '', label: 'Any status' }, ...RUN_STATUSES.filter((st) => st !== 'running').map((st) => ({ value: st, label: RUN_STATUS_LABEL[st] }))]}
            onChange={(value) => setFilter({ statuses: value ? [value] : [] })}
          />
          <Select
            label="Model"
            active={filter.models.length > 0}
            value={one(filter.models)}
            options={[{ value: '', label: 'Any model' }, ...(facets?.models ?? []).map((m) => ({ value: m, label: shortModel(m) }))]}
            onChange={(value) => setFilter({ models: value ? [value] : [] })}
          />
          <Select
            label="Technique"
            active={filter.techniques.length > 0}
            value={one(filter.techniques)}
            options={[{ value: '', label: 'Any technique' }, ...(facets?.techniques ?? []).map((t) => ({ value: t, label: techniqueName(t) }))]}
            onChange={(value) => setFilter({ techniques: value ? [value] : [] })}
          />
          <Select
            label="Lab"
            active={filter.labs.length > 0}
            value={one(filter.labs)}
            options={[{ value: '', label: 'Any lab' }, ...(facets?.labs ?? []).map((l) => ({ value: l, label: labName(l) }))]}
            onChange={(value) => setFilter({ labs: value ? [value] : [] })}
          />
          <Select
            label="Tag"
            active={filter.tags.length > 0}
            value={one(filter.tags)}
            options={[{ value: '', label: 'Any tag' }, ...(facets?.tags ?? []).map((t) => ({ value: t.name, label: `#${t.name} (${t.count})` }))]}
            onChange={(value) => setFilter({ tags: value ? [value] : [] })}
          />
          <Select
            label="Collection"
            active={filter.collectionId !== null}
            value={filter.collectionId ?? ''}
            options={[{ value: '', label: 'All runs' }, ...(facets?.collections ?? []).map((c) => ({ value: c.id, label: `${c.name} (${c.runCount})` }))]}
            onChange={(value) => setFilter({ collectionId: value || null })}
          />
          {(facets?.packs.length ?? 0) > 0 && (
            <Select
              label="Source"
              active={filter.packId !== null}
              value={filter.packId ?? ''}
              options={[{ value: '', label: 'Any source' }, ...(facets?.packs ?? []).map((p) => ({ value: p.id, label: `Pack: ${p.title}` }))]}
              onChange={(value) => setFilter({ packId: value || null })}
            />
          )}
          <Select<DateRange>
            label="Date"
            active={filter.from !== null || filter.to !== null}
            value={range}
            options={[...DATE_RANGES]}
            onChange={(value) => {
              setRange(value);
              if (value !== 'custom') setFilter(rangeBounds(value));
            }}
          />
          {range === 'custom' && (
            <span className="hx-dates">
              <input type="date" aria-label="From date" value={dayInput(filter.from)} onChange={(e) => setFilter({ from: parseDay(e.target.value, false) })} />
              <span className="muted">to</span>
              <input
                type="date"
                aria-label="To date"
                value={dayInput(filter.to === null ? null : filter.to - DAY)}
                onChange={(e) => setFilter({ to: parseDay(e.target.value, true) })}
              />
            </span>
          )}
          <button
            type="button"
            className={`hx-toggle${filter.starred ? ' hx-toggle--on' : ''}`}
            aria-pressed={filter.starred}
            onClick={() => setFilter({ starred: !filter.starred })}
          >
            <Icon name="star" size={14} /> Starred
          </button>
          <button type="button" className={`hx-toggle${filter.guardBlocked ? ' hx-toggle--on' : ''}`} aria-pressed={filter.guardBlocked} onClick={() => setFilter({ guardBlocked: !filter.guardBlocked })}>
            Blocked by a guard
          </button>
          <Select<RatingFilter | ''>
            label="Rating"
            active={filter.rating !== null}
            value={filter.rating ?? ''}
            options={RATING_OPTIONS}
            onChange={(value) => setFilter({ rating: value || null })}
          />
          <Select<string>
            label="Stars"
            active={filter.minStars !== null}
            value={filter.minStars === null ? '' : String(filter.minStars)}
            options={STAR_OPTIONS}
            onChange={(value) => setFilter({ minStars: value ? Number(value) : null })}
          />
          <span className="hx__spacer" />
          <Select<HistorySort> label="Sort" value={sort} options={sorts} onChange={(value) => actions.setHistorySort(value)} />
          <button
            type="button"
            className={`hx-toggle${filter.trash ? ' hx-toggle--on' : ''}`}
            aria-pressed={filter.trash}
            onClick={() => setFilter({ trash: !filter.trash })}
            title="Runs deleted in the last 30 days"
          >
            <Icon name="trash" size={14} /> Trash{facets && facets.trash > 0 ? ` (${facets.trash.toLocaleString()})` : ''}
          </button>
        </div>
      </div>

      {nothingAtAll ? (
        <EmptyState
          icon="history"
          title="No runs yet"
          action={
            <div className="hx-empty-actions">
              <button type="button" className="button button--primary" onClick={() => actions.newComparison()}>
                <Icon name="play" size={14} /> Start a comparison
              </button>
              <button type="button" className="button" onClick={() => void actions.importFile()}>
                <Icon name="upload" size={14} /> Import a workshop pack
              </button>
            </div>
          }
        >
          Runs appear here as soon as you start one in Compare. Imported workshop packs show up here too, and work offline.
        </EmptyState>
      ) : (
        <div className={`hx__body${pickingFor ? ' hx__body--picking' : ''}`}>
          <section className="hx__list-pane" aria-label="Run list">
            <div className="hx__list-head">
              {selectedIds.length > 0 ? (
                <div className="hx-bulk" role="toolbar" aria-label="Selected runs">
                  <strong>{selectedIds.length.toLocaleString()} selected</strong>
                  {selectedIds.length === 2 && (
                    <button type="button" className="button button--small button--primary" onClick={() => actions.setCompareRuns([selectedIds[0]!, selectedIds[1]!])}>
                      <Icon name="compare" size={14} /> Compare
                    </button>
                  )}
                  <button type="button" className="button button--small" aria-label="Star selected" onClick={() => void actions.starRuns(selectedIds, true)}>
                    <Icon name="star" size={14} />
                  </button>
                  <button type="button" className="button button--small" onClick={() => setPrompt('tag')}>
                    <Icon name="tag" size={14} /> Tag
                  </button>
                  <Menu label="Add to collection" icon="folder" items={bulkCollectionItems}>
                    Collect
                  </Menu>
                  <Menu
                    label="Export selected"
                    icon="download"
                    items={exportItems({ runIds: selectedIds }, () => setPack({ target: { runIds: selectedIds }, count: selectedIds.length, title: `${selectedIds.length} runs` }))}
                  >
                    Export
                  </Menu>
                  {filter.trash ? (
                    <button type="button" className="button button--small" onClick={() => void actions.restoreRuns(selectedIds)}>
                      Restore
                    </button>
                  ) : (
                    <button type="button" className="button button--small button--danger" aria-label="Delete selected" onClick={() => void actions.deleteRuns(selectedIds)}>
                      <Icon name="trash" size={14} />
                    </button>
                  )}
                  <button type="button" className="icon-button" aria-label="Clear selection" onClick={actions.clearSelection}>
                    <Icon name="close" size={14} />
                  </button>
                </div>
              ) : (
                <>
                  <span className="hx__count" aria-live="polite">
                    {loading && !loaded ? 'Loading…' : countLabel}
                    {query.trim() && ` matching “${query.trim()}”`}
                  </span>
                  {filtered && (
                    <button
                      type="button"
                      className="hx-link"
                      onClick={() => {
                        setDraftQuery('');
                        setRange('any');
                        actions.resetHistoryFilter();
                      }}
                    >
                      Clear filters
                    </button>
                  )}
                  {rowCount > 0 && (
                    <button type="button" className="hx-link" onClick={() => actions.setSelection(useAppStore.getState().historyRows.ids())}>
                      Select all{total !== null && total > rowCount ? ' loaded' : ''}
                    </button>
                  )}
                </>
              )}
            </div>
            {pickingFor && (
              <div className="hx-picking" role="status">
                Pick the run to compare with. <button type="button" className="hx-link" onClick={() => setPickingFor(null)}>Cancel</button>
              </div>
            )}
            {loaded && rowCount === 0 ? (
              <div className="hx-noresults" role="status">
                <Icon name={filter.trash ? 'trash' : 'search'} size={22} />
                <h2>{filter.trash ? 'The trash is empty' : notice !== null ? 'Nothing to search for' : 'No runs match'}</h2>
                <p className="muted">
                  {filter.trash
                    ? 'Runs you delete wait here for 30 days before they go for good.'
                    : notice !== null
                      ? notice
                      : query.trim()
                      ? 'Try fewer or different words — search looks at prompts, outputs, judges’ critiques and notes — or clear the filters.'
                      : 'No run fits these filters. Clear them to see every run.'}
                </p>
                {filtered && (
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => {
                      setDraftQuery('');
                      setRange('any');
                      actions.resetHistoryFilter();
                    }}
                  >
                    Clear search and filters
                  </button>
                )}
              </div>
            ) : (
              <HistoryList
                pickingFor={pickingFor}
                onPicked={(id) => {
                  if (pickingFor && id !== pickingFor) actions.setCompareRuns([pickingFor, id]);
                  setPickingFor(null);
                }}
              />
            )}
          </section>
          <section className="hx__detail-pane" aria-label="Run">
            <RunDetail onCompareWith={(id) => setPickingFor(id)} onPack={(target, count, title) => setPack({ target, count, title })} />
          </section>
        </div>
      )}

      <footer className="hx__offline">
        <Icon name="offline" size={14} />
        History, search, export, import and workshop packs work offline. Running or re-running a comparison needs Amazon Bedrock (a network
        connection and AWS credentials).
      </footer>

      <PromptDialog
        title={`Tag ${selectedIds.length.toLocaleString()} runs`}
        label="Tag"
        placeholder="e.g. workshop-3"
        submitLabel="Add tag"
        open={prompt === 'tag'}
        onClose={() => setPrompt(null)}
        onSubmit={(tag) => void actions.tagRuns(selectedIds, [tag.replace(/^#/, '')])}
      />
      <PromptDialog
        title="New collection"
        label="Collection name"
        placeholder="e.g. Study: loaded assumptions"
        submitLabel="Create"
        open={prompt === 'collection'}
        onClose={() => setPrompt(null)}
        onSubmit={(name) => void actions.createCollection(name, selectedIds)}
      />
      {pack && <PackDialog open target={pack.target} runCount={pack.count} defaultTitle={pack.title} onClose={() => setPack(null)} />}
      <TransferBar />
      <Toast />
    </div>
  );
}
