/** The batch report's pieces: friendly labels, safe Markdown, static SVG charts. */
import { describe, expect, it } from 'vitest';
import { distributionChart, scatterChart, svgToString } from '../../../shared/charts';
import { armName, scoreLabel, shortModelName, techniqueLabel } from '../../../shared/labels';
import { safeMarkdownHtml } from '../../../electron/services/batch/report';

describe('friendly labels', () => {
  it('names scores with their scale and direction, techniques and models readably', () => {
    expect(scoreLabel('bias')).toBe('Bias and stereotypes (1–5, lower is better)');
    expect(scoreLabel('relevancy')).toBe('Relevancy (pass/fail)');
    expect(techniqueLabel('bias-guard')).not.toBe('bias-guard');
    expect(techniqueLabel('my-own_trick')).toBe('My own trick');
    expect(shortModelName('anthropic.claude-3-haiku-20240307-v1:0')).toBe('Claude 3 Haiku');
    expect(shortModelName('us.amazon.nova-lite-v1:0')).toBe('Nova Lite');
    expect(shortModelName('acme.writer-large-20250101-v2:0')).toBe('writer-large');
    expect(armName(0, 'Baseline')).toBe('Baseline');
    expect(armName(1, 'Bias guard')).toBe('Arm 2 · Bias guard');
  });
});

describe('answers in the report', () => {
  it('renders Markdown but never live HTML, images or links', () => {
    const html = safeMarkdownHtml('**Bold** and a [link](javascript:alert(1)) <img src=x onerror=alert(1)> ![pic](https://x.test/p.png)\n\n<script>alert(1)</script>');
    expect(html).toContain('<strong>Bold</strong>');
    expect(html).not.toMatch(/<script|<img|<a |<[^>]*onerror/);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('Image not loaded: pic');
  });
});

describe('charts as static SVG', () => {
  it('escapes labels and carries no script', () => {
    const svg = svgToString(distributionChart([{ label: '<b>Arm</b>', values: [1, 2, 3] }, { label: 'B', values: [2, 2] }], { title: 'Words per arm' }));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('&lt;b&gt;Arm&lt;/b&gt;');
    expect(svg).toContain('aria-label="Words per arm"');
    expect(svg).not.toMatch(/<script|on\w+=/);
    expect((svg.match(/<circle/g) ?? []).length).toBe(5);
    const scatter = svgToString(scatterChart([[1, 2], [3, 1]], { title: 't', xLabel: 'Baseline', yLabel: 'Guard' }));
    expect((scatter.match(/<circle/g) ?? []).length).toBe(2);
  });
});
