import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(__dirname, '../../..');

interface Block {
  lang: string;
  commands: string[];
  directives: { kind: string; prefix?: string; reason?: string }[];
}
interface Mod {
  parseSteps: (markdown: string) => Block[];
  rewriteRun: (
    args: string[],
    o: { images: Record<string, string>; scratch: string; tty: boolean },
  ) => { args: string[]; after?: string };
  dropTty: (args: string[]) => string[];
  stepBlocks: () => { id: string; langs: Record<string, Block[]> }[];
}
const load = async () => import(pathToFileURL(path.join(root, 'scripts/course-commands.mjs')).href) as Promise<Mod>;
const images = { shell: 'standin', postgres: 'pg', mariadb: 'maria' };

describe('course commands: reading the steps and the stand-ins', () => {
  it('reads shell blocks with the directives written before them, joining continued lines', async () => {
    const { parseSteps } = await load();
    const blocks = parseSteps(
      [
        '<!-- course-commands: mark `docker build`: needs the network -->',
        '```sh',
        'docker build -t x .',
        'docker run \\',
        '  -d alpine',
        '# a comment',
        '```',
        'text',
        '```text',
        'output',
        '```',
        '```powershell',
        'docker run -v "${PWD}:/app" alpine',
        '```',
      ].join('\n'),
    );
    assert.equal(blocks.length, 2);
    assert.deepEqual(blocks[0]!.commands, ['docker build -t x .', 'docker run -d alpine']);
    assert.deepEqual(blocks[0]!.directives, [{ kind: 'mark', prefix: 'docker build', reason: 'needs the network' }]);
    assert.equal(blocks[1]!.lang, 'powershell');
    assert.throws(
      () => parseSteps('<!-- course-commands: skip everything -->\n```sh\nls\n```'),
      /unknown course-commands: directive/,
    );
  });

  it('puts the stand-in image in place of the public one, and keeps the command and options', async () => {
    const { rewriteRun } = await load();
    const o = { images, scratch: '/s', tty: false };
    assert.deepEqual(rewriteRun(['run', '-it', '--name', 'alpine', 'alpine', 'echo', 'alpine'], o).args, [
      'run',
      '-i',
      '--name',
      'alpine',
      '--label',
      'volumes-lab.course-commands=1',
      'standin',
      'echo',
      'alpine',
    ]);
    assert.deepEqual(rewriteRun(['container', 'run', '-d', '-e', 'A=1', 'postgres:13'], o), {
      args: ['container', 'run', '-d', '-e', 'A=1', '--label', 'volumes-lab.course-commands=1', 'pg'],
      after: 'postgres',
    });
    // A server image in the foreground: detached, with a command that keeps it running.
    assert.deepEqual(rewriteRun(['run', '-v', 'v:/d', 'nginx'], o).args, [
      'run',
      '-v',
      'v:/d',
      '--label',
      'volumes-lab.course-commands=1',
      '-d',
      'standin',
      'sleep',
      '3600',
    ]);
    assert.deepEqual(rewriteRun(['run', '-v', '/home/user/code:/app', 'python:3.9-slim'], o).args.slice(1, 3), [
      '-v',
      '/s/host/home/user/code:/app',
    ]);
    assert.deepEqual(rewriteRun(['run', 'some/unknown-image'], o).args, ['run', 'some/unknown-image']);
  });

  it('drops -t from docker exec options only', async () => {
    const { dropTty } = await load();
    assert.deepEqual(dropTty(['exec', '-it', 'pg', 'psql', '-At', '-c', 'x']), [
      'exec',
      '-i',
      'pg',
      'psql',
      '-At',
      '-c',
      'x',
    ]);
  });

  it('finds blocks in every module, in both languages', async () => {
    const { stepBlocks } = await load();
    const steps = stepBlocks();
    assert.ok(steps.length > 30);
    for (const s of steps)
      assert.equal(s.langs.en!.length, s.langs.fr!.length, `${s.id}: English and French show different blocks`);
  });
});
