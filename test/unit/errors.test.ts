import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CONTEXT_KEYS, VIEWS } from '../../src/constants';
import { DOCKER_ERROR_KINDS, welcomeErrorKind } from '../../src/core/errorReasons';
import { DockerError, toDockerError } from '../../src/docker/errors';

const at = 'unix:///var/run/docker.sock';

describe('toDockerError', () => {
  it('classifies socket errors', () => {
    assert.equal(
      toDockerError(Object.assign(new Error('connect ENOENT'), { code: 'ENOENT' }), 'GET /volumes', at).kind,
      'unreachable',
    );
    assert.equal(
      toDockerError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), 'GET /volumes', at).kind,
      'unreachable',
    );
    assert.equal(
      toDockerError(Object.assign(new Error('connect EACCES'), { code: 'EACCES' }), 'GET /volumes', at).kind,
      'permissionDenied',
    );
    assert.equal(
      toDockerError(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }), 'GET /volumes', at).kind,
      'timeout',
    );
  });

  it('classifies engine answers by status and keeps the engine message', () => {
    const conflict = toDockerError(
      { statusCode: 409, json: { message: 'volume is in use - [abc]' }, message: '(HTTP code 409)' },
      'DELETE /volumes/x',
      at,
    );
    assert.equal(conflict.kind, 'conflict');
    assert.equal(conflict.message, 'volume is in use - [abc]');
    assert.equal(conflict.statusCode, 409);
    assert.equal(
      toDockerError({ statusCode: 404, json: Buffer.from('{"message":"no such volume"}') }, 'op', at).message,
      'no such volume',
    );
    assert.equal(toDockerError({ statusCode: 400, json: 'bad name' }, 'op', at).kind, 'invalid');
    assert.equal(toDockerError({ statusCode: 500, reason: 'server error' }, 'op', at).kind, 'engine');
  });

  it('recognises cancellation', () => {
    const abort = Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
    assert.equal(toDockerError(abort, 'op', at).kind, 'cancelled');
  });

  it('passes DockerErrors through unchanged', () => {
    const original = new DockerError('notFound', 'gone', 'op');
    assert.equal(toDockerError(original, 'other', at), original);
  });
});

describe('the Volumes view has a welcome text for every failed version check', () => {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as {
    contributes: { viewsWelcome: { view: string; when?: string }[] };
  };
  const volumesWhens = manifest.contributes.viewsWelcome.filter((w) => w.view === VIEWS.volumes).map((w) => w.when);

  for (const kind of DOCKER_ERROR_KINDS.filter((k) => k !== 'cancelled')) {
    it(`${kind} (a 404 from a web server at DOCKER_HOST is notFound)`, () => {
      const shown = welcomeErrorKind(kind);
      const clause = `${CONTEXT_KEYS.daemonState} == unreachable && ${CONTEXT_KEYS.daemonError} == ${shown}`;
      // One welcome for the kind, or one per answer to "did the setting choose the address" (its advice differs).
      const bySource = (op: string) =>
        volumesWhens.includes(`${clause} && ${CONTEXT_KEYS.endpointSource} ${op} setting`);
      assert.ok(
        volumesWhens.includes(clause) || (bySource('==') && bySource('!=')),
        `no viewsWelcome for ${kind} (shown as ${shown})`,
      );
    });
  }
});
