/**
 * The guard labs (issue 10), written in the derived-arm format (shared/arms/model.ts): each arm
 * parses as an ArmSpec, the first is the baseline, every guarded arm's steps are guard steps,
 * and every `${name}` the baseline uses is defined; all of them load as shipped labs.
 */
import { describe, expect, it } from 'vitest';
import { guidedLabs } from '../../../shared/labs';
import raw from '../../../resources/labs.json';
import { ArmSpec } from '../../../shared/arms/model';
import { isGuardStep } from '../../../shared/steps/registry';

describe('guard labs', () => {
  it('prompt safety, PII redaction, a toxicity threshold and a guardrail arm, each valid in the arm model', () => {
    const guards = raw.filter((lab) => lab.id.startsWith('guard-'));
    expect(guards.map((lab) => lab.id)).toEqual(['guard-prompt-safety', 'guard-pii-redaction', 'guard-toxicity-threshold', 'guard-bedrock-guardrail']);
    expect(guidedLabs().filter((lab) => lab.id.startsWith('guard-'))).toHaveLength(4);
    for (const lab of guards) {
      const arms = lab.config.arms.map((arm) => ArmSpec.parse(arm));
      expect(arms[0]!.mode, lab.id).toBe('baseline');
      const names = new Set(lab.config.variables.map((v) => v.name));
      const template = arms[0]!.mode === 'baseline' ? arms[0]!.template : '';
      for (const [, name] of template.matchAll(/\$\{(\w+)\}/g)) expect(names.has(name!), `${lab.id} defines ${name}`).toBe(true);
      for (const arm of arms.slice(1)) {
        expect(arm.mode, lab.id).toBe('derived');
        if (arm.mode === 'derived') expect(arm.steps.length > 0 && arm.steps.every(isGuardStep), lab.id).toBe(true);
      }
      expect(lab.lookFor.length).toBeGreaterThanOrEqual(2);
    }
    const pii = guards.find((lab) => lab.id === 'guard-pii-redaction')!.config.variables[0]!.value;
    expect(pii).toMatch(/@example\.com/);
    expect(pii).toMatch(/4111 1111 1111 1111/);
    expect(pii).toMatch(/\(415\) 555-0134/);
    expect(JSON.stringify(guards.find((lab) => lab.id === 'guard-bedrock-guardrail'))).toContain('Create guardrail');
  });
});
