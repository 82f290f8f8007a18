import * as assert from 'node:assert/strict';
import { notConnectedLine } from '../../src/core/engineDetailsLine';
import { english } from '../support/english';

describe('notConnectedLine', () => {
  const reason = 'Cannot reach the Docker daemon at unix:///x.sock. Is Docker running?';
  const line = (source: 'setting' | 'env' | 'context' | 'default', context?: string) =>
    notConnectedLine('unix:///x.sock', source, context, reason, english);

  it('names the setting, and says how to clear it since it wins over DOCKER_HOST and contexts', () => {
    assert.equal(
      line('setting'),
      `Docker at unix:///x.sock (from the volumesLab.docker.host setting): not connected. ${reason} ` +
        'This setting wins over DOCKER_HOST and docker contexts: clear it (Reset Setting in Settings) to use them.',
    );
  });
  it('names DOCKER_HOST, the docker context or the default socket, each with the reason', () => {
    assert.equal(line('env'), `Docker at unix:///x.sock (from DOCKER_HOST): not connected. ${reason}`);
    assert.equal(
      line('context', 'colima'),
      `Docker at unix:///x.sock (from the docker context colima): not connected. ${reason}`,
    );
    assert.equal(line('default'), `Docker at unix:///x.sock (Docker's default socket): not connected. ${reason}`);
  });
  it('gives the setting advice only when the setting chose the address', () => {
    for (const source of ['env', 'context', 'default'] as const) assert.doesNotMatch(line(source, 'c'), /clear it/);
  });
});
