import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { CLI_ACTIONS, backupLine, pruneLines, restoreLines, volumeCreateLine } from '../../src/core/cliActions';
import { cliTargetFor } from '../../src/core/cli';
import { runCliLines, runRequest, type RunDescription } from '../../src/core/mounts';
import { EQUIVALENCE_CASES } from '../daemon/cliEquivalenceCases';

/** The words a POSIX shell makes of a line (no command runs: printf only prints them). */
function words(line: string): string[] {
  return execFileSync('sh', ['-c', `set -- ${line.replace(/^docker /, '')}; printf '%s\\0' "$@"`], { encoding: 'utf8' })
    .split('\0')
    .slice(0, -1);
}

const SRC = path.join(__dirname, '..', '..', '..', 'src');

function sourceFiles(dir = SRC): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(file) : file.endsWith('.ts') ? [file] : [];
  });
}

function lineHits(file: string, pattern: RegExp): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((text, i) =>
      pattern.test(text) && !/^\s*(\/\/|\*)/.test(text) ? [`${path.relative(SRC, file)}:${i + 1}: ${text.trim()}`] : [],
    );
}

function indexesOf(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) found.push(at);
  return found;
}

/** The text between the parenthesis at `open` and its match. */
function callArgument(text: string, open: number): string {
  let depth = 0;
  for (let end = open; end < text.length; end++) {
    if (text[end] === '(') depth++;
    else if (text[end] === ')' && --depth === 0) return text.slice(open + 1, end);
  }
  throw new Error('unbalanced call');
}

function exportedFunctions(file: string): string[] {
  return [...fs.readFileSync(file, 'utf8').matchAll(/^export function (\w+)/gm)].map((m) => m[1]!);
}

/** The function whose result `name` holds: `const name = f(…)`, `const [name …] = f(…)`, `for (const name of f(…))`. */
function assignedFrom(text: string, name: string): string | undefined {
  const m = new RegExp(
    `(?:const|let)\\s+(?:\\[\\s*)?${name}\\b[^;]*?=\\s*(\\w+)\\(|for \\(const ${name} of (\\w+)\\(`,
  ).exec(text);
  return m?.[1] ?? m?.[2];
}

describe('the actions that show a docker line', () => {
  it('each has a cli-equivalence case, and each case an action', () => {
    const missing = CLI_ACTIONS.filter((id) => typeof EQUIVALENCE_CASES[id] !== 'function');
    assert.deepEqual(missing, [], 'actions without an equivalence case');
    assert.deepEqual(
      Object.keys(EQUIVALENCE_CASES).sort(),
      [...CLI_ACTIONS].sort(),
      'cases for actions that are not listed',
    );
    assert.equal(new Set(CLI_ACTIONS).size, CLI_ACTIONS.length);
  });

  it('no docker line is hand-built outside the builders', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts')) {
          fs.readFileSync(file, 'utf8')
            .split('\n')
            .forEach((text, i) => {
              // A template or string literal that starts a docker command, or a log line that is not built.
              if (/^\s*(\/\/|\/\*|\*)/.test(text)) return;
              if (
                /[`'"]docker (run|create|exec|volume|rm|stop|start|container|image) /.test(text) ||
                /log\.cli\(`/.test(text)
              )
                offenders.push(`${file}:${i + 1}: ${text.trim()}`);
            });
        }
      }
    };
    walk(path.join(__dirname, '..', '..', '..', 'src'));
    assert.deepEqual(offenders, []);
  });

  it('builds docker lines only in the builder modules (dockerCli is called nowhere else)', () => {
    const builders = new Set(
      ['cli.ts', 'cliActions.ts', 'mounts.ts', 'backups.ts'].map((f) => path.join(SRC, 'core', f)),
    );
    const outside = sourceFiles()
      .filter((f) => !builders.has(f))
      .flatMap((f) => lineHits(f, /\bdockerCli\(/));
    assert.deepEqual(
      outside,
      [],
      'a docker line built outside src/core/cliActions.ts (add a builder there, with its equivalence case)',
    );
  });

  it('logs only lines that a builder made', () => {
    const builderNames = new Set([
      ...exportedFunctions(path.join(SRC, 'core', 'cliActions.ts')),
      'runCliLines',
      'labCliLines',
    ]);
    const offenders: string[] = [];
    for (const file of sourceFiles()) {
      const text = fs.readFileSync(file, 'utf8');
      for (const at of indexesOf(text, 'log.cli(')) {
        const arg = callArgument(text, at + 'log.cli'.length);
        // Each name the argument uses is a builder's call, or a variable that holds one's result.
        // Call arguments collapsed (`stopLine(c.name, …)` → `stopLine()`), translated text dropped: the names left are
        // the roots.
        let outer = arg;
        for (let prev = ''; prev !== outer;) [prev, outer] = [outer, outer.replace(/\([^()]*\)/g, '…')];
        const roots = [...outer.replace(/vscode\.l10n\.t…/g, '').matchAll(/(?<![.\w])([A-Za-z_]\w*)/g)].map(
          (m) => m[1]!,
        );
        const fromBuilder = (name: string) =>
          builderNames.has(name) || builderNames.has(assignedFrom(text, name) ?? '');
        if (/['"`]\s*docker\b/.test(arg) || !roots.length || !roots.every(fromBuilder))
          offenders.push(`${path.relative(SRC, file)}: log.cli(${arg})`);
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('has an equivalence run for every line builder', () => {
    // Lines that no equivalence case types, and where they are proven instead.
    const elsewhere: Record<string, string> = {
      shellLine: 'test/daemon/labSteps.test.ts types the first-steps shell line in a terminal',
      volumePruneLine:
        'pruneLines builds its prune line with it, and the volume.prune case types that line (the lab button opens Prune Volumes)',
      imagePullLine:
        'nothing can be pulled on the offline test machine; labSteps checks the step with the image present and absent',
    };
    const cases = fs.readFileSync(path.join(SRC, '..', 'test', 'daemon', 'cliEquivalenceCases.ts'), 'utf8');
    const untested = exportedFunctions(path.join(SRC, 'core', 'cliActions.ts')).filter(
      (name) => /Lines?$/.test(name) && !elsewhere[name] && !new RegExp(`\\b${name}\\(`).test(cases),
    );
    assert.deepEqual(untested, []);
  });

  it('every dockerCli call says which daemon (the CliTarget that puts -H for our setting)', () => {
    const untargeted: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts') && !file.endsWith(path.join('core', 'cli.ts'))) {
          const text = fs.readFileSync(file, 'utf8');
          for (let at = text.indexOf('dockerCli('); at >= 0; at = text.indexOf('dockerCli(', at + 1)) {
            // The call's arguments up to its closing parenthesis: a target is a second top-level argument.
            let depth = 0;
            let commas = 0;
            let end = at + 'dockerCli'.length;
            for (; end < text.length; end++) {
              const c = text[end]!;
              if ('([{'.includes(c)) depth++;
              else if (')]}'.includes(c) && --depth === 0) break;
              else if (c === ',' && depth === 1) commas++;
            }
            if (commas === 0) untargeted.push(`${file}: ${text.slice(at, end + 1)}`);
          }
        }
      }
    };
    walk(path.join(__dirname, '..', '..', '..', 'src'));
    assert.deepEqual(untargeted, []);
  });
});

describe('shown lines: quoting and target', () => {
  it('puts -H only for an endpoint our setting chose', () => {
    assert.deepEqual(cliTargetFor({ source: 'setting', host: 'ssh://ada@box', transport: 'ssh' }), {
      hostFlag: 'ssh://ada@box',
      remote: true,
    });
    assert.deepEqual(cliTargetFor({ source: 'setting', host: 'unix:///run/other.sock', transport: 'unix' }), {
      hostFlag: 'unix:///run/other.sock',
    });
    assert.deepEqual(cliTargetFor({ source: 'env', host: 'tcp://x:2375', transport: 'tcp' }), { remote: true });
    assert.deepEqual(cliTargetFor({ source: 'context', host: 'ssh://x', transport: 'ssh' }), { remote: true });
    assert.deepEqual(cliTargetFor({ source: 'default', host: 'unix:///var/run/docker.sock', transport: 'unix' }), {});
    assert.deepEqual(cliTargetFor(undefined), {});
    assert.match(
      backupLine('v', '/b/f.tar.gz', { image: 'busybox' }, { hostFlag: 'tcp://h:2375' }),
      /^docker -H tcp:\/\/h:2375 run --rm /,
    );
  });

  it('streams archives through the CLI for a daemon that may not see the local folder', () => {
    const file = '/home/ada/mes sauvegardes/x $(touch pwned).tar.gz';
    for (const target of [
      { hostFlag: 'ssh://ada@box', remote: true },
      { hostFlag: 'unix:///run/other.sock' },
      { remote: true },
    ]) {
      const backup = backupLine('data', file, { image: 'busybox' }, target);
      assert.ok(backup.endsWith(` tar czf - -C /data . > '/home/ada/mes sauvegardes/x $(touch pwned).tar.gz'`), backup);
      assert.ok(!backup.includes(':/backup'), "no local folder bound on the daemon's host");
      for (const mode of ['new', 'merge', 'replace'] as const) {
        const restore = restoreLines('data', file, mode, { image: 'busybox' }, target, { driver: 'local' }).at(-1)!;
        assert.match(restore, / run --rm -i -v data:\/data busybox /);
        assert.ok(restore.endsWith(` < '/home/ada/mes sauvegardes/x $(touch pwned).tar.gz'`), restore);
        assert.ok(!restore.includes(':/backup'));
      }
    }
    assert.match(
      backupLine('data', file, { image: 'busybox' }, {}),
      /-v '\/home\/ada\/mes sauvegardes:\/backup'/,
      "a local daemon: the course's bind form",
    );
  });

  it('keeps a planted file name one word, outside any script', () => {
    const file = "/srv/mes sauvegardes/x$(touch pwned) 'q'.tar.gz";
    const backup = words(backupLine('data', file, { image: 'busybox', networkMode: 'none' }, {}));
    assert.deepEqual(backup, [
      'run',
      '--rm',
      '--network',
      'none',
      '-v',
      'data:/data:ro',
      '-v',
      '/srv/mes sauvegardes:/backup',
      'busybox',
      'tar',
      'czf',
      "/backup/x$(touch pwned) 'q'.tar.gz",
      '-C',
      '/data',
      '.',
    ]);
    const [replace] = restoreLines('data', file, 'replace', { image: 'busybox' }, {});
    const argv = words(replace!);
    assert.equal(argv.at(-1), "x$(touch pwned) 'q'.tar.gz", "the name is the script's $1");
    assert.ok(!argv.at(-3)!.includes('pwned'), 'the sh -c script does not hold the name');
  });

  it('masks CIFS passwords in volume create', () => {
    const line = volumeCreateLine(
      { name: 'nas', driver: 'local', driverOpts: { type: 'cifs', o: 'addr=nas,username=ada,password=hunter2' } },
      {},
    );
    assert.ok(!line.includes('hunter2'));
    assert.match(line, /password=\*\*\*\*/);
  });

  it('never shows a plain prune for anonymous volumes on an engine whose prune takes named ones too', () => {
    assert.deepEqual(pruneLines('anonymous', false, undefined, ['abc'], {}), { exact: 'docker volume rm abc' });
    assert.equal(pruneLines('anonymous', true, undefined, ['abc'], {}).prune, 'docker volume prune');
    assert.equal(pruneLines('all', true, 'a=b', ['x'], {}).prune, 'docker volume prune --all --filter label=a=b');
    assert.equal(pruneLines('all', false, undefined, ['x'], {}).prune, 'docker volume prune');
  });
});

describe('a run: the lines and the Engine request from one description', () => {
  const run: RunDescription = {
    image: 'busybox',
    name: 'reader',
    mounts: [],
    volumesFrom: ['data-container'],
    start: false,
    networkMode: 'none',
    command: ['ls', '/data'],
  };

  it('passes volumes-from, created-not-started and the network to the Engine', () => {
    assert.deepEqual(runRequest(run, { l: '1' }), {
      image: 'busybox',
      name: 'reader',
      mounts: [],
      labels: { l: '1' },
      volumesFrom: ['data-container'],
      start: false,
      networkMode: 'none',
      command: ['ls', '/data'],
    });
  });

  it('shows them too', () => {
    const { short, long } = runCliLines(run);
    for (const line of [short, long])
      assert.equal(line, 'docker create --name reader --network none --volumes-from data-container busybox ls /data');
  });

  it('writes a --mount value docker reads back as one field per option', () => {
    const { long } = runCliLines({
      image: 'i',
      mounts: [{ type: 'bind', source: '/srv/a,b "c"', target: '/app', readOnly: true }],
    });
    assert.deepEqual(words(long).slice(2, 4), ['--mount', 'type=bind,"src=/srv/a,b ""c""",dst=/app,readonly']);
  });
});
