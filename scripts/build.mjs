// Bundles the extension with esbuild, and compiles the tests (file by file, no bundling) for mocha.
//   node scripts/build.mjs            -> dist/extension.js (+ out/ for tests)
//   node scripts/build.mjs --minify   -> the same, minified (what the .vsix ships)
//   node scripts/build.mjs --ext-only -> dist/extension.js only
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const args = new Set(process.argv.slice(2));

// dockerode reaches gRPC and protobuf only for BuildKit image builds (`buildImage` with version 2), which
// this extension never does. Replacing those two modules with a stub that throws keeps ~800 KiB out of
// the bundle; every Engine API call we make goes through docker-modem and is unaffected.
const noBuildKit = {
  name: 'no-buildkit',
  setup(build) {
    build.onResolve({ filter: /^\.\/(session|buildkit)$/ }, (a) =>
      /dockerode[\\/]lib$/.test(a.resolveDir) ? { path: a.path, namespace: 'no-buildkit' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'no-buildkit' }, () => ({
      contents:
        "module.exports = function () { throw new Error('BuildKit builds are not included in Docker Volumes Lab'); };",
      loader: 'js',
    }));
  },
};
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

// `import * as vscode from 'vscode'` in each of our modules makes esbuild copy the whole module object
// (every getter of the vscode API or of node:fs) once per importing file, at load time. Routing our imports
// of an external through one `export * from` module copies it once for the whole bundle.
const oneCopyPerExternal = {
  name: 'one-copy-per-external',
  setup(build) {
    build.onResolve({ filter: /^(vscode|node:.+)$/ }, (a) => {
      if (a.namespace === 'external-once') return { path: a.path, external: true };
      if (!a.importer.startsWith(path.join(root, 'src') + path.sep)) return undefined;
      return { path: a.path, namespace: 'external-once' };
    });
    build.onLoad({ filter: /.*/, namespace: 'external-once' }, (a) => ({
      contents: `export * from ${JSON.stringify(a.path)};`,
      loader: 'js',
    }));
  },
};

const bundleOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node16',
  // vscode is provided by the host. ssh2's optional native crypto (`.node`) and cpu-features are left out:
  // ssh2 catches their absence and uses its JavaScript implementation, so ssh:// endpoints keep working.
  external: ['vscode', 'cpu-features', '*.node'],
  logLevel: 'warning',
  plugins: [noBuildKit, oneCopyPerExternal],
};

await esbuild
  .build({
    ...bundleOptions,
    entryPoints: [path.join(root, 'src/extension.ts')],
    outfile: path.join(root, 'dist/extension.js'),
    sourcemap: !args.has('--minify'),
    minify: args.has('--minify'),
    metafile: true,
  })
  .then((result) => {
    const bytes = fs.statSync(path.join(root, 'dist/extension.js')).size;
    console.log(`dist/extension.js ${(bytes / 1024).toFixed(0)} KiB`);
    if (args.has('--meta')) fs.writeFileSync(path.join(root, 'dist/meta.json'), JSON.stringify(result.metafile));
  });

// The compose analysis of big files runs in a worker thread: its own bundle, shipped beside dist/extension.js.
await esbuild.build({
  ...bundleOptions,
  entryPoints: [path.join(root, 'src/workers/composeAnalysis.ts')],
  outfile: path.join(root, 'dist/composeAnalysisWorker.js'),
  sourcemap: !args.has('--minify'),
  minify: args.has('--minify'),
});

if (!args.has('--ext-only')) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(full);
    }
  };
  for (const dir of ['src', 'test', 'bench']) if (fs.existsSync(path.join(root, dir))) walk(path.join(root, dir));
  fs.rmSync(path.join(root, 'out'), { recursive: true, force: true });
  await esbuild.build({
    entryPoints: files,
    outdir: path.join(root, 'out'),
    outbase: root,
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  // The daemon layer bundled exactly as in dist/extension.js, for the test that proves ssh:// works from
  // the bundle (ssh2 without its native module).
  await esbuild.build({
    ...bundleOptions,
    entryPoints: [path.join(root, 'src/docker/dockerodeClient.ts')],
    outfile: path.join(root, 'out/bundle/dockerodeClient.js'),
  });
}
