import { memo, useDeferredValue, useMemo } from 'react';
import type { ResolvedArmRequest } from '../../../shared/arms/resolve';
import { diffRequests, type DiffPart } from './requestDiff';

function Parts(props: { parts: DiffPart[] }) {
  return (
    <>
      {props.parts.map((part, index) =>
        part.kind === 'added' ? (
          <ins key={index} className="diff__added">
            {part.text}
          </ins>
        ) : part.kind === 'removed' ? (
          <del key={index} className="diff__removed">
            {part.text}
          </del>
        ) : part.kind === 'collapsed' ? (
          <span key={index} className="resolved__collapsed">
            {` … ${part.words} ${part.words === 1 ? 'word' : 'words'} unchanged … `}
          </span>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </>
  );
}

const STATUS_TEXT = { same: 'same as the baseline', changed: 'changed', added: 'added', removed: 'removed' } as const;

/**
 * An arm's resolved request, live, as a word diff against the baseline's: "what this mitigation
 * changed". Computed from deferred values so typing in the baseline never waits for it.
 */
export const ResolvedPreview = memo(function ResolvedPreview(props: { label: string; baseline: ResolvedArmRequest; resolved: ResolvedArmRequest; detached?: boolean }) {
  const baseline = useDeferredValue(props.baseline);
  const resolved = useDeferredValue(props.resolved);
  const diff = useMemo(() => diffRequests(baseline.request, resolved.request), [baseline, resolved]);
  const stale = baseline !== props.baseline || resolved !== props.resolved;
  const model = resolved.request.modelId !== baseline.request.modelId ? resolved.request.modelId : null;
  const inferenceChanged = JSON.stringify(resolved.request.inference) !== JSON.stringify(baseline.request.inference);
  const atRun = resolved.steps.filter((step) => step.status === 'at-run');
  const answer = resolved.steps.filter((step) => step.status === 'answer');

  return (
    <section className={`resolved${stale ? ' resolved--stale' : ''}`} aria-label={`Resolved request of ${props.label}`} aria-busy={stale}>
      <header className="resolved__header">
        <h4>{props.detached ? 'What this variant sends, against the baseline' : 'What this mitigation changed'}</h4>
        <span className="resolved__counts" aria-label={`${props.label} changes`}>
          {diff.changed ? (
            <>
              <span className="diff__key diff__key--added">+{diff.added}</span> <span className="diff__key diff__key--removed">−{diff.removed}</span> words
            </>
          ) : (
            'Same request as the baseline'
          )}
        </span>
      </header>
      {(model || inferenceChanged) && (
        <p className="resolved__overrides">
          {model && (
            <>
              Model: <code title={model}>{model}</code>
            </>
          )}
          {model && inferenceChanged && ' · '}
          {inferenceChanged && <>Inference: {describeInference(resolved.request.inference)}</>}
        </p>
      )}
      <div className="resolved__sections">
        {diff.sections.map((section) =>
          section.status === 'same' ? (
            section.title === 'Prompt' ? (
              <div key={section.title} className="resolved__section resolved__section--same" data-section={section.title}>
                <div className="resolved__title">
                  {section.title} <span className="muted">({STATUS_TEXT.same})</span>
                </div>
                <div className="resolved__text" data-testid="resolved-text">
                  <Parts parts={section.parts} />
                </div>
              </div>
            ) : section.title === 'System prompt' ? null : (
              <p key={section.title} className="resolved__same muted">
                {section.title}: {STATUS_TEXT.same}
              </p>
            )
          ) : (
            <div key={section.title} className={`resolved__section resolved__section--${section.status}`} data-section={section.title}>
              <div className="resolved__title">
                {section.title} <span className="muted">({STATUS_TEXT[section.status]})</span>
              </div>
              <div className="resolved__text" data-testid="resolved-text">
                <Parts parts={section.parts} />
              </div>
            </div>
          ),
        )}
        {!diff.changed && <p className="muted resolved__none">The prompt, system prompt and turns are the baseline&apos;s.</p>}
      </div>
      {atRun.length > 0 && (
        <p className="resolved__note" role="note">
          {atRun.map((step) => step.label).join(', ')}: applied when the arm runs (a model rewrites the request above each time).
        </p>
      )}
      {answer.length > 0 && (
        <p className="resolved__note" role="note">
          {answer.map((step) => step.label).join(', ')}: runs on the answer, after the model replies.
        </p>
      )}
    </section>
  );
});

function describeInference(inference: ResolvedArmRequest['request']['inference']): string {
  const parts = [
    inference.temperature !== undefined && `temperature ${inference.temperature}`,
    inference.topP !== undefined && `top P ${inference.topP}`,
    inference.maxTokens !== undefined && `max tokens ${inference.maxTokens}`,
    inference.stopSequences?.length && `stop ${inference.stopSequences.map((s) => JSON.stringify(s)).join(', ')}`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'model defaults';
}
