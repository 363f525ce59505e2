/**
 * What a guard step did (issue 10), opened from the column's timeline: its verdict, why, the
 * evidence it matched, counts per type, the redacted text with every replacement highlighted,
 * the classifier's verdict, toxicity per category against the threshold, every Bedrock Guardrail
 * assessment and its blocked message. An output guard that blocked keeps the original answer
 * behind "Show what was blocked". Details are parsed with the shared schema, never cast.
 */
import { useState, type ReactNode } from 'react';
import { GuardDetail } from '../../../shared/steps/kinds/guard-common';
import { TOXICITY_LABELS } from '../../../shared/steps/kinds/guard-toxicity';
import type { StepTrace } from '../../../shared/steps/trace';
import './guard.css';

const VERDICT_WORDS = { pass: 'Passed', flagged: 'Flagged', redacted: 'Redacted', blocked: 'Blocked' } as const;

/** Text with [start, end) spans wrapped in <mark>; spans are UTF-16 offsets, sorted. */
export function HighlightedText({ text, spans, className = 'guard-mark' }: { text: string; spans: readonly { start: number; end: number; type: string }[]; className?: string }) {
  const parts: ReactNode[] = [];
  let cursor = 0;
  spans.forEach((span, index) => {
    if (span.start < cursor || span.end > text.length) return;
    if (span.start > cursor) parts.push(text.slice(cursor, span.start));
    parts.push(
      <mark key={index} className={className} title={span.type} data-testid="redaction">
        {text.slice(span.start, span.end)}
      </mark>,
    );
    cursor = span.end;
  });
  parts.push(text.slice(cursor));
  return <>{parts}</>;
}

export function guardDetailOf(trace: Pick<StepTrace, 'detail'>): GuardDetail | null {
  const parsed = GuardDetail.safeParse(trace.detail);
  return parsed.success ? parsed.data : null;
}

function Bars({ categories, threshold }: { categories: Record<string, number>; threshold: number | null }) {
  return (
    <div aria-label="Toxicity per category">
      {Object.entries(categories).map(([category, value]) => (
        <div key={category} className="guard-bar">
          <span>{TOXICITY_LABELS[category as keyof typeof TOXICITY_LABELS] ?? category}</span>
          <span className="guard-bar__track">
            <span className={`guard-bar__fill${threshold !== null && value >= threshold ? ' guard-bar__fill--over' : ''}`} style={{ width: `${Math.round(value * 100)}%` }} />
          </span>
          <span>{value.toFixed(2)}</span>
        </div>
      ))}
    </div>
  );
}

type Loose = Record<string, unknown>;
const rows = (value: unknown): Loose[] => (Array.isArray(value) ? value.filter((x): x is Loose => typeof x === 'object' && x !== null) : []);
const s = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : value === null || value === undefined ? '—' : JSON.stringify(value));

function Assessments({ assessments }: { assessments: unknown[] }) {
  const lines: { policy: string; what: string; detail: string; action: string }[] = [];
  for (const raw of assessments) {
    const a = (raw ?? {}) as Loose;
    for (const f of rows(a.contentFilters)) lines.push({ policy: 'Content filter', what: s(f.type), detail: `confidence ${s(f.confidence)}${f.strength ? `, strength ${s(f.strength)}` : ''}`, action: s(f.action) });
    for (const t of rows(a.deniedTopics)) lines.push({ policy: 'Denied topic', what: s(t.name), detail: s(t.type), action: s(t.action) });
    for (const w of rows(a.words)) lines.push({ policy: w.list === 'managed' ? 'Managed word list' : 'Custom word', what: s(w.match), detail: w.type ? s(w.type) : '', action: s(w.action) });
    for (const p of rows(a.piiEntities)) lines.push({ policy: 'Sensitive information', what: s(p.type), detail: '', action: s(p.action) });
    for (const r of rows(a.regexes)) lines.push({ policy: 'Sensitive information (regex)', what: s(r.name), detail: '', action: s(r.action) });
    for (const g of rows(a.grounding)) lines.push({ policy: 'Contextual grounding', what: s(g.type), detail: `score ${s(g.score)} vs threshold ${s(g.threshold)}`, action: s(g.action) });
  }
  if (lines.length === 0) return <p className="muted">The guardrail reported no findings.</p>;
  return (
    <table aria-label="Guardrail assessments">
      <thead>
        <tr>
          <th>Policy</th>
          <th>Finding</th>
          <th>Detail</th>
          <th>Action</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((line, index) => (
          <tr key={index}>
            <td>{line.policy}</td>
            <td>{line.what}</td>
            <td>{line.detail}</td>
            <td>{line.action}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function GuardTraceView({ step }: { step: StepTrace }) {
  const detail = guardDetailOf(step);
  const [showBlocked, setShowBlocked] = useState(false);
  if (!detail) return <p className="muted">{step.summary ?? 'This guard had not finished.'}</p>;
  return (
    <div className="guard-trace" data-testid="guard-trace">
      <p>
        <span className={`guard-verdict guard-verdict--${detail.verdict}`}>{VERDICT_WORDS[detail.verdict]}</span>{' '}
        <span data-testid="guard-reason">{detail.reason}</span>
        <span className="muted"> · on {detail.stage}, action {detail.action}</span>
      </p>
      {detail.score !== null && detail.threshold !== null && detail.check !== 'toxicity' && (
        <p className="muted">
          Score {detail.score.toFixed(2)} · threshold {detail.threshold}
        </p>
      )}
      {detail.classifier && (
        <p>
          Classifier ({detail.classifier.modelId}): <strong>{detail.classifier.verdict}</strong>, {detail.classifier.category}, confidence {detail.classifier.confidence.toFixed(2)}
          {detail.classifier.reason ? ` — ${detail.classifier.reason}` : ''}
        </p>
      )}
      {detail.evidence.length > 0 && (
        <div>
          <h4>Evidence</h4>
          <ul>
            {detail.evidence.map((e, index) => (
              <li key={index}>
                {e.label}: <mark className="guard-mark guard-mark--evidence">{e.match}</mark>
                {e.hidden ? <span className="muted"> (hidden with look-alike or invisible characters)</span> : null}
              </li>
            ))}
          </ul>
        </div>
      )}
      {Object.keys(detail.counts).length > 0 && (
        <p>
          Found: {Object.entries(detail.counts).map(([type, count]) => `${type} ×${count}`).join(', ')} <span className="muted">(counts only; the values are not kept)</span>
        </p>
      )}
      {detail.redacted && (
        <div>
          <h4>{detail.stage === 'input' ? 'What the model was sent' : 'The answer after redaction'}</h4>
          <p className="guard-redacted" data-testid="redacted-text">
            <HighlightedText text={detail.redacted.text} spans={detail.redacted.spans} />
          </p>
        </div>
      )}
      {Object.keys(detail.categories).length > 0 && <Bars categories={detail.categories} threshold={detail.threshold} />}
      {detail.guardrail && (
        <div>
          <h4>
            Guardrail {detail.guardrail.name ?? detail.guardrail.id} (version {detail.guardrail.version}): {detail.guardrail.action}
            {detail.guardrail.grounded ? ' · grounded on the arm’s sources' : ''}
          </h4>
          <Assessments assessments={detail.guardrail.assessments} />
          {detail.guardrail.blockedMessage && (
            <p>
              The guardrail’s message: <q>{detail.guardrail.blockedMessage}</q>
            </p>
          )}
        </div>
      )}
      {detail.verdict === 'blocked' && detail.stage === 'input' && <p className="guard-block">The model was not called for this arm.</p>}
      {detail.verdict === 'blocked' && detail.stage === 'output' && (
        <div className="guard-block">
          <p>
            The answer was replaced by: <q>{detail.blockMessage}</q>
          </p>
          {detail.blockedText !== null && (
            <>
              <button type="button" className="button button--small" aria-expanded={showBlocked} onClick={() => setShowBlocked(!showBlocked)}>
                {showBlocked ? 'Hide what was blocked' : 'Show what was blocked'}
              </button>
              {showBlocked && <pre data-testid="blocked-text">{detail.blockedText}</pre>}
            </>
          )}
        </div>
      )}
    </div>
  );
}

/**
 * In the column, above the answer, without opening a step: what each guard redacted (highlighted),
 * and, for an output guard that withheld the answer, the original behind "Show what was blocked".
 */
export function GuardNotices({ armLabel, steps }: { armLabel: string; steps: readonly StepTrace[] }) {
  const [shown, setShown] = useState<number | null>(null);
  const notices = steps.flatMap((step) => {
    const detail = guardDetailOf(step);
    if (!detail) return [];
    if (detail.verdict === 'redacted' && detail.redacted && detail.redacted.spans.length > 0) return [{ step, detail }];
    if (detail.verdict === 'blocked' && detail.stage === 'output' && detail.blockedText !== null) return [{ step, detail }];
    return [];
  });
  if (notices.length === 0) return null;
  return (
    <>
      {notices.map(({ step, detail }) =>
        detail.verdict === 'redacted' ? (
          <div key={step.index} className="guard-notice" data-testid="guard-notice">
            <span>
              <span className="guard-verdict guard-verdict--redacted">Redacted</span> {step.label}: {detail.reason}
            </span>
            <p className="guard-redacted" data-testid="column-redacted" aria-label={detail.stage === 'input' ? `What ${armLabel} sent the model` : `${armLabel} answer after redaction`}>
              <HighlightedText text={detail.redacted!.text} spans={detail.redacted!.spans} />
            </p>
          </div>
        ) : (
          <div key={step.index} className="guard-notice guard-block" data-testid="guard-notice">
            <span>
              <span className="guard-verdict guard-verdict--blocked">Blocked</span> The answer shown is the block message; what the model wrote is kept here.
            </span>
            <span>
              <button type="button" className="button button--small" aria-expanded={shown === step.index} onClick={() => setShown(shown === step.index ? null : step.index)}>
                {shown === step.index ? 'Hide what was blocked' : 'Show what was blocked'}
              </button>
            </span>
            {shown === step.index && (
              <pre data-testid="column-blocked-text" aria-label={`What ${step.label} blocked`}>
                {detail.blockedText}
              </pre>
            )}
          </div>
        ),
      )}
    </>
  );
}
