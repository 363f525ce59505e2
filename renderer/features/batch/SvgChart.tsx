/** Renders a shared/charts.ts SVG tree with React (the HTML report prints the same tree as static SVG). */
import { createElement, type ReactNode } from 'react';
import type { SvgChild } from '../../../shared/charts';

function toReact(child: SvgChild, key: number): ReactNode {
  if (typeof child === 'string') return child;
  const { ariaLabel, ...rest } = child.attrs;
  const props: Record<string, unknown> = { ...rest, key };
  if (ariaLabel !== undefined) props['aria-label'] = ariaLabel;
  return createElement(child.tag, props, ...(child.children ?? []).map((c, i) => toReact(c, i)));
}

export function SvgChart({ tree }: { tree: SvgChild }) {
  return <div className="batch-chart">{toReact(tree, 0)}</div>;
}
