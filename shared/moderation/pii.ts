/**
 * Heuristic detectors of personally identifiable information (PII) in text. Pattern matching
 * with checksums where the format has one (Luhn for card numbers, ISO 7064 mod 97 for IBANs): they
 * find well-formed identifiers, not every way a person can be identified, and a number that merely
 * looks like an identifier is reported. Pure and deterministic; shared by metrics and the local
 * input/output moderation.
 */

export const PII_TYPES = ['email', 'phone', 'us-ssn', 'credit-card', 'iban', 'ipv4', 'ipv6', 'aws-access-key-id'] as const;
export type PiiType = (typeof PII_TYPES)[number];

/** What a person reads for each type, and the typed placeholder redaction puts in its place. */
export const PII_LABELS: Record<PiiType, { label: string; placeholder: string }> = {
  email: { label: 'Email address', placeholder: '[EMAIL]' },
  phone: { label: 'Phone number', placeholder: '[PHONE]' },
  'us-ssn': { label: 'US social security number', placeholder: '[SSN]' },
  'credit-card': { label: 'Payment card number', placeholder: '[CARD]' },
  iban: { label: 'IBAN', placeholder: '[IBAN]' },
  ipv4: { label: 'IP address (v4)', placeholder: '[IP]' },
  ipv6: { label: 'IP address (v6)', placeholder: '[IP]' },
  'aws-access-key-id': { label: 'AWS access key', placeholder: '[AWS_KEY]' },
};

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
  valid?: (match: string, text: string, start: number) => boolean;
  /** For a pattern that only finds an anchor: the whole match around it, or null. */
  scan?: (text: string, at: number) => { start: number; end: number } | null;
}

const LOCAL_CHAR = /[\p{L}\p{N}._%+-]/u;
const DOMAIN = /^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/u;

/**
 * An email address around the '@' at `at`: the local part scanned leftwards, the domain matched
 * rightwards (at least one dot and a 2+ letter top-level label). Scanning from each '@' keeps the
 * cost linear in the text (a regex starting at every letter is not).
 */
function emailAt(text: string, at: number): { start: number; end: number } | null {
  let start = at;
  while (start > 0 && start > at - 64 && LOCAL_CHAR.test(text[start - 1]!)) start -= 1;
  if (start === at) return null;
  const domain = DOMAIN.exec(text.slice(at + 1, at + 256));
  if (!domain) return null;
  return { start, end: at + 1 + domain[0].length };
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

const DATE_WORDS = /\b(?:date[ds]?|dated|on|born|dob|birth(?:day|date)?|expires?|expiry|exp|issued|valid|until|from|since|due)\b[\s:.,-]*$/i;
const SSN_WORDS = /\b(?:ssn|social security|soc\.? sec|ss#|taxpayer|tin)\b/i;

/**
 * An SSN-shaped run (ddd-dd-dddd) is taken for an SSN unless it was never issued (area 000, 666
 * or 900–999, group 00, serial 0000) or reads as a date: a date word just before it ("born",
 * "dated", "on", "expires"), a year-like last group (1900–2099) and no SSN word nearby.
 */
function ssnValid(match: string, text: string, start: number): boolean {
  const digits = digitsOf(match);
  const area = digits.slice(0, 3);
  if (area === '000' || area === '666' || area[0] === '9' || digits.slice(3, 5) === '00' || digits.slice(5) === '0000') return false;
  const before = text.slice(Math.max(0, start - 24), start);
  const year = Number(digits.slice(5));
  if (year >= 1900 && year <= 2099 && DATE_WORDS.test(before) && !SSN_WORDS.test(text.slice(Math.max(0, start - 40), start))) return false;
  return true;
}

/** IPv6: eight groups of 1–4 hex digits, or fewer around one "::"; a time like 12:30:45 is not one. */
export function ipv6Valid(match: string): boolean {
  const halves = match.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (!groups.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) return false;
  if (halves.length === 1) return groups.length === 8;
  return groups.length >= 2 && groups.length <= 7 && groups.some((group) => /\d/.test(group));
}

// Ordered by priority: when two matches overlap, the one from the earlier detector wins.
const DETECTORS: readonly Detector[] = [
  { type: 'email', pattern: /@/g, scan: emailAt },
  // AWS access key ids: a 4-letter prefix (AKIA long-term, ASIA temporary, …) and 16 more.
  { type: 'aws-access-key-id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z2-7]{16}\b/g },
  { type: 'iban', pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g, valid: ibanValid },
  // Card numbers: 4-4-4-4(-1..3) or Amex's 4-6-5 grouping with one consistent separator (space,
  // dash or none), or 13–19 plain digits.
  // A number split over two lines ("4111 1111\n1111 1111") still counts: a line break may stand for
  // one of the separators.
  {
    type: 'credit-card',
    pattern: /\b(?:\d{4}([ -]?)\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?|\d{4}[ -]?\r?\n?\d{4}[ -]?\r?\n?\d{4}[ -]?\r?\n?\d{4}|\d{4}([ -]?)\d{6}\2\d{5}|\d{13,19})\b/g,
    valid: luhnValid,
  },
  { type: 'us-ssn', pattern: /\b\d{3}-\d{2}-\d{4}\b/g, valid: ssnValid },
  { type: 'ipv4', pattern: /(?<!\d\.)\b(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\b(?!\.\d)/g },
  { type: 'ipv6', pattern: /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])/g, valid: ipv6Valid },
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
 * non-overlapping matches sorted by position; `types` limits the search to those types. Heuristic: expect misses (unusual formats, other
 * national identifiers, names, addresses) and occasional false alarms (a Luhn-valid order number).
 */
export function findPii(text: string, types?: readonly PiiType[]): PiiMatch[] {
  const found: PiiMatch[] = [];
  const overlaps = (start: number, end: number): boolean => found.some((m) => start < m.end && m.start < end);
  for (const detector of DETECTORS) {
    if (types && !types.includes(detector.type)) continue;
    // Cheap pre-checks: most messages have no '@' or digit run, so most regexes never run.
    if (detector.type === 'email' && !text.includes('@')) continue;
    if (detector.type === 'ipv6' && !text.includes(':')) continue;
    for (const hit of text.matchAll(detector.pattern)) {
      let start = hit.index;
      let end = start + hit[0].length;
      if (detector.scan) {
        const span = detector.scan(text, start);
        if (!span) continue;
        ({ start, end } = span);
      }
      const match = text.slice(start, end);
      if (match === '' || (detector.valid && !detector.valid(match, text, start))) continue;
      if (overlaps(start, end)) continue;
      found.push({ type: detector.type, match, start, end });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
