import * as assert from 'node:assert/strict';
import { dockerErrorText, type Translator } from '../../src/core/errorText';
import { DockerError } from '../../src/docker/errors';
import { english } from '../support/english';

describe('dockerErrorText', () => {
  const at = 'unix:///var/run/docker.sock';
  it('tells a user outside the docker group what to do', () => {
    const text = dockerErrorText(new DockerError('permissionDenied', 'x', 'GET /volumes', 'EACCES'), at, english);
    assert.equal(
      text,
      `Permission denied on the Docker socket ${at}. Add your user to the "docker" group (sudo usermod -aG docker $USER) and log in again.`,
    );
  });
  it('asks whether Docker runs when it cannot be reached, and names the address', () => {
    assert.equal(
      dockerErrorText(new DockerError('unreachable', 'x', 'op'), at, english),
      `Cannot reach the Docker daemon at ${at}. Is Docker running?`,
    );
    assert.match(dockerErrorText(new DockerError('timeout', 'x', 'op'), at, english), /did not answer in time/);
  });
  it('passes the engine message on for request errors', () => {
    assert.equal(
      dockerErrorText(new DockerError('conflict', 'volume is in use - [abc]', 'op'), at, english),
      'Docker refused because of a conflict: volume is in use - [abc]',
    );
    assert.equal(dockerErrorText(new DockerError('invalid', 'bad name', 'op'), at, english), 'Invalid input: bad name');
  });
});

describe('reasonText', () => {
  it('words known failures in full sentences, whatever the English detail says', () => {
    const damaged = new DockerError('invalid', 'raw', 'restore').because({
      id: 'archiveDamaged',
      detail: 'unexpected end of file',
    });
    assert.equal(
      dockerErrorText(damaged, 'x', english),
      'The archive is damaged (unexpected end of file): it may be truncated or not a .tar.gz. Nothing was changed.',
    );
    const mismatch = new DockerError('engine', 'raw', 'restore').because({
      id: 'restoredMismatch',
      files: 3,
      bytes: 2048,
      expectedFiles: 4,
      expectedBytes: 4096,
    });
    assert.equal(
      dockerErrorText(mismatch, 'x', english),
      'The restored volume holds 3 entries (2 KiB); the archive had 4 entries (4 KiB).',
    );
    const tool = new DockerError('invalid', 'raw', 'dump').because({ id: 'toolFailed', exitCode: '1', message: '' });
    assert.equal(dockerErrorText(tool, 'x', english), 'The database tool failed (exit code 1): no message');
  });

  it('names a refused ssh host key as the cause, with its fingerprint and what to do', () => {
    const refused = (verdict: 'unknown' | 'changed' | 'revoked') =>
      dockerErrorText(
        new DockerError('unreachable', 'raw', 'GET /version').because({
          id: 'sshHostKey',
          verdict,
          host: '[box]:2222',
          fingerprint: 'SHA256:abc',
        }),
        'ssh://box:2222',
        english,
      );
    assert.match(
      refused('unknown'),
      /^The ssh host key of \[box\]:2222 is not in known_hosts yet \(fingerprint SHA256:abc\): connect once with ssh/,
    );
    assert.match(
      refused('changed'),
      /not the one in known_hosts \(it now shows SHA256:abc\).*someone poses as it.*ssh-keygen -R "\[box\]:2222"/,
    );
    assert.match(refused('revoked'), /revoked in known_hosts/);
    assert.doesNotMatch(refused('unknown'), /Is Docker running/);
  });
});

describe('counts in error text', () => {
  const mismatch = (files: number, expectedFiles: number) =>
    new DockerError('engine', 'raw', 'restore').because({
      id: 'restoredMismatch',
      files,
      bytes: 1024,
      expectedFiles,
      expectedBytes: 2048,
    });
  /** A translator over a small French table, as vscode.l10n gives it with the French bundle. */
  const french: Translator = {
    language: 'fr',
    t: (message, ...args) => {
      const table: Record<string, string> = {
        '{0} entry': '{0} élément',
        '{0} entries': '{0} éléments',
        'The restored volume holds {0} ({1}); the archive had {2} ({3}).':
          "Le volume restauré contient {0} ({1}), alors que l'archive contenait {2} ({3}).",
      };
      return (table[message] ?? message).replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
    },
  };
  it('says "1 entry" and "0 entries" in English', () => {
    assert.equal(
      dockerErrorText(mismatch(1, 0), 'x', english),
      'The restored volume holds 1 entry (1 KiB); the archive had 0 entries (2 KiB).',
    );
  });
  it('uses the singular for 0 and 1 in French, the plural from 2', () => {
    assert.equal(
      dockerErrorText(mismatch(0, 1), 'x', french),
      "Le volume restauré contient 0 élément (1 KiB), alors que l'archive contenait 1 élément (2 KiB).",
    );
    assert.equal(
      dockerErrorText(mismatch(2, 3), 'x', french),
      "Le volume restauré contient 2 éléments (1 KiB), alors que l'archive contenait 3 éléments (2 KiB).",
    );
  });
});
