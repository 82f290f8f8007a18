// Test-side access to the real daemon the tests run against, independent of the code under test.
import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';

/** The image the tests create containers from: a local busybox here, `busybox` on a user's machine. */
export const TEST_IMAGE = process.env.VOLUMES_LAB_TEST_IMAGE || 'busybox';
/** Every object a test makes carries this label, so a failed run can be cleaned up precisely. */
export const TEST_LABEL = 'volumes-lab.test';

export function testDocker(): Docker {
  return new Docker(); // docker-modem reads DOCKER_HOST itself, else the default socket
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** What the extension creates in tests carries `volumes-lab.module=<this>` (the commands' `module` option). */
export const TEST_MODULE = 'tests';

/** Removes every container and volume labelled by the tests, or made by the extension for them. */
export async function cleanupTestObjects(docker = testDocker()): Promise<void> {
  for (const label of [TEST_LABEL, `volumes-lab.module=${TEST_MODULE}`]) {
    const containers = await docker.listContainers({ all: true, filters: { label: [label] } });
    // v: their anonymous volumes go with them.
    await Promise.all(containers.map(c => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  }
  for (const label of [TEST_LABEL, `volumes-lab.module=${TEST_MODULE}`]) {
    const { Volumes } = await docker.listVolumes({ filters: { label: [label] } });
    await Promise.all((Volumes ?? []).map(v => docker.getVolume(v.Name).remove({ force: true }).catch(() => undefined)));
  }
}

/** A created (never started) container that mounts `volume` at `/data`. */
export async function containerUsing(volume: string, name = uniqueName('vlab-user')): Promise<Docker.Container> {
  return testDocker().createContainer({
    name,
    Image: TEST_IMAGE,
    Cmd: ['sh'],
    Labels: { [TEST_LABEL]: '1' },
    HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }] },
  });
}

/** Runs `sh -c script` in a throwaway container with `volume` at /data, and waits for it to exit 0. */
export async function runWithVolume(volume: string, script: string): Promise<void> {
  const docker = testDocker();
  const container = await docker.createContainer({
    Image: TEST_IMAGE,
    Cmd: ['sh', '-c', script],
    Labels: { [TEST_LABEL]: '1' },
    HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: volume, Target: '/data' }] },
  });
  try {
    await container.start();
    const result = (await container.wait()) as { StatusCode: number };
    if (result.StatusCode !== 0) throw new Error(`"${script}" exited ${result.StatusCode}`);
  } finally {
    await container.remove({ force: true });
  }
}
