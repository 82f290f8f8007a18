import * as assert from 'node:assert/strict';
import { analyzeCompose } from '../../src/core/compose';
import { composeProblems } from '../../src/core/hints';
import { DockerodeClient } from '../../src/docker/dockerodeClient';
import { parseDockerHost } from '../../src/docker/endpoint';
import { cleanupTestObjects, TEST_IMAGE, TEST_LABEL, testDocker, uniqueName } from '../support/docker';

const client = new DockerodeClient({
  endpoint: { ...parseDockerHost(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'), source: 'env' },
  timeoutMs: 30_000,
});
const english = {
  t: (m: string, ...a: (string | number | boolean)[]) =>
    m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)])),
};

describe('compose: images whose config declares VOLUME, read from a real engine', function () {
  this.timeout(60_000);
  const repo = 'volumes-lab/ledger-test';
  const tag = uniqueName('v')
    .toLowerCase()
    .replace(/[^a-z0-9_.-]/g, '-');
  const image = `${repo}:${tag}`;

  before(async () => {
    // An image nobody's table knows, whose only trace of state is its VOLUME line.
    const container = await testDocker().createContainer({
      Image: TEST_IMAGE,
      Cmd: ['true'],
      Labels: { [TEST_LABEL]: '1' },
    });
    await container.commit({ repo, tag, changes: ['VOLUME ["/srv/ledger"]'] });
    await container.remove();
  });
  after(async () => {
    await testDocker()
      .getImage(image)
      .remove({ force: true })
      .catch(() => undefined);
    await cleanupTestObjects();
  });

  it('reads the VOLUME paths of an image, and none for a listed one', async () => {
    assert.deepEqual((await client.inspectImage(image)).volumes, ['/srv/ledger']);
    assert.ok((await client.listImages()).every((i) => Array.isArray(i.volumes)));
  });

  it('warns on a service of that image that mounts nothing there, not on one that does', async () => {
    const volumes = (await client.inspectImage(image)).volumes;
    const text = `services:\n  books:\n    image: ${image}\n  kept:\n    image: ${image}\n    volumes:\n      - ledger:/srv/ledger\nvolumes:\n  ledger:\n`;
    const problems = composeProblems(
      analyzeCompose(text, { folderName: 'shop' }),
      {
        resolveHostPath: (s) => s,
        exists: () => true,
        imageVolumes: (ref) => (ref === image ? volumes : undefined),
      },
      english,
    );
    assert.deepEqual(
      problems.map((p) => `${p.code}@${text.slice(0, p.range[0]).split('\n').length}`),
      ['statefulWithoutVolume@3'],
    );
    assert.match(problems[0]!.message, /\/srv\/ledger/);
  });
});
