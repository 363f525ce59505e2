import { describe, expect, it } from 'vitest';
import { findPii, ibanValid, luhnValid } from '../../../shared/metrics';
import { findPii as findPiiModeration } from '../../../shared/moderation/pii';

function types(text: string): string[] {
  return findPii(text).map((m) => `${m.type}:${m.match}`);
}

describe('findPii (heuristic)', () => {
  it('is the moderation detector re-exported from metrics', () => {
    expect(findPii).toBe(findPiiModeration);
  });

  it('reports type, match and UTF-16 offsets: "Mail jane.doe@example.com now" → email at 5–25', () => {
    const text = 'Mail jane.doe@example.com now';
    expect(findPii(text)).toEqual([{ type: 'email', match: 'jane.doe@example.com', start: 5, end: 25 }]);
    expect(text.slice(5, 25)).toBe('jane.doe@example.com');
  });

  it('finds every kind, sorted by position, without overlaps', () => {
    const text =
      'Mail jane.doe@example.com or call (555) 123-4567 / +44 20 7946 0958. SSN 123-45-6789, card 4111 1111 1111 1111, ' +
      'ip 192.168.0.1, key AKIAIOSFODNN7EXAMPLE, iban DE89 3704 0044 0532 0130 00.';
    expect(types(text)).toEqual([
      'email:jane.doe@example.com',
      'phone:(555) 123-4567',
      'phone:+44 20 7946 0958',
      'us-ssn:123-45-6789',
      'credit-card:4111 1111 1111 1111',
      'ipv4:192.168.0.1',
      'aws-access-key-id:AKIAIOSFODNN7EXAMPLE',
      'iban:DE89 3704 0044 0532 0130 00',
    ]);
  });

  it('card numbers need a valid Luhn checksum: 4111-1111-1111-1111 found, 4111-1111-1111-1112 not', () => {
    expect(types('card 4111-1111-1111-1111')).toEqual(['credit-card:4111-1111-1111-1111']);
    expect(types('card 4111-1111-1111-1112')).toEqual([]);
    expect(types('amex 3782 822463 10005 and plain 5555555555554444')).toEqual(['credit-card:3782 822463 10005', 'credit-card:5555555555554444']);
  });

  it('SSNs never issued (area 000/666/9xx, group 00, serial 0000) are ignored', () => {
    expect(types('000-12-3456 666-12-3456 900-12-3456 123-00-4567 123-45-0000')).toEqual([]);
  });

  it('IPv4 octets must be 0–255: 256.1.1.1 and version 1.2.3.4.5 are not addresses; 10.0.0.255 is', () => {
    expect(types('256.1.1.1 and 1.2.3.4.5 and 10.0.0.255')).toEqual(['ipv4:10.0.0.255']);
  });

  it('IBAN needs the mod-97 check: GB82 WEST 1234 5698 7654 32 found, GB82 WEST 1234 5698 7654 33 not', () => {
    expect(types('GB82 WEST 1234 5698 7654 32')).toEqual(['iban:GB82 WEST 1234 5698 7654 32']);
    expect(types('GB82 WEST 1234 5698 7654 33')).toEqual([]);
  });

  it('phone numbers in common formats; short numbers and years are not phones', () => {
    expect(types('555-123-4567, 555.123.4567, +1 (555) 123-4567')).toEqual([
      'phone:555-123-4567',
      'phone:555.123.4567',
      'phone:+1 (555) 123-4567',
    ]);
    expect(types('In 2024 we sold 1,234 units; call ext. 42.')).toEqual([]);
  });

  it('AWS key ids need a known prefix and 16 base32 characters', () => {
    expect(types('ASIAY34FZKBOKMUTVV7A')).toEqual(['aws-access-key-id:ASIAY34FZKBOKMUTVV7A']);
    expect(types('AKIA1234 and XKIAIOSFODNN7EXAMPLE')).toEqual([]);
  });

  it('offsets count UTF-16 units after astral characters: "😀 a@b.co" → 3–9', () => {
    expect(findPii('😀 a@b.co')).toEqual([{ type: 'email', match: 'a@b.co', start: 3, end: 9 }]);
  });

  it('text without PII → []', () => {
    expect(findPii('The quick brown fox. Version 2.0 released on 2024-05-01.')).toEqual([]);
    expect(findPii('')).toEqual([]);
  });

  it('is deterministic across calls (global regexes do not leak state)', () => {
    const text = 'a@b.co 192.168.0.1';
    expect(findPii(text)).toEqual(findPii(text));
  });
});

describe('checksums', () => {
  it('luhnValid: 79927398713 → valid, 79927398710 → invalid, "" → invalid', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(luhnValid('')).toBe(false);
  });

  it('ibanValid: DE89370400440532013000 → valid (mod 97 = 1), DE88370400440532013000 → invalid', () => {
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE88370400440532013000')).toBe(false);
    expect(ibanValid('DE89')).toBe(false);
  });
});
