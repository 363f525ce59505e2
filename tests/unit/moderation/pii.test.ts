import { describe, expect, it } from 'vitest';
import { findPii, ibanValid, ipv6Valid, luhnValid, redactPii } from '../../../shared/moderation';

const found = (text: string) => findPii(text).map((m) => `${m.type}:${m.match}`);

describe('PII detectors: positive and negative cases', () => {
  it('email: found in prose and inside a URL query; a URL with "@handle" path is not an email', () => {
    expect(found('write to Ana.Lopez+billing@example.co.uk today')).toEqual(['email:Ana.Lopez+billing@example.co.uk']);
    expect(found('reset link https://shop.example.com/reset?user=bob@example.org&t=1')).toEqual(['email:bob@example.org']);
    expect(found('see https://medium.com/@alice/my-post and user@localhost')).toEqual([]);
    expect(found('józef@przykład.pl')).toEqual(['email:józef@przykład.pl']);
  });

  it('phone: North American and + international; years and counts are not phones', () => {
    expect(found('call (415) 555-0134 or +49 30 901820')).toEqual(['phone:(415) 555-0134', 'phone:+49 30 901820']);
    expect(found('we shipped 12,500 units in 2023 and 2024')).toEqual([]);
  });

  it('SSN: 123-45-6789 is one; an SSN-shaped date ("born 123-12-1985" style) and never-issued areas are not', () => {
    expect(found('my SSN is 123-45-6789')).toEqual(['us-ssn:123-45-6789']);
    expect(found('order dated 101-12-2024 shipped')).toEqual([]);
    expect(found('born on 123-10-1985')).toEqual([]);
    // an SSN word near it wins over the date word
    expect(found('SSN (issued on) 123-10-1985')).toEqual(['us-ssn:123-10-1985']);
    expect(found('666-12-3456 and 912-12-3456')).toEqual([]);
  });

  it('payment cards need Luhn; a card split across two lines is still found', () => {
    expect(found('card 4111 1111 1111 1111')).toEqual(['credit-card:4111 1111 1111 1111']);
    expect(found('card 4111 1111 1111 1112')).toEqual([]);
    expect(found('card 4111 1111\n1111 1111 exp')).toEqual(['credit-card:4111 1111\n1111 1111']);
    expect(luhnValid('4012888888881881')).toBe(true);
    expect(luhnValid('4012888888881882')).toBe(false);
  });

  it('IBAN needs the mod-97 checksum', () => {
    expect(found('pay to FR14 2004 1010 0505 0001 3M02 606')).toEqual(['iban:FR14 2004 1010 0505 0001 3M02 606']);
    expect(ibanValid('FR1420041010050500013M02606')).toBe(true);
    expect(ibanValid('FR1520041010050500013M02606')).toBe(false);
    expect(found('pay to FR15 2004 1010 0505 0001 3M02 606')).toEqual([]);
  });

  it('IP addresses: v4 and v6; versions, times and "std::vector" are not', () => {
    expect(found('from 203.0.113.7 and 2001:db8::8a2e:370:7334')).toEqual(['ipv4:203.0.113.7', 'ipv6:2001:db8::8a2e:370:7334']);
    expect(found('v1.2.3.4.5 at 12:30:45, std::vector, a::b')).toEqual([]);
    expect(ipv6Valid('fe80:0:0:0:204:61ff:fe9d:f156')).toBe(true);
    expect(ipv6Valid('1:2:3')).toBe(false);
  });

  it('AWS access keys: known prefix + 16 base32; other 20-char words are not', () => {
    expect(found('key AKIAIOSFODNN7EXAMPLE')).toEqual(['aws-access-key-id:AKIAIOSFODNN7EXAMPLE']);
    expect(found('ABCDIOSFODNN7EXAMPLE AKIAIOSFODNN7EXAMP')).toEqual([]);
  });
});

describe('redactPii', () => {
  const message = 'Hi, I am Zoë Müller 👋 — email zoe@example.com, phone 415-555-0134, card 4111-1111-1111-1111. Thanks!';

  it('typed placeholders keep the text readable; spans point at the placeholders in the new text', () => {
    const r = redactPii(message);
    expect(r.text).toBe('Hi, I am Zoë Müller 👋 — email [EMAIL], phone [PHONE], card [CARD]. Thanks!');
    expect(r.spans.map((s) => r.text.slice(s.start, s.end))).toEqual(['[EMAIL]', '[PHONE]', '[CARD]']);
    expect(r.counts).toEqual({ email: 1, phone: 1, 'credit-card': 1 });
    expect(r.total).toBe(3);
    expect(JSON.stringify({ counts: r.counts, spans: r.spans })).not.toContain('zoe@');
  });

  it('a mask keeps length and separators (card keeps its last 4), offsets right after astral characters', () => {
    const r = redactPii(message, { style: 'mask', maskChar: '•' });
    expect(r.text).toContain('email •••@•••••••.•••, phone •••-•••-••••, card ••••-••••-••••-1111.');
    expect(r.text.length).toBe(message.length);
    for (const span of r.spans) expect(r.text.slice(span.start, span.end)).toMatch(/^[•@.\-\d]+$/);
  });

  it('only the chosen types are redacted', () => {
    const r = redactPii(message, { types: ['email'] });
    expect(r.text).toContain('[EMAIL]');
    expect(r.text).toContain('415-555-0134');
  });

  it('text without PII is returned unchanged with no spans', () => {
    expect(redactPii('Nothing to see here. Version 2.0 shipped on 2024-05-01.')).toEqual({ text: 'Nothing to see here. Version 2.0 shipped on 2024-05-01.', spans: [], counts: {}, total: 0 });
  });
});
