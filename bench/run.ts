// `npm run bench`: every benchmark, one BENCH line each. Pick some with BENCH_ONLY="list-1000 activate".
import { benchActivate } from './activate';
import { benchBackup } from './backup';
import { benchBundleLoad } from './bundleLoad';
import { benchComposeAnalysis } from './composeAnalysis';
import { benchComposeCompletion } from './composeCompletion';
import { benchExplorer } from './explorer';
import { benchListVolumes } from './listVolumes';

const benches: Record<string, () => Promise<string>> = {
  'bundle-load': benchBundleLoad,
  activate: benchActivate,
  'list-1000': benchListVolumes,
  'tree-1000': benchExplorer,
  backup: benchBackup,
  'compose-analysis': benchComposeAnalysis,
  'compose-completion': benchComposeCompletion,
};

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(/\s+/).filter(Boolean);
  for (const [name, bench] of Object.entries(benches)) {
    if (only && !only.includes(name)) continue;
    try {
      console.log(await bench());
    } catch (err) {
      console.log(`BENCH ${name} failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
      process.exitCode = 1;
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
