/**
 * Guided labs: ready-made comparisons from the responsible-AI workshop, shipped in
 * resources/labs.json. Each holds a complete configuration (variables and 2–3 arms) plus what a
 * trainee should look for and why the mitigation works.
 *
 * The file is validated entry by entry when this module loads. A malformed entry is left out
 * (and reported by labProblems()) instead of crashing the app; the unit tests require the list
 * of problems to be empty, so a bad entry fails the build's test step, not a trainee's session.
 */
import { z } from 'zod';
import raw from '../resources/labs.json';
import { ExperimentConfig, type ArmConfig, type InferenceSettings } from './domain';
import type { StepConfig } from './steps/registry';

/** Stands for "the user's default generation model" in a lab's arms; replaced when the lab opens. */
export const LAB_DEFAULT_MODEL = '@default-generation-model';

/**
 * Stands for "the lab's corpus" in a lab's retrieve steps; replaced by that corpus's id when the
 * lab opens, after the app has added it from the files shipped in resources/ (offline: keyword
 * retrieval needs no embedding model).
 */
export const LAB_CORPUS = '@lab-corpus';

/** The corpora a lab may name: the sample shipped in resources/<folder>. */
export const LAB_CORPORA = {
  'anycompany-bank': { name: 'AnyCompany Bank handbook', folder: 'corpus' },
} as const;
export type LabCorpusKey = keyof typeof LAB_CORPORA;
const LAB_CORPUS_KEYS = Object.keys(LAB_CORPORA) as [LabCorpusKey, ...LabCorpusKey[]];

function retrieveSteps(config: ExperimentConfig): { arm: number; step: number; corpusId: string }[] {
  return config.arms.flatMap((arm, armIndex) =>
    arm.mode === 'baseline' ? [] : arm.steps.flatMap((step, stepIndex) => (step.kind === 'retrieve' ? [{ arm: armIndex, step: stepIndex, corpusId: step.corpusId }] : [])),
  );
}

export const LAB_LEVELS = ['intro', 'intermediate'] as const;
export type LabLevel = (typeof LAB_LEVELS)[number];

export const LAB_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const Lab = z
  .object({
    id: z.string().regex(LAB_ID, 'Use lower-case words joined by hyphens'),
    title: z.string().trim().min(1).max(80),
    level: z.enum(LAB_LEVELS),
    summary: z.string().trim().min(1).max(300),
    /** What to compare between the columns, one observation per bullet. */
    lookFor: z.array(z.string().trim().min(1).max(300)).min(2).max(6),
    /** Why the mitigation works: a short paragraph a trainee can read. */
    whyItWorks: z.string().trim().min(1).max(1_500),
    /** Technique ids (resources/techniques.json) the arms use. */
    techniques: z.array(z.string().min(1)).min(1),
    config: ExperimentConfig.refine((c) => c.arms.length >= 2 && c.arms.length <= 4, 'A lab compares 2 to 4 arms'),
    /** The shipped corpus its retrieve steps search (they name it as LAB_CORPUS). */
    corpus: z.enum(LAB_CORPUS_KEYS).optional(),
  })
  .strict()
  .superRefine((lab, ctx) => {
    const steps = retrieveSteps(lab.config);
    for (const { arm, step, corpusId } of steps) {
      if (corpusId !== LAB_CORPUS) ctx.addIssue({ code: 'custom', path: ['config', 'arms', arm, 'steps', step, 'corpusId'], message: `A lab's retrieve step searches the lab's corpus: write "${LAB_CORPUS}"` });
    }
    if (steps.length > 0 && !lab.corpus) ctx.addIssue({ code: 'custom', path: ['corpus'], message: `A lab with retrieve steps names its corpus (${LAB_CORPUS_KEYS.join(', ')})` });
  });
export type Lab = z.output<typeof Lab>;

/** What other screens need to name a lab (History's lab filter, run details). */
export type LabSummary = Pick<Lab, 'id' | 'title' | 'level' | 'summary' | 'techniques'>;

export interface LabLoad {
  labs: Lab[];
  /** One line per rejected entry: its index or id and what is wrong. */
  problems: string[];
}

/** Validates a list of labs entry by entry; duplicate ids are rejected after the first. */
export function loadLabs(input: unknown): LabLoad {
  if (!Array.isArray(input)) return { labs: [], problems: ['labs.json must hold an array of labs'] };
  const labs: Lab[] = [];
  const problems: string[] = [];
  input.forEach((entry: unknown, index) => {
    const parsed = Lab.safeParse(entry);
    const name = typeof (entry as { id?: unknown } | null)?.id === 'string' ? `"${(entry as { id: string }).id}"` : `#${index}`;
    if (!parsed.success) {
      problems.push(`lab ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(entry)'} ${i.message}`).join('; ')}`);
    } else if (labs.some((lab) => lab.id === parsed.data.id)) {
      problems.push(`lab ${name}: the id is used by an earlier lab`);
    } else {
      labs.push(parsed.data);
    }
  });
  return { labs, problems };
}

let shipped: LabLoad | undefined;

/**
 * The shipped labs (resources/labs.json), validated on first use and kept: not when the module
 * loads, so the main process's start-up (which reaches this module through the handler table)
 * does not pay for checking every lab before the window's first request.
 */
function shippedLabs(): LabLoad {
  shipped ??= loadLabs(raw);
  return shipped;
}

/** The shipped labs that passed validation, in file order. */
export function guidedLabs(): readonly Lab[] {
  return shippedLabs().labs;
}

/** One line per shipped lab left out (what is wrong with it); empty when all are sound. */
export function labProblems(): readonly string[] {
  return shippedLabs().problems;
}

export function findLab(id: string | null | undefined): Lab | undefined {
  return id ? guidedLabs().find((lab) => lab.id === id) : undefined;
}

/** A lab's title, or undefined for an id that is not a shipped lab (e.g. one from an imported pack). */
export function labTitle(id: string | null | undefined): string | undefined {
  return findLab(id)?.title;
}

export function labSummaries(): LabSummary[] {
  return guidedLabs().map(({ id, title, level, summary, techniques }) => ({ id, title, level, summary, techniques: [...techniques] }));
}

/**
 * A fresh comparison draft for a lab, its placeholder models replaced by `modelId` and its
 * retrieve steps pointed at `corpusId` (the lab's corpus as added to this profile).
 */
export function labDraft(lab: Lab, modelId: string, corpusId?: string): { name: string; description: string; labId: string; config: ExperimentConfig } {
  const model = (id: string): string => (id === LAB_DEFAULT_MODEL ? modelId : id);
  const inference = (i: InferenceSettings): InferenceSettings => ({ ...i, ...(i.stopSequences ? { stopSequences: [...i.stopSequences] } : {}) });
  const step = (s: StepConfig): StepConfig => {
    if (s.kind === 'critique-revise') return { ...s, principles: s.principles.map((p) => ({ ...p })) };
    if (s.kind === 'retrieve' && s.corpusId === LAB_CORPUS && corpusId) return { ...s, corpusId };
    return { ...s };
  };
  const steps = (list: StepConfig[]): StepConfig[] => list.map(step);
  const arm = (a: ArmConfig): ArmConfig => {
    if (a.mode === 'derived') {
      const overrides = { ...a.overrides };
      if (overrides.modelId) overrides.modelId = model(overrides.modelId);
      if (overrides.inference) overrides.inference = inference(overrides.inference);
      return { ...a, steps: steps(a.steps), overrides };
    }
    const own = { ...a, modelId: model(a.modelId), inference: inference(a.inference), history: a.history.map((turn) => ({ ...turn })) };
    return own.mode === 'detached' ? { ...own, steps: steps(own.steps) } : own;
  };
  return {
    name: lab.title,
    description: lab.summary,
    labId: lab.id,
    config: { variables: lab.config.variables.map((v) => ({ ...v })), arms: lab.config.arms.map(arm) },
  };
}
