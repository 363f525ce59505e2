/**
 * The RAG labs (issue 11): each validates as a shipped lab, names the bundled corpus, retrieves
 * by keyword (no embedding model needed), and opens offline: the corpus is added from
 * resources/corpus, the lab's retrieve steps point at it, and the lab's question finds passages.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import raw from '../../../resources/labs.json';
import { createHandlers } from '../../../electron/handlers';
import { createServices, type Services } from '../../../electron/services';
import { resolveArmRequest } from '../../../shared/arms/resolve';
import { guidedLabs, LAB_CORPORA, LAB_CORPUS, labProblems, labDraft, loadLabs, type Lab } from '../../../shared/labs';

const resources = join(__dirname, '..', '..', '..', 'resources');
const ragLabs = guidedLabs().filter((lab) => lab.corpus !== undefined);
const retrieveSteps = (lab: Pick<Lab, 'config'>) => lab.config.arms.flatMap((arm) => (arm.mode === 'baseline' ? [] : arm.steps.filter((step) => step.kind === 'retrieve')));

describe('RAG labs', () => {
  it('in-context, out-of-context, cross-context and the vague question, all valid shipped labs naming the bundled corpus', () => {
    expect(labProblems()).toEqual([]);
    expect(ragLabs.map((lab) => lab.id)).toEqual(['rag-grounded-answers', 'rag-out-of-context', 'rag-cross-context', 'rag-clarify-vague']);
    expect(raw.filter((lab) => JSON.stringify(lab).includes('"retrieve"')).map((lab) => lab.id)).toEqual(ragLabs.map((lab) => lab.id));
    for (const lab of ragLabs) {
      expect(lab.corpus, lab.id).toBe('anycompany-bank');
      const folder = join(resources, LAB_CORPORA[lab.corpus!].folder);
      expect(existsSync(folder), folder).toBe(true);
      const files = readdirSync(folder).filter((name) => /\.(md|txt|pdf)$/.test(name));
      expect(files.length, lab.id).toBeGreaterThanOrEqual(5);
      expect(files.some((name) => name.endsWith('.pdf'))).toBe(true);
      // Offline: keyword retrieval over the lab's corpus, in every grounded arm.
      expect(retrieveSteps(lab).length, lab.id).toBeGreaterThan(0);
      for (const step of retrieveSteps(lab)) expect(step).toMatchObject({ corpusId: LAB_CORPUS, mode: 'keyword' });
      expect(lab.config.arms[0]!.mode === 'baseline' && lab.config.arms[0]!.template).toBe('${question}');
    }
    const clarify = ragLabs.find((lab) => lab.id === 'rag-clarify-vague')!;
    const last = clarify.config.arms.at(-1)!;
    expect(last.mode === 'derived' && last.steps.map((s) => s.kind)).toEqual(['retrieve', 'clarify']);
  });

  it('refuses a lab whose retrieve step names a corpus of someone\'s profile, or that does not name its corpus', () => {
    const lab = JSON.parse(JSON.stringify(raw.find((entry) => entry.id === 'rag-grounded-answers'))) as Record<string, unknown> & { config: { arms: { steps?: { corpusId?: string }[] }[] } };
    lab.config.arms[1]!.steps![0]!.corpusId = '1b4e28ba-2fa1-11d2-883f-0016d3cca427';
    expect(loadLabs([lab]).problems).toEqual([expect.stringMatching(/config\.arms\.1\.steps\.0\.corpusId A lab's retrieve step searches the lab's corpus/)]);
    const unnamed = JSON.parse(JSON.stringify(raw.find((entry) => entry.id === 'rag-grounded-answers'))) as Record<string, unknown>;
    delete unnamed.corpus;
    expect(loadLabs([unnamed]).problems).toEqual([expect.stringMatching(/corpus A lab with retrieve steps names its corpus/)]);
  });

  describe('opened offline', () => {
    let dir: string;
    let services: Services;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'parallax-rag-labs-'));
      services = createServices({ dataDir: dir, version: '0.0.0-test', resourcesDir: resources });
      // Nothing listens here: any Bedrock call fails at once, as offline.
      services.settings.update({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1', maxAttempts: 1, timeoutMs: 2_000 });
    });
    afterAll(() => {
      services.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it.each(ragLabs.map((lab) => [lab.id, lab] as const))('%s: its corpus is added from the shipped files and its question finds passages', async (_id, lab) => {
      const corpus = await createHandlers(services, () => undefined)['rag:add-sample']({});
      expect(corpus).toMatchObject({ name: LAB_CORPORA[lab.corpus!].name, documentCount: readdirSync(join(resources, 'corpus')).filter((n) => /\.(md|txt|pdf)$/.test(n)).length });
      expect(services.rag.list()).toHaveLength(1); // opened again, the same corpus
      const draft = labDraft(lab, 'amazon.nova-lite-v1:0', corpus.id);
      const steps = retrieveSteps(draft);
      expect(steps.every((step) => step.corpusId === corpus.id)).toBe(true);
      draft.config.arms.forEach((_, index) => expect(resolveArmRequest(draft.config, index).steps.filter((s) => s.status === 'problem')).toEqual([]));
      // The shipped lab itself is untouched (the next trainee's draft starts from the placeholder).
      expect(retrieveSteps(lab).every((step) => step.corpusId === LAB_CORPUS)).toBe(true);
      const question = draft.config.variables.find((v) => v.name === 'question')!.value;
      const found = await services.rag.retrieve({ corpusId: corpus.id, question, mode: 'keyword', k: 5 });
      expect(found.chunks.length).toBeGreaterThan(0);
      if (lab.id === 'rag-grounded-answers') expect(found.chunks.slice(0, 3).map((c) => c.documentName)).toContain('03-fee-schedule.pdf');
    });
  });
});
