import './run.css';
import { memo, useEffect, useLayoutEffect, useRef, useState, type ReactNode, type Ref } from 'react';
import type { ArmResult } from '../../../shared/domain';
import { techniqueKeyLabel } from '../../../shared/arms/resolve';
import { armRef, shortModelName } from '../../../shared/labels';
import { Icon } from '../Icon';
import { formatCost, formatMs, formatStopReason, formatTokens, STATUS_LABEL } from './format';
import { CitedAnswer } from '../../features/rag/CitedAnswer';

export interface ArmColumnProps {
  arm: ArmResult;
  /** The first arm of a comparison is the baseline; the others are mitigations. */
  baseline: boolean;
  /** What the header says (issue 9): Baseline, Mitigated (follows the baseline) or Variant (detached). */
  role?: 'Baseline' | 'Mitigated' | 'Variant';
  /** A friendly technique name (falls back to the id). */
  techniqueName?: string;
  readOnly?: boolean;
  compact?: boolean;
  /** When the arm started streaming (renderer clock), to show a live timer. */
  liveStartedAt?: number | undefined;
  /** Keep the view pinned to the newest text while streaming. */
  follow?: boolean;
  onRerun?(): void;
  bodyRef?: Ref<HTMLDivElement>;
  onBodyScroll?(element: HTMLDivElement): void;
  /** A slot under the output, e.g. a score card. */
  footer?: ReactNode;
  /** The arm's step timeline (components/steps), shown above its answer. */
  steps?: ReactNode;
}

/** The arm's total time, ticking while it streams: only this cell re-renders ten times a second. */
function TotalTime(props: { startedAt: number | undefined; streaming: boolean; totalMs: number | null }) {
  const live = props.streaming && props.startedAt !== undefined;
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!live) return;
    setNow(performance.now());
    const timer = window.setInterval(() => setNow(performance.now()), 100);
    return () => window.clearInterval(timer);
  }, [live]);
  return <>{formatMs(live ? now - props.startedAt! : props.totalMs)}</>;
}

function CopyButton(props: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.text);
    } catch {
      const area = document.createElement('textarea');
      area.value = props.text;
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(true);
    window.setTimeout(() => setCopied(false), 1200);
  };
  return (
    <button type="button" className="icon-button" aria-label={props.label} title={copied ? 'Copied' : 'Copy output'} onClick={() => void copy()}>
      <Icon name={copied ? 'check' : 'copy'} size={16} />
    </button>
  );
}

function PromptSent({ arm }: { arm: ArmResult }) {
  const { request } = arm;
  return (
    <div className="prompt-sent" aria-label={`Prompt sent by ${arm.label}`} role="region">
      {request.system && (
        <div className="prompt-sent__turn prompt-sent__turn--system">
          <span className="prompt-sent__role">System</span>
          <pre>{request.system}</pre>
        </div>
      )}
      {request.messages.map((turn, index) => (
        <div key={index} className={`prompt-sent__turn prompt-sent__turn--${turn.role}`}>
          <span className="prompt-sent__role">{turn.role === 'user' ? 'User' : 'Assistant'}</span>
          <pre>{turn.text}</pre>
        </div>
      ))}
      <p className="prompt-sent__inference muted">
        {[
          request.inference.temperature !== undefined && `temperature ${request.inference.temperature}`,
          request.inference.topP !== undefined && `top P ${request.inference.topP}`,
          request.inference.maxTokens !== undefined && `max tokens ${request.inference.maxTokens}`,
          request.inference.stopSequences?.length && `stop ${request.inference.stopSequences.map((s) => JSON.stringify(s)).join(', ')}`,
        ]
          .filter(Boolean)
          .join(' · ') || 'Model default inference settings'}
      </p>
    </div>
  );
}

/** One arm of a run: its identity, live status, metrics and output. */
export const ArmColumn = memo(function ArmColumn(props: ArmColumnProps) {
  const { arm } = props;
  const streaming = arm.status === 'streaming' || arm.status === 'pending';
  const [showPrompt, setShowPrompt] = useState(false);
  const bodyRef = useRef<HTMLDivElement | null>(null);

  useLayoutEffect(() => {
    const body = bodyRef.current;
    if (!props.follow || !streaming || !body) return;
    body.scrollTop = body.scrollHeight;
  }, [arm.text, props.follow, streaming]);

  const roleName = props.role ?? (props.baseline ? 'Baseline' : 'Mitigated');
  const role = roleName.toLowerCase();
  const setBody = (element: HTMLDivElement | null) => {
    bodyRef.current = element;
    const ref = props.bodyRef;
    if (typeof ref === 'function') ref(element);
    else if (ref) (ref as { current: HTMLDivElement | null }).current = element;
  };

  return (
    <article className={`arm arm--${role} arm--${arm.status}`} aria-label={`${arm.label} output`} data-status={arm.status} data-arm-index={arm.index}>
      <header className="arm__header">
        <div className="arm__title-row">
          <span className={`arm__role arm__role--${role}`}>{roleName}</span>
          {arm.index > 0 && <span className="arm__number">{armRef(arm.index)} ·</span>}
          <h3 className="arm__title">{arm.label}</h3>
          <span className={`status-pill status-pill--${arm.status}`} role="status" aria-label={`${arm.label} status`}>
            {streaming && <span className="status-pill__dot" aria-hidden="true" />}
            {STATUS_LABEL[arm.status]}
          </span>
        </div>
        <div className="arm__subtitle">
          <span className="arm__technique">{props.techniqueName ?? techniqueKeyLabel(arm.technique)}</span>
          <span className="arm__model" title={arm.modelId}>
            {shortModelName(arm.modelId)}
          </span>
        </div>
        <dl className="arm__metrics" aria-label={`${arm.label} metrics`}>
          <div>
            <dt>First token</dt>
            <dd data-metric="ttft">{formatMs(arm.metrics.ttftMs)}</dd>
          </div>
          <div>
            <dt>Total</dt>
            <dd data-metric="total">
              <TotalTime startedAt={props.liveStartedAt} streaming={streaming} totalMs={arm.metrics.totalMs} />
            </dd>
          </div>
          <div>
            <dt>Tokens in / out</dt>
            <dd data-metric="tokens">
              {formatTokens(arm.metrics.inputTokens)} / {formatTokens(arm.metrics.outputTokens)}
            </dd>
          </div>
          <div>
            <dt>Cost</dt>
            <dd data-metric="cost" title="Estimated from the model's list price">
              {formatCost(arm.metrics.costUsd)}
            </dd>
          </div>
          <div>
            <dt>Stop</dt>
            <dd data-metric="stop">{formatStopReason(arm.stopReason)}</dd>
          </div>
        </dl>
        {streaming && <div className="arm__progress" aria-hidden="true" />}
      </header>

      {arm.error && (
        <div className="arm__error" role="alert">
          <Icon name="warning" size={16} />
          <div>
            <strong>{arm.error.message}</strong>
            {arm.error.details && (
              <details>
                <summary>Details</summary>
                <pre>{arm.error.details}</pre>
              </details>
            )}
          </div>
        </div>
      )}

      {props.steps}

      <div
        ref={setBody}
        className={`arm__body ${props.compact ? 'arm__body--compact' : ''}`}
        onScroll={props.onBodyScroll ? (event) => props.onBodyScroll!(event.currentTarget) : undefined}
        tabIndex={0}
        aria-label={`${arm.label} text`}
        aria-busy={streaming}
      >
        {arm.text ? (
          <CitedAnswer arm={arm} streaming={streaming} className={streaming ? 'markdown--streaming' : ''} />
        ) : (
          <p className="arm__placeholder muted">
            {arm.status === 'pending' ? 'Sending the request…' : arm.status === 'streaming' ? 'Waiting for the first token…' : 'No output.'}
          </p>
        )}
      </div>

      {showPrompt && <PromptSent arm={arm} />}

      <footer className="arm__actions">
        <button type="button" className="button button--small" aria-expanded={showPrompt} onClick={() => setShowPrompt((v) => !v)}>
          <Icon name="eye" size={14} /> {showPrompt ? 'Hide prompt' : 'Prompt sent'}
        </button>
        <span className="arm__actions-spacer" />
        <CopyButton text={arm.text} label={`Copy ${arm.label} output`} />
        {!props.readOnly && props.onRerun && (
          <button
            type="button"
            className="icon-button"
            aria-label={`Re-run ${arm.label}`}
            title="Re-run this arm alone"
            disabled={streaming}
            onClick={props.onRerun}
          >
            <Icon name="rerun" size={16} />
          </button>
        )}
      </footer>
      {props.footer && <div className="arm__footer">{props.footer}</div>}
    </article>
  );
});
