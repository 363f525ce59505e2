/**
 * Heuristic detectors of personally identifiable information (PII) in text. Pattern matching
 * with checksums where the format has one (Luhn for card numbers, ISO 7064 mod 97 for IBANs): they
 * find well-formed identifiers, not every way a person can be identified, and a number that merely
 * looks like an identifier is reported. Pure and deterministic; shared by metrics and the local
 * input/output moderation.
 */

export type PiiType = 'email' | 'phone' | 'us-ssn' | 'credit-card' | 'ipv4' | 'aws-access-key-id' | 'iban';

export interface PiiMatch {
  type: PiiType;
  /** The matched text, as it appears in the input. */
  match: string;
  /** UTF-16 offset of the first character (as `String.prototype.slice` counts). */
  start: number;
  /** UTF-16 offset one past the last character. */
  end: number;
}

interface Detector {
  type: PiiType;
  pattern: RegExp;
  /** Further check of a candidate (checksum, valid ranges). */
  valid?: (match: string) => boolean;
}

function digitsOf(text: string): string {
  return text.replace(/\D/g, '');
}

/** Luhn (mod 10) checksum over the digits of `text`. */
export function luhnValid(text: string): boolean {
  const digits = digitsOf(text);
  if (digits.length === 0) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** IBAN check (ISO 13616): length 15–34 and the mod-97 remainder of the rearranged number is 1. */
export function ibanValid(text: string): boolean {
  const iban = text.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const value = char >= 'A' ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

function ssnValid(match: string): boolean {
  const digits = digitsOf(match);
  const area = digits.slice(0, 3);
  // Never issued: area 000, 666 or 900–999, group 00, serial 0000.
  return area !== '000' && area !== '666' && area[0] !== '9' && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}

// Ordered by priority: when two matches overlap, the one from the earlier detector wins.
const DETECTORS: readonly Detector[] = [
  { type: 'email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  // AWS access key ids: a 4-letter prefix (AKIA long-term, ASIA temporary, …) and 16 more.
  { type: 'aws-access-key-id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z2-7]{16}\b/g },
  { type: 'iban', pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g, valid: ibanValid },
  // Card numbers: 4-4-4-4(-1..3) or Amex's 4-6-5 grouping with one consistent separator (space,
  // dash or none), or 13–19 plain digits.
  {
    type: 'credit-card',
    pattern: /\b(?:\d{4}([ -]?)\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{4}([ -]?)\d{6}\2\d{5}|\d{13,19})\b/g,
    valid: luhnValid,
  },
  { type: 'us-ssn', pattern: /\b\d{3}-\d{2}-\d{4}\b/g, valid: ssnValid },
  { type: 'ipv4', pattern: /(?<!\d\.)\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b(?!\.\d)/g },
  // North American numbers ((555) 123-4567, 555-123-4567, +1 555 123 4567) and international
  // numbers written with a leading + and 8–15 digits.
  {
    type: 'phone',
    pattern: /(?<![\w+])(?:(?:\+?1[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}|\+\d{1,3}(?:[ .-]?\d){7,14})(?!\w)/g,
  },
];

/**
 * Finds PII in `text`: email addresses, phone numbers, US social security numbers, payment card
 * numbers (Luhn-checked), IPv4 addresses, AWS access key ids and IBANs (mod-97-checked). Returns
 * non-overlapping matches sorted by position. Heuristic: expect misses (unusual formats, other
 * national identifiers, names, addresses) and occasional false alarms (a Luhn-valid order number).
 */
export function findPii(text: string): PiiMatch[] {
  const found: PiiMatch[] = [];
  const overlaps = (start: number, end: number): boolean => found.some((m) => start < m.end && m.start < end);
  for (const detector of DETECTORS) {
    for (const hit of text.matchAll(detector.pattern)) {
      const match = hit[0];
      const start = hit.index;
      const end = start + match.length;
      if (detector.valid && !detector.valid(match)) continue;
      if (overlaps(start, end)) continue;
      found.push({ type: detector.type, match, start, end });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
