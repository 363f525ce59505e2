/**
 * Step traces, answer versions and streamed text chunks (tables from migration 0009). Rows read
 * back are parsed with the shared zod schemas, never cast; a row that does not parse is shown
 * as a failed step that says so instead of breaking the whole run.
 */
import { z } from 'zod';
import { AnswerVersion, StepTrace } from '../../../shared/steps/trace';
import type { Db } from './db';

const StepRow = z.object({
  arm_index: z.number().int(),
  step_index: z.number().int(),
  kind: z.string(),
  label: z.string(),
  status: z.string(),
  started_at: z.number().nullable(),
  total_ms: z.number().nullable(),
  input_tokens: z.number().nullable(),
  output_tokens: z.number().nullable(),
  cost_usd: z.number().nullable(),
  summary: z.string().nullable(),
  detail: z.string().nullable(),
  error: z.string().nullable(),
});
type StepRow = z.infer<typeof StepRow>;

const VersionRow = z.object({ arm_index: z.number().int(), step_index: z.number().int(), reason: z.string(), text: z.string() });
const ArmIndexOf = z.object({ arm_index: z.number() });

function json(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function traceFromRow(row: unknown): StepTrace {
  const parsedRow = StepRow.safeParse(row);
  if (!parsedRow.success) throw new Error(`arm_steps row does not parse: ${parsedRow.error.message}`);
  const r: StepRow = parsedRow.data;
  const candidate = {
    index: r.step_index,
    kind: r.kind,
    label: r.label,
    status: r.status,
    startedAt: r.started_at,
    totalMs: r.total_ms,
    inputTokens: r.input_tokens,
    outputTokens: r.output_tokens,
    costUsd: r.cost_usd,
    summary: r.summary,
    detail: json(r.detail) ?? null,
    error: json(r.error),
  };
  const parsed = StepTrace.safeParse(candidate);
  if (parsed.success) return parsed.data;
  return {
    index: r.step_index,
    kind: r.kind,
    label: r.label || r.kind,
    status: 'failed',
    startedAt: null,
    totalMs: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    summary: null,
    detail: null,
    error: { code: 'internal', message: 'This step’s saved trace could not be read; it may come from a newer version of Parallax.' },
  };
}

/** The text a step adds to the run's search document: every critique it wrote. */
const CritiqueDetail = z.object({ principles: z.array(z.object({ principle: z.string(), critique: z.string() }).passthrough()) });
export function critiqueTextOf(trace: Pick<StepTrace, 'kind' | 'detail'>): string {
  if (trace.kind !== 'critique-revise') return '';
  const parsed = CritiqueDetail.safeParse(trace.detail);
  if (!parsed.success) return '';
  return parsed.data.principles
    .filter((p) => p.critique.trim() !== '')
    .map((p) => `${p.principle}: ${p.critique}`)
    .join('\n');
}

export function createStepRepo(db: Db) {
  const insertStep = db.prepare(
    `INSERT INTO arm_steps (run_id, arm_index, step_index, kind, label, status, started_at, total_ms, input_tokens, output_tokens,
       cost_usd, summary, detail, error, critique)
     VALUES (@runId, @armIndex, @index, @kind, @label, @status, @startedAt, @totalMs, @inputTokens, @outputTokens, @costUsd, @summary, @detail, @error, @critique)`,
  );
  const updateStep = db.prepare(
    `UPDATE arm_steps SET kind = @kind, label = @label, status = @status, started_at = @startedAt, total_ms = @totalMs,
       input_tokens = @inputTokens, output_tokens = @outputTokens, cost_usd = @costUsd, summary = @summary, detail = @detail,
       error = @error, critique = @critique
     WHERE run_id = @runId AND arm_index = @armIndex AND step_index = @index`,
  );
  const deleteArmSteps = db.prepare('DELETE FROM arm_steps WHERE run_id = ? AND arm_index = ?');
  const deleteArmVersions = db.prepare('DELETE FROM arm_versions WHERE run_id = ? AND arm_index = ?');
  const insertVersion = db.prepare(
    'INSERT OR REPLACE INTO arm_versions (run_id, arm_index, position, step_index, reason, text) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const selectSteps = db.prepare<[string]>('SELECT * FROM arm_steps WHERE run_id = ? ORDER BY arm_index, step_index');
  const selectVersions = db.prepare<[string]>('SELECT arm_index, step_index, reason, text FROM arm_versions WHERE run_id = ? ORDER BY arm_index, position');
  const interruptOpen = db.prepare(
    `UPDATE arm_steps SET status = 'interrupted', summary = coalesce(summary, 'Parallax closed before this step finished')
     WHERE status IN ('pending', 'running', 'waiting') AND run_id IN (SELECT id FROM runs WHERE status = 'running')`,
  );
  // streamed text: appended while streaming, folded into arm_outputs.text when the arm settles
  const insertChunk = db.prepare('INSERT INTO arm_text_chunks (run_id, arm_index, seq, text) VALUES (?, ?, ?, ?)');
  const selectChunks = db.prepare<[string, number]>('SELECT text FROM arm_text_chunks WHERE run_id = ? AND arm_index = ? ORDER BY seq');
  const deleteChunks = db.prepare('DELETE FROM arm_text_chunks WHERE run_id = ? AND arm_index = ?');
  const foldChunks = db.prepare(
    `UPDATE arm_outputs SET text = text || coalesce((SELECT group_concat(c.text, '') FROM (
       SELECT text FROM arm_text_chunks WHERE run_id = @runId AND arm_index = @armIndex ORDER BY seq) c), '')
     WHERE run_id = @runId AND arm_index = @armIndex`,
  );
  const clearStoppedBy = db.prepare('UPDATE arm_outputs SET stopped_by = NULL WHERE run_id = ? AND arm_index = ?');
  const selectGuardTrace = db.prepare<[string]>("SELECT 1 FROM arm_steps WHERE run_id = ? AND kind LIKE 'guard-%' LIMIT 1");
  const openChunkArms = db.prepare<[], { run_id: string; arm_index: number }>('SELECT DISTINCT run_id, arm_index FROM arm_text_chunks');

  const values = (runId: string, armIndex: number, trace: StepTrace) => ({
    runId,
    armIndex,
    index: trace.index,
    kind: trace.kind,
    label: trace.label,
    status: trace.status,
    startedAt: trace.startedAt === null ? null : Math.round(trace.startedAt),
    totalMs: trace.totalMs,
    inputTokens: trace.inputTokens,
    outputTokens: trace.outputTokens,
    costUsd: trace.costUsd,
    summary: trace.summary,
    detail: trace.detail === null || trace.detail === undefined ? null : JSON.stringify(trace.detail),
    error: trace.error === null ? null : JSON.stringify(trace.error),
    critique: critiqueTextOf(trace),
  });

  const repo = {
    /** Replaces an arm's steps with its plan (all pending), dropping an earlier attempt's. */
    begin: db.transaction((runId: string, armIndex: number, traces: readonly StepTrace[]) => {
      deleteArmSteps.run(runId, armIndex);
      deleteArmVersions.run(runId, armIndex);
      for (const trace of traces) insertStep.run(values(runId, armIndex, trace));
    }),

    /** Writes one step's trace as it stands now. */
    save(runId: string, armIndex: number, trace: StepTrace): void {
      const row = values(runId, armIndex, trace);
      if (updateStep.run(row).changes === 0) insertStep.run(row);
    },

    /** Writes the answer's versions (the draft and each revision) once a step revised it. */
    saveVersions: db.transaction((runId: string, armIndex: number, versions: readonly AnswerVersion[]) => {
      deleteArmVersions.run(runId, armIndex);
      versions.forEach((v, position) => insertVersion.run(runId, armIndex, position, v.stepIndex, v.reason, v.text));
    }),

    /** Every step and version of a run's arms, by arm index. */
    forRun(runId: string): Map<number, { steps: StepTrace[]; versions: AnswerVersion[] }> {
      const out = new Map<number, { steps: StepTrace[]; versions: AnswerVersion[] }>();
      const of = (armIndex: number) => {
        let entry = out.get(armIndex);
        if (!entry) out.set(armIndex, (entry = { steps: [], versions: [] }));
        return entry;
      };
      for (const row of selectSteps.all(runId)) {
        const armIndex = ArmIndexOf.parse(row).arm_index;
        of(armIndex).steps.push(traceFromRow(row));
      }
      for (const row of selectVersions.all(runId)) {
        const v = VersionRow.parse(row);
        of(v.arm_index).versions.push(AnswerVersion.parse({ stepIndex: v.step_index, reason: v.reason, text: v.text }));
      }
      return out;
    },

    /** Whether any arm of the run traced a guard step (its verdicts become scores when the run ends). */
    hasGuardTraces(runId: string): boolean {
      return selectGuardTrace.get(runId) !== undefined;
    },

    clearArm: db.transaction((runId: string, armIndex: number) => {
      deleteArmSteps.run(runId, armIndex);
      deleteArmVersions.run(runId, armIndex);
      deleteChunks.run(runId, armIndex);
      clearStoppedBy.run(runId, armIndex);
    }),

    // ---- streamed text ----

    appendText(runId: string, armIndex: number, seq: number, text: string): void {
      insertChunk.run(runId, armIndex, seq, text);
    },

    /** Several arms' new text in one transaction (the runner's periodic flush). */
    appendTexts: db.transaction((chunks: { runId: string; armIndex: number; seq: number; text: string }[]) => {
      for (const c of chunks) insertChunk.run(c.runId, c.armIndex, c.seq, c.text);
    }),

    /** The text streamed since the last fold ('' when none). */
    pendingText(runId: string, armIndex: number): string {
      return (selectChunks.all(runId, armIndex) as { text: string }[]).map((row) => row.text).join('');
    },

    /** Moves the streamed chunks into arm_outputs.text (once, when the arm settles). */
    foldText: db.transaction((runId: string, armIndex: number) => {
      foldChunks.run({ runId, armIndex });
      deleteChunks.run(runId, armIndex);
    }),

    dropText(runId: string, armIndex: number): void {
      deleteChunks.run(runId, armIndex);
    },

    /** At start-up: open steps of unfinished runs are interrupted, streamed text is kept. */
    markInterrupted: db.transaction((): void => {
      interruptOpen.run();
      for (const { run_id, arm_index } of openChunkArms.all()) {
        foldChunks.run({ runId: run_id, armIndex: arm_index });
        deleteChunks.run(run_id, arm_index);
      }
    }),
  };
  return repo;
}

export type StepRepo = ReturnType<typeof createStepRepo>;
