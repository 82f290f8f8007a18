// BENCH tree-1000: first render of the Volumes view (listing + grouping + every volume's tree item) with
// 1,000 volumes and 200 containers, against the bare Engine calls that carry the same information
// (GET /volumes then GET /containers/json?all=1), in the same extension host, sizes excluded.
// BENCH event-latency: a volume created outside VS Code, until it is in the view's snapshot (goal < 1 s),
// and the Engine API calls made during 30 s of idle (goal 0).
import { runInExtensionHost } from './hostRun';
import { benchLine, minMedian } from './stats';

export function benchExplorer(): Promise<string> {
  const r = runInExtensionHost<{
    ours: number[];
    baseline: number[];
    items: number;
    latencies: number[];
    idleCalls: number;
  }>('explorer', 600);
  const latency = minMedian(r.latencies);
  return Promise.resolve(
    [
      `${benchLine('tree-1000', 'ms', r.ours, r.baseline)} [${r.items} tree items]`,
      `BENCH event-latency ours=${latency.median.toFixed(0)}ms goal<1000ms (min ${latency.min.toFixed(0)}ms, n=${r.latencies.length}) idle-api-calls-30s=${r.idleCalls}`,
    ].join('\n'),
  );
}
