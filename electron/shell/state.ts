/**
 * What the shell keeps between launches, in `<user data>/shell.json` (parsed with zod, never
 * cast): the window's size and position, and the debug switches. Plain Node (no electron).
 *
 * Debug switches (off by default; Settings › Troubleshooting sets them, or the environment):
 *   "devTools": true        DevTools in a packaged build (PARALLAX_DEBUG=1 does the same)
 *   "verboseLogging": true  prompts, outputs and request details in the log (PARALLAX_VERBOSE_LOG=1)
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const SHELL_STATE_FILE = 'shell.json';

const Bounds = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(200).max(20_000),
  height: z.number().int().min(200).max(20_000),
});

export const ShellState = z.object({
  window: Bounds.extend({ maximized: z.boolean().default(false) }).optional(),
  devTools: z.boolean().default(false),
  verboseLogging: z.boolean().default(false),
});
export type ShellState = z.infer<typeof ShellState>;
export type WindowState = NonNullable<ShellState['window']>;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function loadShellState(dir: string): ShellState {
  try {
    const parsed = ShellState.safeParse(JSON.parse(readFileSync(join(dir, SHELL_STATE_FILE), 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // missing or unreadable: defaults
  }
  return ShellState.parse({});
}

export function saveShellState(dir: string, state: ShellState): void {
  const file = join(dir, SHELL_STATE_FILE);
  try {
    writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2));
    renameSync(`${file}.tmp`, file);
  } catch {
    // Not being able to remember the window is not worth an error.
  }
}

/**
 * The bounds to open the window with: the remembered size (at least the minimum, at most the
 * largest display), and the remembered position only if most of the title bar lands on a
 * display that still exists (a monitor unplugged since must not leave the window off-screen).
 */
export function fitWindow(saved: WindowState | undefined, displays: readonly Rect[], fallback: { width: number; height: number }, min: { width: number; height: number }) {
  if (!saved) return { ...fallback, maximized: false };
  const largest = displays.reduce((a, d) => ({ width: Math.max(a.width, d.width), height: Math.max(a.height, d.height) }), { width: 0, height: 0 });
  const clamp = (value: number, lo: number, hi: number) => Math.max(lo, hi > 0 ? Math.min(value, hi) : value);
  const width = clamp(saved.width, min.width, largest.width);
  const height = clamp(saved.height, min.height, largest.height);
  const result: { width: number; height: number; x?: number; y?: number; maximized: boolean } = { width, height, maximized: saved.maximized };
  if (saved.x !== undefined && saved.y !== undefined) {
    const titleBar = { x: saved.x, y: saved.y, width, height: 40 };
    const visible = displays.some((d) => overlap(titleBar, d) >= Math.min(titleBar.width * titleBar.height, 100 * 40) / 2);
    if (visible) {
      result.x = saved.x;
      result.y = saved.y;
    }
  }
  return result;
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}
