/**
 * Lists the AWS profile names configured on this computer, for the Settings picker. Reads
 * section headers only: no key, token or other value is ever read into a result.
 * Honours AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE like the SDK does.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AwsProfiles } from '../../../shared/contract/settings';

export interface ProfileSourceOptions {
  env?: NodeJS.ProcessEnv;
  home?: string;
}

function expandHome(path: string, home: string): string {
  return path === '~' ? home : path.startsWith('~/') || path.startsWith('~\\') ? join(home, path.slice(2)) : path;
}

/** Section names of an INI file; `config` style turns "[profile x]" into "x" and skips other kinds. Pure. */
export function profileNamesFromIni(text: string, style: 'config' | 'credentials'): string[] {
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*\[([^\]]+)\]\s*(?:[#;].*)?$/.exec(line);
    if (!match) continue;
    const section = match[1]!.trim();
    if (style === 'credentials') {
      names.push(section);
      continue;
    }
    if (section === 'default') names.push('default');
    else {
      const profile = /^profile\s+(.+)$/.exec(section);
      if (profile) names.push(profile[1]!.trim());
      // [sso-session x], [services x] and other kinds are not profiles.
    }
  }
  return names.filter((name) => name.length > 0);
}

export function listAwsProfiles(options: ProfileSourceOptions = {}): AwsProfiles {
  const env = options.env ?? process.env;
  const home = options.home ?? env.HOME ?? env.USERPROFILE ?? homedir();
  const files: { path: string; style: 'config' | 'credentials' }[] = [
    { path: expandHome(env.AWS_CONFIG_FILE || join(home, '.aws', 'config'), home), style: 'config' },
    { path: expandHome(env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'), home), style: 'credentials' },
  ];
  const names = new Set<string>();
  const sources: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file.path, 'utf8');
    } catch {
      continue;
    }
    sources.push(file.path);
    for (const name of profileNamesFromIni(text, file.style)) names.add(name);
  }
  const sorted = [...names].sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : a.localeCompare(b)));
  return { profiles: sorted, sources, envProfile: env.AWS_PROFILE || null };
}
