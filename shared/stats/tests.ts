/**
 * Significance tests for paired comparisons (issue 13): the exact binomial (sign) test and
 * McNemar's test for paired pass/fail outcomes (exact binomial below 25 discordant pairs, the
 * continuity-corrected chi-square above).
 */

/** log(n!) by summation (n here is a count of rows, at most a few thousand) with a cache. */
const logFactorials: number[] = [0];
function logFactorial(n: number): number {
  for (let i = logFactorials.length; i <= n; i += 1) logFactorials[i] = logFactorials[i - 1]! + Math.log(i);
  return logFactorials[n]!;
}

function binomialPmf(k: number, n: number, p: number): number {
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  return Math.exp(logFactorial(n) - logFactorial(k) - logFactorial(n - k) + k * Math.log(p) + (n - k) * Math.log(1 - p));
}

/** Two-sided exact binomial test of k successes in n trials against p = 0.5 (doubling the smaller tail). */
export function binomialTwoSided(k: number, n: number): number {
  if (n === 0) return 1;
  const small = Math.min(k, n - k);
  let tail = 0;
  for (let i = 0; i <= small; i += 1) tail += binomialPmf(i, n, 0.5);
  return Math.min(1, 2 * tail);
}

/** The complementary error function (Numerical Recipes' erfcc, fractional error < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Upper tail of the chi-square distribution with one degree of freedom. */
export function chiSquare1Upper(x: number): number {
  if (x <= 0) return 1;
  return erfc(Math.sqrt(x / 2));
}

export interface SignTest {
  /** Pairs where the mitigated arm is higher / lower than the baseline; ties are left out. */
  higher: number;
  lower: number;
  ties: number;
  pValue: number;
}

/** Sign test over paired differences (mitigated − baseline): exact two-sided binomial on the non-zero ones. */
export function signTest(differences: readonly number[]): SignTest {
  let higher = 0;
  let lower = 0;
  let ties = 0;
  for (const d of differences) {
    if (d > 0) higher += 1;
    else if (d < 0) lower += 1;
    else ties += 1;
  }
  return { higher, lower, ties, pValue: binomialTwoSided(higher, higher + lower) };
}

export interface McNemarTest {
  /** Baseline failed, mitigated passed. */
  gained: number;
  /** Baseline passed, mitigated failed. */
  lost: number;
  bothPassed: number;
  bothFailed: number;
  method: 'exact' | 'chi-square';
  /** The chi-square statistic (continuity corrected) when method is chi-square. */
  statistic: number | null;
  pValue: number;
}

/** Below this many discordant pairs the exact binomial is used. */
export const MCNEMAR_EXACT_BELOW = 25;

/** McNemar's test for paired pass/fail outcomes: [baselinePassed, mitigatedPassed] per row. */
export function mcnemarTest(pairs: readonly (readonly [boolean, boolean])[]): McNemarTest {
  let gained = 0;
  let lost = 0;
  let bothPassed = 0;
  let bothFailed = 0;
  for (const [base, mitigated] of pairs) {
    if (base && mitigated) bothPassed += 1;
    else if (!base && !mitigated) bothFailed += 1;
    else if (mitigated) gained += 1;
    else lost += 1;
  }
  const discordant = gained + lost;
  if (discordant < MCNEMAR_EXACT_BELOW) {
    return { gained, lost, bothPassed, bothFailed, method: 'exact', statistic: null, pValue: binomialTwoSided(gained, discordant) };
  }
  const statistic = (Math.abs(gained - lost) - 1) ** 2 / discordant;
  return { gained, lost, bothPassed, bothFailed, method: 'chi-square', statistic, pValue: chiSquare1Upper(statistic) };
}
