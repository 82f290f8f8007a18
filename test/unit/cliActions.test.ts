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
  return execFileSync('sh', ['-c', `set -- ${line.replace(/^docker /, '')}; printf '%s\\0' "$@"`], { encoding: 'utf8' }).split('\0').slice(0, -1);
}

describe('the actions that show a docker line', () => {
  it('each has a cli-equivalence case, and each case an action', () => {
    const missing = CLI_ACTIONS.filter(id => typeof EQUIVALENCE_CASES[id] !== 'function');
    assert.deepEqual(missing, [], 'actions without an equivalence case');
    assert.deepEqual(Object.keys(EQUIVALENCE_CASES).sort(), [...CLI_ACTIONS].sort(), 'cases for actions that are not listed');
    assert.equal(new Set(CLI_ACTIONS).size, CLI_ACTIONS.length);
  });

  it('no docker line is hand-built outside the builders', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts')) {
          fs.readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
            // A template or string literal that starts a docker command, or a log line that is not built.
            if (/^\s*(\/\/|\/\*|\*)/.test(text)) return;
            if (/[`'"]docker (run|create|exec|volume|rm|stop|start|container|image) /.test(text) || /log\.cli\(`/.test(text)) offenders.push(`${file}:${i + 1}: ${text.trim()}`);
          });
        }
      }
    };
    walk(path.join(__dirname, '..', '..', '..', 'src'));
    assert.deepEqual(offenders, []);
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
    assert.deepEqual(cliTargetFor({ source: 'setting', host: 'ssh://ada@box', transport: 'ssh' }), { hostFlag: 'ssh://ada@box', remote: true });
    assert.deepEqual(cliTargetFor({ source: 'setting', host: 'unix:///run/other.sock', transport: 'unix' }), { hostFlag: 'unix:///run/other.sock' });
    assert.deepEqual(cliTargetFor({ source: 'env', host: 'tcp://x:2375', transport: 'tcp' }), { remote: true });
    assert.deepEqual(cliTargetFor({ source: 'context', host: 'ssh://x', transport: 'ssh' }), { remote: true });
    assert.deepEqual(cliTargetFor({ source: 'default', host: 'unix:///var/run/docker.sock', transport: 'unix' }), {});
    assert.deepEqual(cliTargetFor(undefined), {});
    assert.match(backupLine('v', '/b/f.tar.gz', { image: 'busybox' }, { hostFlag: 'tcp://h:2375' }), /^docker -H tcp:\/\/h:2375 run --rm /);
  });

  it('streams archives through the CLI for a daemon that may not see the local folder', () => {
    const file = "/home/ada/mes sauvegardes/x $(touch pwned).tar.gz";
    for (const target of [{ hostFlag: 'ssh://ada@box', remote: true }, { hostFlag: 'unix:///run/other.sock' }, { remote: true }]) {
      const backup = backupLine('data', file, { image: 'busybox' }, target);
      assert.ok(backup.endsWith(` tar czf - -C /data . > '/home/ada/mes sauvegardes/x $(touch pwned).tar.gz'`), backup);
      assert.ok(!backup.includes(':/backup'), 'no local folder bound on the daemon\'s host');
      for (const mode of ['new', 'merge', 'replace'] as const) {
        const restore = restoreLines('data', file, mode, { image: 'busybox' }, target, { driver: 'local' }).at(-1)!;
        assert.match(restore, / run --rm -i -v data:\/data busybox /);
        assert.ok(restore.endsWith(` < '/home/ada/mes sauvegardes/x $(touch pwned).tar.gz'`), restore);
        assert.ok(!restore.includes(':/backup'));
      }
    }
    assert.match(backupLine('data', file, { image: 'busybox' }, {}), /-v '\/home\/ada\/mes sauvegardes:\/backup'/, 'a local daemon: the course\'s bind form');
  });

  it('keeps a planted file name one word, outside any script', () => {
    const file = "/srv/mes sauvegardes/x$(touch pwned) 'q'.tar.gz";
    const backup = words(backupLine('data', file, { image: 'busybox', networkMode: 'none' }, {}));
    assert.deepEqual(backup, ['run', '--rm', '--network', 'none', '-v', 'data:/data:ro', '-v', '/srv/mes sauvegardes:/backup', 'busybox', 'tar', 'czf', "/backup/x$(touch pwned) 'q'.tar.gz", '-C', '/data', '.']);
    const [replace] = restoreLines('data', file, 'replace', { image: 'busybox' }, {});
    const argv = words(replace!);
    assert.equal(argv.at(-1), "x$(touch pwned) 'q'.tar.gz", 'the name is the script\'s $1');
    assert.ok(!argv.at(-3)!.includes('pwned'), 'the sh -c script does not hold the name');
  });

  it('masks CIFS passwords in volume create', () => {
    const line = volumeCreateLine({ name: 'nas', driver: 'local', driverOpts: { type: 'cifs', o: 'addr=nas,username=ada,password=hunter2' } }, {});
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
    image: 'busybox', name: 'reader', mounts: [], volumesFrom: ['data-container'], start: false, networkMode: 'none', command: ['ls', '/data'],
  };

  it('passes volumes-from, created-not-started and the network to the Engine', () => {
    assert.deepEqual(runRequest(run, { l: '1' }), {
      image: 'busybox', name: 'reader', mounts: [], labels: { l: '1' }, volumesFrom: ['data-container'], start: false, networkMode: 'none', command: ['ls', '/data'],
    });
  });

  it('shows them too', () => {
    const { short, long } = runCliLines(run);
    for (const line of [short, long]) assert.equal(line, 'docker create --name reader --network none --volumes-from data-container busybox ls /data');
  });

  it('writes a --mount value docker reads back as one field per option', () => {
    const { long } = runCliLines({ image: 'i', mounts: [{ type: 'bind', source: '/srv/a,b "c"', target: '/app', readOnly: true }] });
    assert.deepEqual(words(long).slice(2, 4), ['--mount', 'type=bind,"src=/srv/a,b ""c""",dst=/app,readonly']);
  });
});
