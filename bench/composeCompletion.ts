// BENCH compose-completion: what one completion request costs in a 5,000-line compose file just edited (the
// analysis cache is cold after a keystroke): where the cursor is, the analysis, the candidate list with the live
// state text of each declared volume; against `yaml.parseDocument` of the same text. Goal: ratio ≥ 0.67.
import { parseDocument } from 'yaml';
import { analyzeCompose } from '../src/core/compose';
import { completionSpot } from '../src/core/composeCompletion';
import { topLevelStateText } from '../src/core/hints';
import { generatedCompose } from './composeAnalysis';
import { benchLine, msSince } from './stats';

const english = {
  t: (m: string, ...a: (string | number | boolean)[]) =>
    m.replace(/\{(\d+)\}/g, (_, i: string) => String(a[Number(i)])),
};

function complete(text: string, offset: number): number {
  const spot = completionSpot(text, offset);
  if (spot?.kind !== 'shortField') throw new Error(`not in a volume entry at ${offset}`);
  const analysis = analyzeCompose(text, { folderName: 'bench', vars: { TAG: '1.0' } });
  const states = new Map(
    analysis.topLevel.map((v, i) => [v.daemonName, { exists: true, size: i * 1024, users: [`svc${i}`] }]),
  );
  return analysis.topLevel.map((v) => topLevelStateText(v, states.get(v.daemonName), english)).length;
}

export async function benchComposeCompletion(): Promise<string> {
  const big = generatedCompose();
  // The cursor after `- data` in entries spread over the file, as if the user had just typed it.
  const offsets: number[] = [];
  for (
    let at = big.indexOf('      - data');
    at >= 0 && offsets.length < 8;
    at = big.indexOf('      - data', at + Math.floor(big.length / 10))
  )
    offsets.push(at + '      - data'.length);
  const time = (run: () => unknown, iterations: number) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) run();
    return msSince(start) / iterations;
  };
  const ours: number[] = [];
  const baseline: number[] = [];
  let k = 0;
  const completeOnce = () => complete(big, offsets[k++ % offsets.length]!);
  time(() => parseDocument(big), 3);
  time(completeOnce, 3);
  for (let r = 0; r < 7; r++) {
    baseline.push(time(() => parseDocument(big), 8));
    ours.push(time(completeOnce, 8));
  }
  await Promise.resolve();
  return `${benchLine('compose-completion', 'ms', ours, baseline)} [${big.split('\n').length} lines, ${offsets.length} cursor positions, goal ratio ≥ 0.67]`;
}
