// BENCH list-1000: listing 1,000 volumes through our client (request, parse, map to our types) against a
// bare `GET /volumes` on the same daemon (request and JSON.parse only).
import * as http from 'node:http';
import Docker from 'dockerode';
import { DockerodeClient } from '../src/docker/dockerodeClient';
import { parseDockerHost } from '../src/docker/endpoint';
import { benchLine, msSince, repeat } from './stats';

const COUNT = 1000;
const LABEL = 'volumes-lab.bench';
const endpoint = {
  ...parseDockerHost(process.env.DOCKER_HOST || 'unix:///var/run/docker.sock'),
  source: 'env' as const,
};

function bareGet(path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: endpoint.socketPath, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', reject);
    req.end();
  });
}

export async function benchListVolumes(): Promise<string> {
  if (endpoint.transport !== 'unix') throw new Error('list-1000 needs a unix-socket daemon');
  const docker = new Docker({ socketPath: endpoint.socketPath! });
  const existing = await docker.listVolumes({ filters: { label: [LABEL] } });
  for (let i = existing.Volumes?.length ?? 0; i < COUNT; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, COUNT - i) }, (_, j) =>
        docker.createVolume({
          Name: `bench-${String(i + j).padStart(4, '0')}-${Date.now().toString(36)}`,
          Labels: { [LABEL]: '1' },
        }),
      ),
    );
  }
  const client = new DockerodeClient({ endpoint });
  const info = await client.version();
  const path = `/v${info.negotiatedApiVersion}/volumes`;
  for (let i = 0; i < 2; i++) {
    await client.listVolumes();
    await bareGet(path);
  } // warm up
  const ours: number[] = [];
  const baseline: number[] = [];
  // Interleaved, so that machine noise hits both sides alike.
  for (let i = 0; i < 7; i++) {
    ours.push(
      ...(await repeat(1, async () => {
        const t = process.hrtime.bigint();
        await client.listVolumes();
        return msSince(t);
      })),
    );
    baseline.push(
      ...(await repeat(1, async () => {
        const t = process.hrtime.bigint();
        await bareGet(path);
        return msSince(t);
      })),
    );
  }
  const { Volumes } = await docker.listVolumes({ filters: { label: [LABEL] } });
  await Promise.all(
    (Volumes ?? []).map((v) =>
      docker
        .getVolume(v.Name)
        .remove()
        .catch(() => undefined),
    ),
  );
  return benchLine('list-1000', 'ms', ours, baseline);
}
