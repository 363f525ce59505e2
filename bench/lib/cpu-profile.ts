/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went: self time per script
 * (a dist-electron chunk, a node_modules package, Node's own loader, the garbage collector) and
 * the costliest functions by inclusive time, each counted once per call stack.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function scriptOf(url: string, functionName: string): string {
  if (!url) return `(${functionName || 'native'})`;
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1]!;
  if (url.startsWith('node:')) return url;
  return url.replace(/^.*\//, '');
}

export interface ProfileSummary {
  totalMs: number;
  byScript: { script: string; selfMs: number }[];
  byFunction: { fn: string; inclusiveMs: number }[];
}

export function summarizeCpuProfile(path: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<number, number>();
  const total = (node: ProfileNode): number => {
    const known = inclusive.get(node.id);
    if (known !== undefined) return known;
    let sum = self.get(node.id) ?? 0;
    for (const child of node.children ?? []) sum += total(byId.get(child)!);
    inclusive.set(node.id, sum);
    return sum;
  };
  const scripts = new Map<string, number>();
  const functions = new Map<string, number>();
  const keyOf = (node: ProfileNode) => `${node.callFrame.functionName || '(module)'} ${scriptOf(node.callFrame.url, node.callFrame.functionName)}:${node.callFrame.lineNumber + 1}`;
  for (const node of profile.nodes) {
    const script = scriptOf(node.callFrame.url, node.callFrame.functionName);
    scripts.set(script, (scripts.get(script) ?? 0) + (self.get(node.id) ?? 0));
    if (!node.callFrame.url || node.callFrame.url.startsWith('node:')) continue;
    const key = keyOf(node);
    // Counted once per stack: skip a node whose ancestor is the same function (recursion).
    let up = parent.get(node.id);
    let nested = false;
    while (up !== undefined) {
      if (keyOf(byId.get(up)!) === key) {
        nested = true;
        break;
      }
      up = parent.get(up);
    }
    if (!nested) functions.set(key, (functions.get(key) ?? 0) + total(node));
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  return {
    totalMs: ms(profile.endTime - profile.startTime),
    byScript: [...scripts].sort((a, b) => b[1] - a[1]).slice(0, top).map(([script, us]) => ({ script, selfMs: ms(us) })),
    byFunction: [...functions].sort((a, b) => b[1] - a[1]).slice(0, top).map(([fn, us]) => ({ fn, inclusiveMs: ms(us) })),
  };
}
