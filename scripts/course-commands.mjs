#!/usr/bin/env node
// Course commands: every shell command a walkthrough step shows (English and French Markdown) is run against a
// Docker daemon (DOCKER_HOST), and its exit code, and the result where the step states one, checked.
// Usage: node scripts/course-commands.mjs [--json] [--verbose] [--lang en|fr] [--module <walkthrough>] [--step <walkthrough/step>]
// (a step alone lacks what the steps before it made); exit 1 on a failure.
//
// A command that cannot run here is marked in the Markdown source, in an HTML comment before its code block,
// with a reason; marked commands are counted. Directives (one comment each, all apply to the next code block):
//   <!-- course-commands: mark all: REASON -->            every line of the block is marked
//   <!-- course-commands: mark `PREFIX`: REASON -->       lines that start with PREFIX are marked
//   <!-- course-commands: expect `PREFIX`: /RE/ -->       exit 0 and output matching RE
//   <!-- course-commands: expect `PREFIX`: fails, /RE/ --> a non-zero exit and output matching RE
//   <!-- course-commands: follow `PREFIX`: 5s, /RE/ -->   a command that never ends: stopped after 5 s, output must match
//   <!-- course-commands: given: COMMAND -->              setup run before the block (must succeed, not counted)
//   <!-- course-commands: env NAME=VALUE … -->            variables the block's lines expect
//   <!-- course-commands: with <placeholder>=VALUE -->    text the reader replaces (e.g. <container_id>=box-1)
//   <!-- course-commands: inside -->                      the block's first line opens a shell in a container
//                                                         (`-it`); the lines after it are typed into that shell
// Blocks in ```powershell / ```cmd are Windows lines: counted as marked.
//
// Stand-ins (this daemon cannot pull): the `docker` the lines run is a shim that rewrites the image of
// `docker run` / `docker create` by the table STAND_INS below, then calls the real docker:
//   - busybox (VOLUMES_LAB_TEST_IMAGE, with every applet linked and `bash` = busybox sh) for alpine, ubuntu,
//     python, nginx, redis, php, fluent-bit, hello-world and the images the course builds or names as examples;
//     images whose real command is a server get `sleep 3600` when the line gives no command, and run detached
//     if the line runs them in the foreground (a learner's terminal stays busy until Ctrl+C);
//   - VOLUMES_LAB_POSTGRES_IMAGE for postgres, VOLUMES_LAB_MARIADB_IMAGE for mysql / mariadb; after
//     `docker run -d` of one, the shim waits until the server answers, as a learner typing the next line does;
//   - `-t` is dropped when the check has no terminal (`-it` keeps `-i`, with empty input: the shell exits at once);
//   - example host paths (/home/user/…, /chemin/…, /path/…) become folders of the scratch directory.
// The lines run with bash in a scratch directory whose path holds a space, so an unquoted $(pwd) fails here as it
// does for a learner whose folder name has one. Containers, volumes and networks a module's lines create are
// removed after that module. English and French lines that are the same text in the same step (trailing comments
// aside) run once: the French pass counts the English result, and only French lines of their own run again.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const PREFIX = 'course-commands:';

// --- What the steps show --------------------------------------------------------------------------------------

/** Parses one step's Markdown into code blocks with the directives written before each. */
export function parseSteps(markdown) {
  const blocks = [];
  let pending = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const comment = /^\s*<!--\s*course-commands:\s*([\s\S]*?)\s*-->\s*$/.exec(lines[i]);
    if (comment) {
      pending.push(parseDirective(comment[1]));
      continue;
    }
    const fence = /^```(\w*)\s*$/.exec(lines[i]);
    if (!fence) continue;
    const body = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    const lang = fence[1];
    if (['sh', 'bash', 'shell', 'powershell', 'ps1', 'cmd'].includes(lang))
      blocks.push({ lang, commands: commandLines(body.join('\n')), directives: pending });
    pending = [];
  }
  return blocks;
}

/** Shell lines of a block: `\` continuations joined, blank and comment-only lines left out. */
export function commandLines(text) {
  return text
    .replace(/\s*\\\r?\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

export function parseDirective(text) {
  let m;
  if ((m = /^mark\s+all\s*:\s*(.+)$/s.exec(text))) return { kind: 'mark', prefix: '', reason: m[1].trim() };
  if ((m = /^mark\s+`([^`]+)`\s*:\s*(.+)$/s.exec(text))) return { kind: 'mark', prefix: m[1], reason: m[2].trim() };
  if ((m = /^expect\s+`([^`]+)`\s*:\s*(fails\s*,\s*)?\/(.+)\/(\w*)\s*$/s.exec(text)))
    return { kind: 'expect', prefix: m[1], fails: Boolean(m[2]), output: new RegExp(m[3], m[4]) };
  if ((m = /^follow\s+`([^`]+)`\s*:\s*(\d+)s\s*,\s*\/(.+)\/(\w*)\s*$/s.exec(text)))
    return { kind: 'follow', prefix: m[1], seconds: Number(m[2]), output: new RegExp(m[3], m[4]) };
  if ((m = /^given\s*:\s*(.+)$/s.exec(text))) return { kind: 'given', command: m[1].trim() };
  if ((m = /^env\s+(.+)$/s.exec(text)))
    return {
      kind: 'env',
      vars: Object.fromEntries(
        m[1]
          .trim()
          .split(/\s+/)
          .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      ),
    };
  if ((m = /^with\s+(<[^>]+>)=(.+?)\s*$/s.exec(text))) return { kind: 'with', placeholder: m[1], value: m[2] };
  if (/^inside\s*$/.test(text)) return { kind: 'inside' };
  throw new Error(`unknown ${PREFIX} directive: ${text}`);
}

/** Every step with Markdown media, in manifest order, with its English and French blocks. */
export function stepBlocks() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const steps = [];
  for (const w of pkg.contributes.walkthroughs ?? []) {
    for (const step of w.steps) {
      const md = step.media?.markdown;
      if (!md) continue;
      const fr = md.replace(/\.md$/, '.nls.fr.md');
      steps.push({
        module: w.id,
        id: `${w.id}/${step.id}`,
        langs: {
          en: parseSteps(fs.readFileSync(path.join(root, md), 'utf8')),
          fr: fs.existsSync(path.join(root, fr)) ? parseSteps(fs.readFileSync(path.join(root, fr), 'utf8')) : [],
        },
        files: { en: md, fr },
      });
    }
  }
  return steps;
}

// --- Stand-ins ----------------------------------------------------------------------------------------------

/** Public image (repository, no tag) → stand-in kind; `server` images run until stopped. */
export const STAND_INS = {
  alpine: 'shell',
  ubuntu: 'shell',
  python: 'shell',
  busybox: 'shell',
  nginx: 'server',
  redis: 'server',
  php: 'server',
  'fluent/fluent-bit': 'server',
  'hello-world': 'hello',
  postgres: 'postgres',
  mysql: 'mariadb',
  mariadb: 'mariadb',
  // Images the course builds (needs the network) or names as placeholders.
  'my-streamlit-app': 'server',
  'mon-app': 'server',
  'mon-application': 'server',
  'my-image': 'shell',
  image: 'shell',
  'my-container': 'server',
  'my-container-1': 'server',
  'my-container-2': 'server',
};

const RUN_VALUE_FLAGS = new Set([
  '-v',
  '--volume',
  '-e',
  '--env',
  '-p',
  '--publish',
  '--name',
  '--mount',
  '--tmpfs',
  '--link',
  '--volumes-from',
  '-w',
  '--workdir',
  '--network',
  '--net',
  '--entrypoint',
  '-u',
  '--user',
  '--env-file',
  '-l',
  '--label',
  '--restart',
  '-m',
  '--memory',
  '--health-cmd',
  '--hostname',
  '-h',
  '--add-host',
  '--cap-add',
  '--cap-drop',
  '--security-opt',
  '--log-driver',
  '--platform',
  '--pull',
  '--ulimit',
]);

const repoOf = (image) =>
  image
    .replace(/@.*$/, '')
    .replace(/:[^/]*$/, '')
    .replace(/^docker\.io\//, '')
    .replace(/^library\//, '');

/**
 * Rewrites `docker run|create …` for this daemon. Returns the new argument list and what the shim must do after.
 * Pure: the stand-in image names come in `images`.
 */
export function rewriteRun(args, { images, scratch, tty }) {
  let i = args[0] === 'container' ? 2 : 1;
  const verb = args[i - 1];
  const out = args.slice(0, i);
  let detached = false;
  for (; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('-')) break;
    if (a === '-d' || a === '--detach') detached = true;
    if (/^-[a-z]+$/.test(a) && a.length > 2 && !RUN_VALUE_FLAGS.has(a)) {
      if (a.includes('d')) detached = true;
      out.push(tty ? a : a.replace('t', ''));
      continue;
    }
    if (a === '-t' || a === '--tty') {
      if (tty) out.push(a);
      continue;
    }
    if (RUN_VALUE_FLAGS.has(a) && i + 1 < args.length) {
      let value = args[++i];
      if (a === '-v' || a === '--volume')
        value = value.replace(/^(\/home\/user|\/chemin|\/path)(?=\/)/, (m) => path.join(scratch, 'host', m.slice(1)));
      out.push(a, value);
      continue;
    }
    out.push(a);
  }
  const image = args[i];
  const command = args.slice(i + 1);
  const kind = image === undefined ? undefined : STAND_INS[repoOf(image)];
  if (!kind) return { args, after: undefined };
  const labelled = [...out, '--label', 'volumes-lab.course-commands=1'];
  if (kind === 'postgres')
    return { args: [...labelled, images.postgres, ...command], after: detached ? 'postgres' : undefined };
  if (kind === 'mariadb')
    return { args: [...labelled, images.mariadb, ...command], after: detached ? 'mariadb' : undefined };
  if (kind === 'hello') return { args: [...labelled, images.shell, 'echo', 'Hello from Docker!'], after: undefined };
  if (kind === 'server' && command.length === 0) {
    const detach = detached || verb === 'create' ? [] : ['-d'];
    return { args: [...labelled, ...detach, images.shell, 'sleep', '3600'], after: undefined };
  }
  return { args: [...labelled, images.shell, ...command], after: undefined };
}

/** `docker exec -it …` without a terminal: `-t` dropped from the options before the container name. */
export function dropTty(args) {
  const out = [];
  let i = args[0] === 'container' ? 2 : 1;
  out.push(...args.slice(0, i));
  for (; i < args.length && args[i].startsWith('-'); i++) {
    const a = args[i];
    if (['-e', '--env', '-u', '--user', '-w', '--workdir', '--env-file'].includes(a)) {
      out.push(a, args[++i]);
      continue;
    }
    if (a === '-t' || a === '--tty') continue;
    out.push(/^-[a-z]+$/.test(a) ? a.replace('t', '') : a);
  }
  return [...out, ...args.slice(i)];
}

// --- The shim ---------------------------------------------------------------------------------------------

function shimMain() {
  const real = process.env.COURSE_COMMANDS_REAL_DOCKER;
  const args = process.argv.slice(3);
  const images = JSON.parse(process.env.COURSE_COMMANDS_IMAGES);
  const tty = process.stdin.isTTY === true;
  let rewritten = { args, after: undefined };
  const verb = args[0] === 'container' ? args[1] : args[0];
  if (verb === 'run' || verb === 'create')
    rewritten = rewriteRun(args, { images, scratch: process.env.COURSE_COMMANDS_SCRATCH, tty });
  if (verb === 'exec' && !tty) rewritten = { args: dropTty(args), after: undefined };
  if (process.env.COURSE_COMMANDS_TRACE)
    fs.appendFileSync(process.env.COURSE_COMMANDS_TRACE, `docker ${rewritten.args.join(' ')}\n`);
  if (!rewritten.after) {
    const r = spawnSync(real, rewritten.args, { stdio: 'inherit' });
    process.exit(r.status ?? 1);
  }
  const r = spawnSync(real, rewritten.args, { stdio: ['inherit', 'pipe', 'inherit'], encoding: 'utf8' });
  process.stdout.write(r.stdout ?? '');
  if (r.status !== 0) process.exit(r.status ?? 1);
  const id = (r.stdout ?? '').trim().split('\n').pop();
  const probe = rewritten.after === 'postgres' ? ['pg_isready', '-q'] : ['mysql', '-u', 'root', '-e', 'SELECT 1'];
  for (let t = 0; t < 60; t++) {
    if (spawnSync(real, ['exec', id, ...probe], { stdio: 'ignore' }).status === 0) process.exit(0);
    spawnSync('sleep', ['0.5']);
  }
  process.stderr.write(`course-commands: the ${rewritten.after} stand-in did not answer in 30 s\n`);
  process.exit(1);
}

// --- Running --------------------------------------------------------------------------------------------

function docker(args, opts = {}) {
  return spawnSync('docker', args, { encoding: 'utf8', ...opts });
}

/** busybox with every applet linked and `bash` as busybox sh, made once from the test image. */
function ensureShellImage(testImage) {
  const image = 'volumes-lab/course-standin:test';
  if (docker(['image', 'inspect', image]).status === 0) return image;
  const name = `course-standin-${process.pid}`;
  const made = docker([
    'run',
    '--name',
    name,
    '--entrypoint',
    '/bin/busybox',
    testImage,
    'sh',
    '-c',
    'for a in $(busybox --list); do [ -e /bin/$a ] || ln -s busybox /bin/$a; done; printf \'#!/bin/sh\\nexec sh "$@"\\n\' > /bin/bash; chmod 755 /bin/bash',
  ]);
  if (made.status !== 0) throw new Error(`cannot make the stand-in image: ${made.stderr}`);
  const committed = docker(['commit', '--change', 'CMD ["sh"]', '--change', 'ENV PATH=/bin', name, image]);
  docker(['rm', '-f', name]);
  if (committed.status !== 0) throw new Error(`cannot commit the stand-in image: ${committed.stderr}`);
  return image;
}

function snapshot() {
  const list = (args) => new Set(docker(args).stdout.split('\n').filter(Boolean));
  return {
    containers: list(['ps', '-aq', '--no-trunc']),
    volumes: list(['volume', 'ls', '-q']),
    networks: list(['network', 'ls', '-q', '--no-trunc']),
  };
}

function cleanUpSince(before) {
  const now = snapshot();
  const fresh = (key) => [...now[key]].filter((x) => !before[key].has(x));
  if (fresh('containers').length) docker(['rm', '-f', '-v', ...fresh('containers')]);
  const volumes = [...snapshot().volumes].filter((v) => !before.volumes.has(v));
  if (volumes.length) docker(['volume', 'rm', '-f', ...volumes]);
  if (fresh('networks').length) docker(['network', 'rm', ...fresh('networks')]);
}

function runShell(line, { cwd, env, timeoutSeconds, input }) {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', line], {
      cwd,
      env,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    if (input !== undefined) child.stdin.end(input);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }, timeoutSeconds * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output, timedOut });
    });
  });
}

const matches = (line, prefix) => line.startsWith(prefix);
const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs one language's lines of one step. Returns one row per command. */
async function runBlocks(step, lang, blocks, ctx, memo) {
  const rows = [];
  for (const [blockIndex, block] of blocks.entries()) {
    const d = block.directives;
    const env = { ...ctx.env, ...Object.assign({}, ...d.filter((x) => x.kind === 'env').map((x) => x.vars)) };
    const subst = (line) =>
      d.filter((x) => x.kind === 'with').reduce((l, x) => l.split(x.placeholder).join(x.value), line);
    if (['powershell', 'ps1', 'cmd'].includes(block.lang)) {
      for (const command of block.commands)
        rows.push({ step: step.id, lang, command, status: 'marked', reason: 'a Windows shell line' });
      continue;
    }
    for (const given of d.filter((x) => x.kind === 'given')) {
      const r = await runShell(given.command, { cwd: ctx.cwd, env, timeoutSeconds: 60 });
      if (r.code !== 0)
        rows.push({
          step: step.id,
          lang,
          command: `(given) ${given.command}`,
          status: 'failed',
          reason: `setup failed (${r.code}): ${r.output.trim().slice(-400)}`,
        });
    }
    if (d.some((x) => x.kind === 'inside')) {
      // The first line opens a shell in a container; the lines after it are typed into that shell.
      const [opener, ...typed] = block.commands;
      const expect = d.find((x) => x.kind === 'expect' && matches(opener, x.prefix));
      const r = await runShell(subst(opener), {
        cwd: ctx.cwd,
        env,
        timeoutSeconds: 60,
        input: `${typed.map(subst).join('\n')}\n`,
      });
      let failure = r.code !== 0 ? `exit ${r.code}` : undefined;
      if (!failure && expect && !expect.output.test(r.output)) failure = `output does not match ${expect.output}`;
      for (const command of block.commands)
        rows.push({
          step: step.id,
          lang,
          command,
          status: failure ? 'failed' : 'run',
          reason: failure ? `${failure}: ${r.output.trim().slice(-400)}` : undefined,
        });
      continue;
    }
    for (const [lineIndex, command] of block.commands.entries()) {
      const mark = d.find((x) => x.kind === 'mark' && matches(command, x.prefix));
      if (mark) {
        rows.push({ step: step.id, lang, command, status: 'marked', reason: mark.reason });
        continue;
      }
      // A trailing comment is the only part a translation changes; bash ignores it.
      const key = `${step.id}\n${blockIndex}.${lineIndex}\n${command.replace(/\s+#\s[^'"`]*$/, '')}\n${JSON.stringify(
        d.filter((x) => x.kind !== 'mark'),
        (k, v) => (v instanceof RegExp ? String(v) : v),
      )}`;
      if (memo.has(key)) {
        rows.push({ ...memo.get(key), lang, same: true });
        continue;
      }
      const expect = d.find((x) => x.kind === 'expect' && matches(command, x.prefix));
      const follow = d.find((x) => x.kind === 'follow' && matches(command, x.prefix));
      const r = await runShell(subst(command), { cwd: ctx.cwd, env, timeoutSeconds: follow ? follow.seconds : 120 });
      let failure;
      if (follow)
        failure = follow.output.test(r.output)
          ? undefined
          : `no output matching ${follow.output} in ${follow.seconds} s`;
      else if (r.timedOut) failure = 'still running after 120 s';
      else if (expect?.fails) failure = r.code === 0 ? 'exit 0, but the step says it fails' : undefined;
      else if (r.code !== 0) failure = `exit ${r.code}`;
      if (!failure && expect && !expect.output.test(r.output)) failure = `output does not match ${expect.output}`;
      const row = {
        step: step.id,
        lang,
        command,
        status: failure ? 'failed' : 'run',
        reason: failure ? `${failure}: ${r.output.trim().slice(-400)}` : undefined,
      };
      memo.set(key, row);
      rows.push(row);
    }
  }
  return rows;
}

/** Runs every step's commands; `DOCKER_HOST` and the VOLUMES_LAB_*_IMAGE variables say where and with what. */
export async function runAll({ langs = ['en', 'fr'], only, module: onlyModule, log = () => {} } = {}) {
  const testImage = process.env.VOLUMES_LAB_TEST_IMAGE ?? 'busybox';
  const images = {
    shell: ensureShellImage(testImage),
    postgres: process.env.VOLUMES_LAB_POSTGRES_IMAGE ?? 'postgres',
    mariadb: process.env.VOLUMES_LAB_MARIADB_IMAGE ?? 'mariadb',
  };
  const realDocker = spawnSync('bash', ['-c', 'command -v docker'], { encoding: 'utf8' }).stdout.trim();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'course commands '));
  const shimDir = path.join(scratch, 'bin');
  fs.mkdirSync(shimDir);
  fs.writeFileSync(
    path.join(shimDir, 'docker'),
    `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(new URL(import.meta.url).pathname)} --shim "$@"\n`,
    { mode: 0o755 },
  );
  const env = {
    ...process.env,
    PATH: `${shimDir}:${process.env.PATH}`,
    COURSE_COMMANDS_REAL_DOCKER: realDocker,
    COURSE_COMMANDS_IMAGES: JSON.stringify(images),
    COURSE_COMMANDS_SCRATCH: scratch,
  };
  const rows = [];
  const memo = new Map();
  try {
    const steps = stepBlocks().filter((s) => (!only || s.id === only) && (!onlyModule || s.module === onlyModule));
    for (const lang of langs) {
      const modules = [...new Set(steps.map((s) => s.module))];
      for (const module of modules) {
        const before = snapshot();
        const cwd = path.join(scratch, `${lang} ${module}`);
        fs.mkdirSync(cwd, { recursive: true });
        for (const step of steps.filter((s) => s.module === module)) {
          const stepRows = await runBlocks(step, lang, step.langs[lang], { cwd, env, images }, memo);
          for (const r of stepRows) log(r);
          rows.push(...stepRows);
        }
        cleanUpSince(before);
      }
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const count = (status) => rows.filter((r) => r.status === status).length;
  return {
    rows,
    run: count('run'),
    marked: count('marked'),
    failed: count('failed'),
    summary: `course-commands: ${count('run')} run, ${count('marked')} marked, ${count('failed')} failed`,
  };
}

if (process.argv[2] === '--shim') shimMain();
else if (import.meta.url === `file://${process.argv[1]}`) {
  const { values: opt } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      lang: { type: 'string' },
      step: { type: 'string' },
      module: { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const icon = { run: '✔', marked: '·', failed: '✖' };
  const result = await runAll({
    langs: opt.lang ? [opt.lang] : undefined,
    only: opt.step,
    module: opt.module,
    log: (r) => {
      if (!opt.json && (opt.verbose || r.status === 'failed'))
        console.log(`${icon[r.status]} [${r.lang}] ${r.step}: ${r.command}${r.reason ? `\n    ${r.reason}` : ''}`);
    },
  });
  if (opt.json) console.log(JSON.stringify(result, (k, v) => (v instanceof RegExp ? String(v) : v), 2));
  console.log(result.summary);
  process.exit(result.failed ? 1 : 0);
}
