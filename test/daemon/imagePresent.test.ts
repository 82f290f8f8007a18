// Whether an image is on the daemon: only the engine's "no such image" means absent (then a pull is worth trying);
// an unreachable daemon is said as such, not taken for a missing image.
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliTargetFor } from '../../src/core/cli';
import type { DockerClient } from '../../src/docker/client';
import { DockerodeClient } from '../../src/docker/dockerodeClient';
import { parseDockerHost } from '../../src/docker/endpoint';
import { DockerError } from '../../src/docker/errors';
import type { FlowDeps } from '../../src/flows/flowDeps';
import { imagePresent } from '../../src/flows/run';
import { english } from '../support/english';
import { TEST_IMAGE } from '../support/docker';

function depsOn(client: DockerClient): FlowDeps {
  return {
    daemon: { use: (work) => work(client), cliTarget: cliTargetFor(undefined) },
    log: { cli: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    l10n: english,
    mayReadBackups: () => true,
  };
}

describe('image presence on a real engine', function () {
  this.timeout(30_000);

  it('is true for an image the daemon has, false only for one it says it does not have', async () => {
    const deps = depsOn(
      new DockerodeClient({
        endpoint: { ...parseDockerHost(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'), source: 'env' },
        timeoutMs: 30_000,
      }),
    );
    assert.equal(await imagePresent(deps, TEST_IMAGE), true);
    assert.equal(await imagePresent(deps, 'volumes-lab/never-built:1'), false);
  });

  it('throws the connection failure when the daemon cannot be reached, rather than calling the image absent', async () => {
    const socket = path.join(os.tmpdir(), `vlab-no-daemon-${process.pid}.sock`);
    const deps = depsOn(
      new DockerodeClient({ endpoint: { ...parseDockerHost(`unix://${socket}`), source: 'env' }, timeoutMs: 5_000 }),
    );
    await assert.rejects(
      imagePresent(deps, TEST_IMAGE),
      (err) => err instanceof DockerError && err.kind === 'unreachable',
    );
  });
});
