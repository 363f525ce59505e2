/** Long Markdown answers for the streaming e2e test and bench/long-answers. */

/** About `size` characters of varied Markdown, unique to `arm`, ending with a marker word. */
export function longMarkdown(arm: number, size: number): string {
  const parts: string[] = [`# Answer of arm ${arm}\n\nThis answer is long on purpose (arm ${arm}).`];
  for (let s = 1; parts.join('\n\n').length < size; s += 1) {
    parts.push(
      `## Section ${s} of arm ${arm}`,
      `Paragraph ${s}: nurses and engineers bring **care**, _rigor_ and \`patience\` to section ${s}; see [the guide](https://example.com/a${arm}/s${s}) or [not this](javascript:alert(${s})).`,
      `- item one of ${s}\n- item two of ${s}\n  continued line\n- item three with <b>raw html</b>`,
      `\`\`\`ts\n// code of section ${s}\nconst value${s} = ${s} * ${arm};\n\nexport function f${s}() {\n  return value${s};\n}\n\`\`\``,
      `| role | trait |\n|------|-------|\n| nurse ${s} | care |\n| engineer ${s} | rigor |`,
      `> a quote in section ${s}\n> that spans two lines`,
    );
  }
  parts.push(`Hidden \u202Ereversed\u202C text and a zero\u200Bwidth space. Last words: END-OF-ARM-${arm}.`);
  return parts.join('\n\n');
}
