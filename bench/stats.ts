/** Shared helpers of the benchmarks: repeat, take min and median, print one BENCH line. */

export async function repeat(times: number, run: () => Promise<number> | number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) samples.push(await run());
  return samples;
}

export function minMedian(samples: number[]): { min: number; median: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median };
}

/**
 * `BENCH <name> ours=<median><unit> baseline=<median><unit> ratio=<baseline/ours>` plus the minimums;
 * a ratio above 1 means we are faster.
 */
export function benchLine(name: string, unit: string, ours: number[], baseline: number[]): string {
  const o = minMedian(ours);
  const b = minMedian(baseline);
  const f = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(2));
  return (
    `BENCH ${name} ours=${f(o.median)}${unit} baseline=${f(b.median)}${unit} ratio=${(b.median / o.median).toFixed(2)}` +
    ` (min ours=${f(o.min)}${unit} baseline=${f(b.min)}${unit}, n=${ours.length})`
  );
}

/**
 * ` floor=<median>ms of-floor=<ours/floor>`: the least this machine needs for the same data in the same run
 * (the Engine's own archive work, no compression, no file), so that a figure says how close it comes to
 * what the machine allows; 1.00 is the floor itself.
 */
export function floorSuffix(ours: number[], floor: number[]): string {
  const o = minMedian(ours);
  const fl = minMedian(floor);
  return ` floor=${fl.median.toFixed(0)}ms of-floor=${(o.median / fl.median).toFixed(2)} (min floor=${fl.min.toFixed(0)}ms)`;
}

export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
