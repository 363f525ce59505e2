/**
 * `npm run fake-bedrock`: the command a person runs to try the app without AWS. Started as its
 * own process, it prints the endpoint to use, answers the real SDK there, logs the request and
 * stops on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

function start(args: string[]): { output: () => string; endpoint: Promise<string> } {
  child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'tests/support/fake-bedrock/cli.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const endpoint = new Promise<string>((resolve, reject) => {
    child!.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listening on (http:\/\/\S+)/.exec(output);
      if (found) resolve(found[1]!);
    });
    child!.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child!.once('exit', (code) => reject(new Error(`the fake exited (${code}) before listening: ${output}`)));
  });
  return { output: () => output, endpoint };
}

describe('npm run fake-bedrock', () => {
  it('listens on a free port it prints, streams a scripted reply to the real SDK, logs the call, stops on SIGTERM', async () => {
    const fake = start(['--first-token-ms', '0']);
    const endpoint = await fake.endpoint;
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect.poll(() => fake.output()).toContain(`Custom endpoint = ${endpoint}, region us-east-1`);

    const client = new BedrockRuntimeClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    const reply = await client.send(new ConverseStreamCommand({ modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'Hello' }] }] }));
    let text = '';
    for await (const event of reply.stream!) text += event.contentBlockDelta?.delta?.text ?? '';
    client.destroy();
    expect(text.length).toBeGreaterThan(0);
    await expect.poll(() => fake.output(), { timeout: 3_000 }).toMatch(/ConverseStream amazon\.nova-lite-v1:0/);

    child!.kill('SIGTERM');
    const [code] = await once(child!, 'exit');
    expect(code).toBe(0);
  });

  it('refuses a bad option with a message that names it', async () => {
    const fake = start(['--port', 'eighty']);
    await expect(fake.endpoint).rejects.toThrow(/--port expects a non-negative number, got "eighty"/);
  });
});
