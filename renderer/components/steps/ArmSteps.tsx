/**
 * An arm's steps as a compact timeline above its answer (step, status, time, tokens, cost).
 * Opening a step shows what it did; a step waiting for the user shows its question with an
 * answer box (compare:answer); when a step revised the answer, the first draft is one click away.
 */
import './steps.css';
import { memo, useState } from 'react';
import type { ArmResult } from '../../../shared/domain';
import { QuestionDetail } from '../../../shared/steps/details';
import type { StepTrace } from '../../../shared/steps/trace';
import { api, errorMessage } from '../../lib/api';
import { DiffView } from '../run/DiffView';
import { formatCost, formatMs, formatTokens } from '../run/format';
import { SafeMarkdown } from '../run/SafeMarkdown';
import { STEP_STATUS_LABEL } from './format';
import { registeredTraceView, traceViewOf } from './trace-views';
import { GuardNotices } from './guard-trace';

function Question({ runId, armIndex, step }: { runId: string; armIndex: number; step: StepTrace }) {
  const parsed = QuestionDetail.safeParse(step.detail);
  const [answer, setAnswer] = useState('');
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  if (!parsed.success) return null;
  const send = async () => {
    setSending(true);
    setProblem(null);
    try {
      const { accepted } = await api.call('compare:answer', { runId, armIndex, stepIndex: step.index, answer });
      if (!accepted) setProblem('This step is no longer waiting for an answer (the arm was stopped or already went on).');
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setSending(false);
    }
  };
  return (
    <form
      className="step-question"
      aria-label={`${step.label} asks`}
      onSubmit={(event) => {
        event.preventDefault();
        if (answer.trim()) void send();
      }}
    >
      <strong>{parsed.data.question}</strong>
      <textarea aria-label="Your answer" value={answer} onChange={(e) => setAnswer(e.target.value)} disabled={sending} />
      {problem && (
        <p role="alert" className="muted">
          {problem}
        </p>
      )}
      <div>
        <button type="submit" className="button button--primary button--small" disabled={sending || !answer.trim()}>
          Answer
        </button>
      </div>
    </form>
  );
}

function StepRow({ step, open, onToggle }: { step: StepTrace; open: boolean; onToggle(): void }) {
  const tokens = step.inputTokens === null && step.outputTokens === null ? '—' : `${formatTokens(step.inputTokens)} / ${formatTokens(step.outputTokens)}`;
  return (
    <button
      type="button"
      className="step-row"
      aria-expanded={open}
      data-step-kind={step.kind}
      data-step-status={step.status}
      onClick={onToggle}
      title={STEP_STATUS_LABEL[step.status]}
    >
      <span className={`step-dot step-dot--${step.status}`} aria-hidden="true" />
      <span className="step-row__label">
        {step.label}
        <small>
          {STEP_STATUS_LABEL[step.status]}
          {step.summary ? ` · ${step.summary}` : ''}
        </small>
      </span>
      <span className="step-row__figure" title="Time">
        {formatMs(step.totalMs)}
      </span>
      <span className="step-row__figure" title="Tokens in / out">
        {tokens}
      </span>
      <span className="step-row__figure" title="Estimated cost">
        {formatCost(step.costUsd)}
      </span>
    </button>
  );
}

export interface ArmStepsProps {
  runId: string;
  arm: ArmResult;
  readOnly?: boolean;
  /** The saved moderation pipelines that guarded this arm (the run's record), by name. */
  pipelines?: readonly string[] | undefined;
}

/** Nothing for an arm without steps of its own (a plain model call). */
export const ArmSteps = memo(function ArmSteps({ runId, arm, readOnly, pipelines }: ArmStepsProps) {
  const steps = arm.steps ?? [];
  const versions = arm.versions ?? [];
  const [open, setOpen] = useState<number | null>(null);
  const [showDraft, setShowDraft] = useState<'text' | 'diff' | null>(null);
  if (steps.length <= 1 && versions.length <= 1 && !arm.stoppedBy) return null;
  const draft = versions[0];
  const finalText = versions.at(-1)?.text ?? arm.text;
  const revisions = versions.length - 1;
  return (
    <section className="arm-steps" aria-label={`${arm.label} steps`}>
      {pipelines && pipelines.length > 0 && (
        <p className="arm-pipelines muted" data-testid="arm-pipelines">
          Guarded by {pipelines.length === 1 ? 'pipeline' : 'pipelines'} {pipelines.map((name) => `“${name}”`).join(', ')}
        </p>
      )}
      <ol className="arm-steps__list">
        {steps.map((step) => {
          const View = traceViewOf(step.kind);
          const Registered = registeredTraceView(step.kind);
          const waiting = step.status === 'waiting' && !readOnly;
          return (
            <li key={step.index}>
              <StepRow step={step} open={open === step.index} onToggle={() => setOpen(open === step.index ? null : step.index)} />
              {waiting && <Question runId={runId} armIndex={arm.index} step={step} />}
              {open === step.index && (
                <div className="step-detail" role="region" aria-label={`What ${step.label} did`}>
                  {step.error && (
                    <p role="alert">
                      <strong>{step.error.message}</strong>
                    </p>
                  )}
                  {Registered ? <Registered trace={step} /> : <View step={step} />}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {arm.stoppedBy && (
        <p className="arm-stopped" role="status">
          {arm.stoppedBy.label} stopped this arm: {arm.stoppedBy.reason}
        </p>
      )}
      <GuardNotices armLabel={arm.label} steps={steps} />
      {draft && revisions > 0 && (
        <div className="arm-versions">
          <span>
            Showing the final answer ({revisions} revision{revisions === 1 ? '' : 's'}: {versions.slice(1).map((v) => v.reason).join(', ')})
          </span>
          <span className="arm-versions__actions">
            <button type="button" className="button button--small" aria-pressed={showDraft === 'text'} onClick={() => setShowDraft(showDraft === 'text' ? null : 'text')}>
              First draft
            </button>
            <button type="button" className="button button--small" aria-pressed={showDraft === 'diff'} onClick={() => setShowDraft(showDraft === 'diff' ? null : 'diff')}>
              Draft → final diff
            </button>
          </span>
        </div>
      )}
      {draft && showDraft === 'text' && (
        <div className="draft-panel" role="region" aria-label={`${arm.label} first draft`}>
          <h4 className="draft-panel__title">First draft, before {versions[1]?.reason ?? 'the revisions'}</h4>
          <SafeMarkdown source={draft.text} />
        </div>
      )}
      {draft && showDraft === 'diff' && (
        <div className="draft-panel" role="region" aria-label={`${arm.label} draft against final`}>
          <DiffView from={{ label: 'First draft', text: draft.text }} to={{ label: 'Final', text: finalText }} />
        </div>
      )}
    </section>
  );
});
