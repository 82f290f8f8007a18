/**
 * Host-key checking for ssh:// endpoints, as OpenSSH does it with `known_hosts`: without it, anyone on the
 * path to the host could pose as it and receive every API call (and the user's data). Pure: the callers
 * pass the files' text.
 */
import { createHash, createHmac } from 'node:crypto';

/**
 * known: a line for this host has this key; unknown: no line names the host; changed: lines name it with other keys.
 */
export type HostKeyVerdict = 'known' | 'unknown' | 'changed' | 'revoked';

/** How known_hosts names a host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function wildcard(pattern: string, name: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
  return re.test(name);
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt = '', hash = ''] = pattern.split('|');
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return wildcard(pattern, name);
}

/** True when the comma-separated host patterns of a line take in `name` (a negated pattern excludes it). */
function hostsMatch(patterns: string, name: string): boolean {
  let matched = false;
  for (const raw of patterns.split(',')) {
    const negated = raw.startsWith('!');
    if (!patternMatches(negated ? raw.slice(1) : raw, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

/** What the known_hosts files say about `key` (the raw key blob the server sent) for `host`:`port`. */
export function hostKeyVerdict(knownHostsFiles: string[], host: string, port: number, key: Buffer): HostKeyVerdict {
  const name = knownHostsName(host, port);
  const blob = key.toString('base64');
  let named = false;
  let known = false;
  for (const text of knownHostsFiles) {
    for (const line of text.split('\n')) {
      const fields = line.trim().split(/\s+/);
      if (!fields[0] || fields[0].startsWith('#')) continue;
      const marker = fields[0].startsWith('@') ? fields.shift() : undefined;
      const [patterns = '', , keyData = ''] = fields;
      if (marker === '@cert-authority' || !hostsMatch(patterns, name)) continue;
      if (marker === '@revoked') {
        if (keyData === blob) return 'revoked';
        continue;
      }
      named = true;
      if (keyData === blob) known = true;
    }
  }
  return known ? 'known' : named ? 'changed' : 'unknown';
}

/** A key's fingerprint as `ssh` and `ssh-keygen -l` print it: SHA256 of the key blob, base64 without padding. */
export function keyFingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}
