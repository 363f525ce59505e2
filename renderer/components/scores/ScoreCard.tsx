import './scores.css';
import { useEffect } from 'react';
import type { ArmResult, RunDetail } from '../../../shared/domain';
import { formatDiff, scoreDelta, type DeltaDirection } from '../../../shared/scores/delta';
import { isJudgeId, JUDGE_IDS, JUDGES, TOXICITY_CATEGORIES, type JudgeDefinition } from '../../../shared/scores/judges';
import { SCORABLE_METRIC_IDS } from '../../../shared/scores/metrics';
import { isRobustnessDetails, PERTURBATION_LABELS, ROBUSTNESS_SCORER } from '../../../shared/scores/robustness';
import { scorerInfo } from '../../../shared/scores/scorers';
import type { Score } from '../../../shared/scores/types';
import { useAppStore } from '../../stores';
import { ArmRatingControls } from './RatingControls';

/** Scales whose value does not already read as a verdict get a Pass/Fail badge. */
const SHOWS_BADGE: ReadonlySet<JudgeDefinition['scale']> = new Set(['rating-1-5', 'fraction', 'probability']);
const ORDER: readonly string[] = [...JUDGE_IDS, ...SCORABLE_METRIC_IDS, ROBUSTNESS_SCORER];
const DIRECTION_TEXT: Record<DeltaDirection, string> = {
  better: 'better than the baseline',
  worse: 'worse than the baseline',
  same: 'same as the baseline',
  neutral: 'changed from the baseline (no better direction)',
  unknown: '',
};

function order(score: Score): number {
  const index = ORDER.indexOf(score.scorer);
  return index === -1 ? ORDER.length : index;
}

function GuidelineDetails({ details }: { details: unknown }) {
  const results = (details as { results?: { guideline: string; passed: boolean; feedback: string }[] } | null)?.results;
  if (!Array.isArray(results)) return null;
  return (
    <ul className="score-card__guidelines">
      {results.map((result, index) => (
        <li key={index} data-passed={result.passed}>
          <span className="score-card__mark" aria-hidden="true">{result.passed ? '✓' : '✗'}</span>
          <span>
            <strong>{result.guideline}</strong>
            {result.feedback && <> — {result.feedback}</>}
          </span>
        </li>
      ))}
    </ul>
  );
}

function ToxicityDetails({ details }: { details: unknown }) {
  const categories = (details as { categories?: Record<string, number> } | null)?.categories;
  if (!categories || typeof categories !== 'object' || Array.isArray(categories)) return null;
  return (
    <dl className="score-card__categories">
      {TOXICITY_CATEGORIES.map((category) => (
        <div key={category}>
          <dt>{category.replace('_', ' ')}</dt>
          <dd>{(categories[category] ?? 0).toFixed(2)}</dd>
        </div>
      ))}
    </dl>
  );
}

function figure(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

/** Each perturbed input next to the output it got, with its base score and word error rate. */
function RobustnessPerturbations({ details }: { details: unknown }) {
  if (!isRobustnessDetails(details) || !Array.isArray(details.perturbedInputs)) return null;
  const outputs = Array.isArray(details.perturbedOutputs) ? details.perturbedOutputs : [];
  return (
    <details className="score-card__prompt score-card__perturbations">
      <summary>
        {details.perturbedInputs.length} perturbed inputs ({PERTURBATION_LABELS[details.kind] ?? details.kind}, seed {details.seed})
      </summary>
      <p className="muted">Original input</p>
      <pre>{details.originalInput}</pre>
      <ol>
        {details.perturbedInputs.map((input, index) => (
          <li key={index}>
            <pre>{input}</pre>
            {outputs[index] == null ? (
              <p className="muted">No output.</p>
            ) : (
              <>
                <pre>{outputs[index]}</pre>
                {details.perScore?.[index] !== undefined && details.perWer?.[index] !== undefined && (
                  <p className="muted">
                    Score {figure(details.perScore[index])} (original {figure(details.originalScore)}) · WER {figure(details.perWer[index])}
                  </p>
                )}
              </>
            )}
          </li>
        ))}
      </ol>
    </details>
  );
}

function ScoreRow({ score, baseline, armLabel }: { score: Score; baseline: Score | undefined; armLabel: string }) {
  const info = scorerInfo(score.scorer);
  const comparable = baseline !== undefined && (!info.basis || info.basis(baseline.details) === info.basis(score.details));
  const showDelta = baseline !== undefined && comparable && score.scorer !== 'pairwise' && score.error === null;
  const delta = showDelta ? scoreDelta(baseline.value, score.value, info.higherIsBetter) : null;
  const hasMore = Boolean(score.feedback || score.prompt || score.error);
  const summary = (
    <>
      <span className="score-card__label" title={info.description}>
        {info.label}
      </span>
      {score.error !== null ? (
        <span className="score-card__value score-card__value--error">Error</span>
      ) : (
        <span className="score-card__value">{score.value === null ? '—' : info.format(score.value, score.details)}</span>
      )}
      {score.passed !== null && score.error === null && isJudgeId(score.scorer) && SHOWS_BADGE.has(JUDGES[score.scorer].scale) && (
        <span className={`score-badge score-badge--${score.passed ? 'pass' : 'fail'}`}>{score.passed ? 'Pass' : 'Fail'}</span>
      )}
      {score.stale && (
        <span className="score-badge score-badge--stale" title="This output was generated again after it was scored. Score the run again.">
          Stale
        </span>
      )}
      {delta && delta.direction !== 'unknown' && (
        <span
          className={`score-delta score-delta--${delta.direction}`}
          data-direction={delta.direction}
          title={`${armLabel}: ${DIRECTION_TEXT[delta.direction]}`}
          aria-label={`${delta.diff === null ? '' : formatDiff(delta.diff)} ${DIRECTION_TEXT[delta.direction]}`}
        >
          {delta.direction === 'same' ? '=' : formatDiff(delta.diff ?? 0)}
        </span>
      )}
    </>
  );
  if (!hasMore) {
    return (
      <li className="score-card__row" data-scorer={score.scorer}>
        <div className="score-card__summary score-card__summary--static">{summary}</div>
      </li>
    );
  }
  return (
    <li className="score-card__row" data-scorer={score.scorer}>
      <details>
        <summary className="score-card__summary">{summary}</summary>
        <div className="score-card__more">
          {score.error !== null && <p className="score-card__error">{score.error}</p>}
          {score.feedback && <p className="score-card__feedback">{score.feedback}</p>}
          {score.scorer === 'guidelines' && <GuidelineDetails details={score.details} />}
          {score.scorer === 'toxicity' && <ToxicityDetails details={score.details} />}
          {score.scorer === ROBUSTNESS_SCORER && <RobustnessPerturbations details={score.details} />}
          {score.prompt && (
            <details className="score-card__prompt">
              <summary>Prompt sent to {score.modelId ?? 'the judge'}</summary>
              <pre>{score.prompt}</pre>
            </details>
          )}
        </div>
      </details>
    </li>
  );
}

/** The scores and human ratings of one arm, with deltas against the baseline for mitigated arms. */
export function ScoreCard({ run, arm }: { run: RunDetail; arm: ArmResult }) {
  const watchScores = useAppStore((s) => s.watchScores);
  const runScores = useAppStore((s) => s.scoresByRun[run.id]);
  useEffect(() => {
    watchScores(run.id);
  }, [run.id, watchScores]);

  const finished = arm.status !== 'pending' && arm.status !== 'streaming';
  if (!finished) return null;
  const scores = (runScores?.scores ?? []).filter((score) => score.armIndex === arm.index).sort((a, b) => order(a) - order(b));
  const baselineIndex = run.arms[0]?.index ?? 0;
  const baselineOf = (score: Score) =>
    arm.index === baselineIndex ? undefined : runScores?.scores.find((s) => s.armIndex === baselineIndex && s.scorer === score.scorer && s.otherArmIndex === null && s.error === null);

  return (
    <section className="score-card" aria-label={`Scores for ${arm.label}`}>
      <ArmRatingControls runId={run.id} arm={arm} rating={runScores?.ratings.arms.find((r) => r.armIndex === arm.index)} />
      {scores.length > 0 ? (
        <ul className="score-card__list">
          {scores.map((score) => (
            <ScoreRow key={`${score.scorer}:${score.otherArmIndex ?? ''}`} score={score} baseline={baselineOf(score)} armLabel={arm.label} />
          ))}
        </ul>
      ) : (
        runScores && <p className="score-card__empty muted">No scores yet.</p>
      )}
    </section>
  );
}
