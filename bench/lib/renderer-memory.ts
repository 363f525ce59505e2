import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/** Resident memory (MB) of the page's renderer process (the largest renderer, if several), from /proc. */
export async function rendererProcessMb(page: Page): Promise<number> {
  const browser = page.context().browser();
  if (!browser) return Number.NaN;
  const session = await browser.newBrowserCDPSession();
  const { processInfo } = (await session.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
  await session.detach();
  let largest = 0;
  for (const { type, id } of processInfo) {
    if (type !== 'renderer') continue;
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${id}/status`, 'utf8'))?.[1] ?? 0);
      largest = Math.max(largest, kb / 1024);
    } catch {
      // gone, or not on Linux
    }
  }
  return largest || Number.NaN;
}
