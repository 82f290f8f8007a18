import * as assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { hostKeyVerdict, knownHostsName } from '../../src/docker/knownHosts';

/** An ssh-ed25519 key blob as a server sends it (string "ssh-ed25519", string key), and its known_hosts form. */
function hostKey(): { blob: Buffer; line: (hosts: string) => string } {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  const blob = Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]);
  return { blob, line: (hosts) => `${hosts} ssh-ed25519 ${blob.toString('base64')}` };
}

describe('ssh host keys (known_hosts)', () => {
  const key = hostKey();
  const other = hostKey();

  it('accepts only the key known_hosts holds for the host and port', () => {
    assert.equal(hostKeyVerdict([key.line('build.example')], 'build.example', 22, key.blob), 'known');
    assert.equal(hostKeyVerdict([key.line('[build.example]:2222')], 'build.example', 2222, key.blob), 'known');
    assert.equal(
      hostKeyVerdict([key.line('build.example')], 'build.example', 2222, key.blob),
      'unknown',
      'another port is another host',
    );
    assert.equal(hostKeyVerdict([], 'build.example', 22, key.blob), 'unknown');
    assert.equal(
      hostKeyVerdict([other.line('build.example')], 'build.example', 22, key.blob),
      'changed',
      'someone posing as the host',
    );
  });

  it('reads hashed names, patterns, negations, comments and revoked keys', () => {
    const salt = Buffer.from('0123456789abcdefghij');
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(knownHostsName('10.0.0.7', 22)).digest('base64')}`;
    assert.equal(hostKeyVerdict([`# comment\n\n${key.line(hashed)}`], '10.0.0.7', 22, key.blob), 'known');
    assert.equal(hostKeyVerdict([key.line('*.example,!evil.example')], 'build.example', 22, key.blob), 'known');
    assert.equal(hostKeyVerdict([key.line('*.example,!evil.example')], 'evil.example', 22, key.blob), 'unknown');
    assert.equal(
      hostKeyVerdict([`${key.line('build.example')}\n@revoked ${key.line('*')}`], 'build.example', 22, key.blob),
      'revoked',
    );
    assert.equal(hostKeyVerdict([`@cert-authority ${key.line('*')}`], 'build.example', 22, key.blob), 'unknown');
  });
});
