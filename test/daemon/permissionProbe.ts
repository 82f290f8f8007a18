// Run as an unprivileged user by client.test.ts: prints the kind of error our client reports.
import { DockerodeClient } from '../../src/docker/dockerodeClient';
import { parseDockerHost } from '../../src/docker/endpoint';
import { DockerError } from '../../src/docker/errors';

const client = new DockerodeClient({ endpoint: { ...parseDockerHost(process.argv[2]!), source: 'env' } });
client.listVolumes().then(
  () => console.log('reachable'),
  (err: unknown) => console.log(err instanceof DockerError ? err.kind : `other: ${String(err)}`),
);
