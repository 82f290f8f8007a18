// Runs inside the real extension host for the benchmarks that need it. BENCH_MODE selects:
//   activate  - how long our activation took (BENCH activate)
//   explorer  - first render of 1,000 volumes + 200 containers vs the bare Engine calls (BENCH tree-1000),
//               and event latency plus API calls while idle (BENCH event-latency)
// Results go to BENCH_RESULT_FILE as JSON.
import * as fs from 'node:fs';
import * as http from 'node:http';
import Docker from 'dockerode';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/constants';
import type { TestApi } from '../../src/extension';

const LABEL = 'volumes-lab.bench';

function socketPath(): string {
  const host = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  if (!host.startsWith('unix://')) throw new Error('the explorer benchmarks need a unix-socket daemon');
  return host.slice('unix://'.length);
}

function bareGet(path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath: socketPath(), path }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      })
      .on('error', reject);
  });
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

async function seed(docker: Docker, volumes: number, containers: number): Promise<void> {
  const image = process.env.VOLUMES_LAB_TEST_IMAGE || 'busybox';
  const have = (await docker.listVolumes({ filters: { label: [LABEL] } })).Volumes?.length ?? 0;
  for (let i = have; i < volumes; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, volumes - i) }, (_, j) =>
        docker.createVolume({ Name: `bench-${String(i + j).padStart(4, '0')}`, Labels: { [LABEL]: '1' } }),
      ),
    );
  }
  const haveContainers = (await docker.listContainers({ all: true, filters: { label: [LABEL] } })).length;
  for (let i = haveContainers; i < containers; i += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, containers - i) }, (_, j) =>
        docker.createContainer({
          name: `bench-c-${String(i + j).padStart(3, '0')}`,
          Image: image,
          Cmd: ['sh'],
          Labels: { [LABEL]: '1' },
          HostConfig: {
            NetworkMode: 'none',
            Mounts: [{ Type: 'volume', Source: `bench-${String((i + j) * 3).padStart(4, '0')}`, Target: '/data' }],
          },
        }),
      ),
    );
  }
}

async function cleanup(docker: Docker): Promise<void> {
  const containers = await docker.listContainers({ all: true, filters: { label: [LABEL] } });
  for (let i = 0; i < containers.length; i += 20) {
    await Promise.all(containers.slice(i, i + 20).map((c) => docker.getContainer(c.Id).remove({ force: true })));
  }
  const volumes = (await docker.listVolumes({ filters: { label: [LABEL] } })).Volumes ?? [];
  for (let i = 0; i < volumes.length; i += 50)
    await Promise.all(volumes.slice(i, i + 50).map((v) => docker.getVolume(v.Name).remove()));
}

async function explorer(api: TestApi): Promise<Record<string, unknown>> {
  const docker = new Docker({ socketPath: socketPath() });
  await seed(docker, 1000, 200);
  const apiVersion = (await api.context.daemon.client.version()).negotiatedApiVersion;
  const tree = api.context.volumesTree;
  const render = async () => {
    const t = now();
    await api.context.model.refresh({ sizes: 'skip' });
    let items = 0;
    for (const top of await tree.getChildren()) {
      items++;
      for (const child of await tree.getChildren(top)) {
        items++;
        tree.getTreeItem(child);
      }
    }
    return { ms: now() - t, items };
  };
  const bare = async () => {
    const t = now();
    await bareGet(`/v${apiVersion}/volumes`);
    await bareGet(`/v${apiVersion}/containers/json?all=1`);
    return now() - t;
  };
  await render();
  await bare(); // warm up
  const ours: number[] = [];
  const baseline: number[] = [];
  let items = 0;
  for (let i = 0; i < 7; i++) {
    const r = await render();
    ours.push(r.ms);
    items = r.items;
    baseline.push(await bare());
  }

  // Event latency: a volume created outside VS Code, until it is in the snapshot.
  const latencies: number[] = [];
  for (let i = 0; i < 5; i++) {
    const name = `bench-live-${Date.now().toString(36)}-${i}`;
    const appeared = new Promise<number>((resolve) => {
      const sub = api.context.model.onDidChange(() => {
        if (api.context.model.row(name)) {
          sub.dispose();
          resolve(now());
        }
      });
    });
    const t = now();
    await docker.createVolume({ Name: name, Labels: { [LABEL]: '1' } });
    latencies.push((await appeared) - t);
  }
  await cleanup(docker);
  await api.context.model.refresh();
  // Idle: once the cleanup's events have been handled (no call for 6 s), nothing happens on the daemon;
  // count our Engine API calls for 30 s.
  let last = api.context.daemon.client.apiCallCount;
  for (let quiet = 0, waited = 0; quiet < 6 && waited < 60; waited++) {
    await new Promise((r) => setTimeout(r, 1_000));
    const count = api.context.daemon.client.apiCallCount;
    quiet = count === last ? quiet + 1 : 0;
    last = count;
  }
  const before = api.context.daemon.client.apiCallCount;
  await new Promise((r) => setTimeout(r, 30_000));
  const idleCalls = api.context.daemon.client.apiCallCount - before;
  return { ours, baseline, items, latencies, idleCalls };
}

export async function run(): Promise<void> {
  const api = await vscode.extensions.getExtension<TestApi>(EXTENSION_ID)!.activate();
  const firstConnectionMs = await api.firstConnection;
  if (api.context.daemon.state.kind !== 'reachable') throw new Error(`daemon ${api.context.daemon.state.kind}`);
  const result =
    process.env.BENCH_MODE === 'explorer' ? await explorer(api) : { activationMs: api.activationMs, firstConnectionMs };
  for (const file of [process.env.EXT_TEST_RESULT_FILE, process.env.BENCH_RESULT_FILE]) {
    if (file) fs.writeFileSync(file, JSON.stringify({ passes: 1, failures: 0, ...result }));
  }
}
