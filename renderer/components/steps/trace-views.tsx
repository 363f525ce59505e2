/**
 * What each step kind did, shown when its row in the timeline is opened. One view per kind,
 * registered in TRACE_VIEWS; details are parsed with the shared zod schemas (never cast).
 */
import type { ReactNode } from 'react';
import { CritiqueReviseDetail, PromptDetail, RewriteDetail } from '../../../shared/steps/details';
import type { StepTrace } from '../../../shared/steps/trace';
import type { StepKind } from '../../../shared/steps/registry';
import { DiffView } from '../run/DiffView';
import { STEP_UI } from './registry';
import { ClarifyView, RetrieveView } from './retrieve';
import { GuardTraceView } from './guard-trace';
import { ImageChatView, ImagePromptView } from './image-steps';

export type TraceView = (props: { step: StepTrace }) => ReactNode;

function PromptView({ step }: { step: StepTrace }) {
  const parsed = PromptDetail.safeParse(step.detail);
  if (!parsed.success) return <p className="muted">{step.summary ?? 'No detail was saved for this step.'}</p>;
  return (
    <>
      {parsed.data.system !== undefined && parsed.data.system !== '' && (
        <div>
          <h4>System prompt after this step</h4>
          <pre>{parsed.data.system}</pre>
        </div>
      )}
      <div>
        <h4>Request after this step</h4>
        <pre>{parsed.data.prompt}</pre>
      </div>
    </>
  );
}

function RewriteView({ step }: { step: StepTrace }) {
  const parsed = RewriteDetail.safeParse(step.detail);
  if (!parsed.success) return <p className="muted">{step.summary ?? 'The rewrite had not come back yet.'}</p>;
  const d = parsed.data;
  return (
    <>
      <div>
        <h4>Rewritten prompt ({d.modelId})</h4>
        <pre data-testid="rewritten-prompt">{d.rewrite}</pre>
      </div>
      <div>
        <h4>What the rewrite changed</h4>
        <DiffView from={{ label: 'Before', text: d.original }} to={{ label: 'Rewritten', text: d.rewrite }} />
      </div>
    </>
  );
}

function CritiqueReviseView({ step }: { step: StepTrace }) {
  const parsed = CritiqueReviseDetail.safeParse(step.detail);
  if (!parsed.success) return <p className="muted">{step.summary ?? 'No critique had come back yet.'}</p>;
  return (
    <>
      {parsed.data.principles.map((p, index) => (
        <section key={index} className="critique" aria-label={`Critique: ${p.principle}`}>
          <h4>
            {index + 1}. {p.principle}{' '}
            <span className={`critique__verdict critique__verdict--${p.problem ? 'problem' : 'fine'}`}>
              {p.problem === null ? 'waiting for the critic' : p.problem ? 'problem found' : 'no problem'}
            </span>
          </h4>
          <p className="step-detail__text">
            <span className="muted">Critic ({p.criticModelId}): </span>
            {p.critique || '(no explanation given)'}
          </p>
          {p.after !== null && (
            <div>
              <h4>Revision ({p.reviserModelId ?? 'reviser'}), against the version before</h4>
              <DiffView from={{ label: 'Before', text: p.before }} to={{ label: 'Revised', text: p.after }} />
            </div>
          )}
        </section>
      ))}
    </>
  );
}

function DefaultView({ step }: { step: StepTrace }) {
  return <p className="muted">{step.summary ?? 'Nothing more to show for this step.'}</p>;
}

export const TRACE_VIEWS: Record<string, TraceView> = {
  technique: PromptView,
  specify: PromptView,
  rewrite: RewriteView,
  'critique-revise': CritiqueReviseView,
  retrieve: RetrieveView,
  clarify: ClarifyView,
  'guard-injection': GuardTraceView,
  'guard-pii': GuardTraceView,
  'guard-classifier': GuardTraceView,
  'guard-toxicity': GuardTraceView,
  'guard-guardrail': GuardTraceView,
  'image-inclusive': ImagePromptView,
  'image-negative': ImagePromptView,
  'image-chat': ImageChatView,
};

export function traceViewOf(kind: string): TraceView {
  return TRACE_VIEWS[kind] ?? DefaultView;
}

/** A kind's view registered in registry.tsx (STEP_UI[kind].TraceView), which wins over this file's. */
export function registeredTraceView(kind: string) {
  return Object.hasOwn(STEP_UI, kind) ? STEP_UI[kind as StepKind]?.TraceView : undefined;
}
