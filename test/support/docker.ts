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
    await Promise.all(
      containers.map((c) =>
        docker
          .getContainer(c.Id)
          .remove({ force: true, v: true })
          .catch(() => undefined),
      ),
    );
  }
  for (const label of [TEST_LABEL, `volumes-lab.module=${TEST_MODULE}`]) {
    const { Volumes } = await docker.listVolumes({ filters: { label: [label] } });
    await Promise.all(
      (Volumes ?? []).map((v) =>
        docker
          .getVolume(v.Name)
          .remove({ force: true })
          .catch(() => undefined),
      ),
    );
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

/** A PostgreSQL image on the test daemon (scripts/make-postgres-image.sh builds one from Debian's packages). */
export const POSTGRES_IMAGE = process.env.VOLUMES_LAB_POSTGRES_IMAGE || '';

/**
 * Starts a database container with `volume` at `dataPath`, labelled for cleanup, and waits until `ready` succeeds in
 * it.
 */
async function startDatabase(
  what: string,
  image: string,
  env: string[],
  volume: string,
  dataPath: string,
  ready: string[],
  name: string,
  labels: Record<string, string> = {},
): Promise<Docker.Container> {
  if (!image)
    throw new Error(`No ${what} test image: run scripts/start-dockerd.sh on a machine with Debian's ${what} packages`);
  const container = await testDocker().createContainer({
    name,
    Image: image,
    Env: env,
    Labels: { ...labels, [TEST_LABEL]: '1' },
    HostConfig: { NetworkMode: 'none', Mounts: [{ Type: 'volume', Source: volume, Target: dataPath }] },
  });
  await container.start();
  for (let i = 0; i < 100; i++) {
    if ((await execIn(container, ready)).exitCode === 0) return container;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} in ${name} did not become ready`);
}

/** A PostgreSQL container with `volume` as its data and a database `shop`. */
export function startPostgres(
  volume: string,
  name = uniqueName('vlab-pg'),
  labels: Record<string, string> = {},
): Promise<Docker.Container> {
  return startDatabase(
    'PostgreSQL',
    POSTGRES_IMAGE,
    ['POSTGRES_DB=shop'],
    volume,
    '/var/lib/postgresql/data',
    ['pg_isready', '-q'],
    name,
    labels,
  );
}

/** Runs a command in a running container (test side), returning its exit code and combined output. */
export async function execIn(
  container: Docker.Container,
  cmd: string[],
): Promise<{ exitCode: number; output: string }> {
  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  const sink = new (await import('node:stream')).PassThrough();
  sink.on('data', (c: Buffer) => chunks.push(c));
  testDocker().modem.demuxStream(stream, sink, sink);
  await new Promise((resolve) => stream.on('end', resolve));
  const { ExitCode } = await exec.inspect();
  return { exitCode: ExitCode ?? -1, output: Buffer.concat(chunks).toString('utf8') };
}

/** One SQL statement through psql in the container; its unaligned output. */
export async function sql(container: Docker.Container, statement: string, database = 'shop'): Promise<string> {
  const { exitCode, output } = await execIn(container, [
    'psql',
    '-U',
    'postgres',
    '-d',
    database,
    '-At',
    '-c',
    statement,
  ]);
  if (exitCode !== 0) throw new Error(`psql failed: ${output}`);
  return output.trim();
}

/** A MariaDB image on the test daemon (scripts/make-mariadb-image.sh builds one from Debian's packages). */
export const MARIADB_IMAGE = process.env.VOLUMES_LAB_MARIADB_IMAGE || '';

/** A MariaDB container with `volume` as its data (root through the socket, no password). */
export function startMariadb(volume: string, name = uniqueName('vlab-mariadb')): Promise<Docker.Container> {
  return startDatabase(
    'MariaDB',
    MARIADB_IMAGE,
    ['MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1'],
    volume,
    '/var/lib/mysql',
    ['mariadb', '-e', 'SELECT 1'],
    name,
  );
}

/** SQL through the mariadb client in the container; its tab-separated output without headers. */
export async function mariadbSql(container: Docker.Container, statement: string): Promise<string> {
  const { exitCode, output } = await execIn(container, ['mariadb', '-N', '-B', '-e', statement]);
  if (exitCode !== 0) throw new Error(`mariadb failed: ${output}`);
  return output.trim();
}

/** Whether the test daemon has a volume of that name. */
export const volumeExists = (name: string): Promise<boolean> =>
  testDocker()
    .getVolume(name)
    .inspect()
    .then(
      () => true,
      () => false,
    );
