/**
 * One start of the BUILT main process, in a fresh plain-Node process (no tsx loader: what a user
 * runs, module loading included), under the fake electron: from loading dist-electron/main.js
 * (the entry point) to the window's first request served (app:info through the bound IPC
 * handler). Prints one JSON line: wall ms, CPU ms, and where the time went.
 *
 * bench/main-responsiveness bundles this file with esbuild and runs it with `node`.
 * Usage: node startup-child.cjs <userDataDir>
 */
import { performance } from 'node:perf_hooks';
import { createFakeElectron, loadBuilt } from '../../tests/support/fake-electron';

async function main(): Promise<void> {
  const userData = process.argv[2];
  if (!userData) throw new Error('usage: startup-child <userDataDir>');
  const fake = createFakeElectron({ userData });
  const cpu = process.cpuUsage();
  const started = performance.now();
  loadBuilt('main.js', fake, { env: { PARALLAX_LOG_ECHO: '0' } });
  const loaded = performance.now();
  fake.ready();
  while (fake.record.exitCode === undefined && (fake.window?.webContents.mainFrame.url ?? '') === '') {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  if (fake.record.exitCode !== undefined) throw new Error(`start-up failed: ${JSON.stringify(fake.record.messageBoxes)}`);
  const windowOpened = performance.now();
  const answer = await fake.invoke('app:info', {});
  if (!answer.ok) throw new Error(`app:info failed: ${JSON.stringify(answer)}`);
  const served = performance.now();
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    `${JSON.stringify({
      ms: served - started,
      cpuMs: (used.user + used.system) / 1000,
      phases: { loadMainMs: loaded - started, readyToWindowMs: windowOpened - loaded, firstRequestMs: served - windowOpened },
    })}\n`,
  );
  fake.app.quit();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
