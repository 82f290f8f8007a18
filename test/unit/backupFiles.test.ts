import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileReplacing } from '../../src/docker/streams';

describe('writing a backup manifest', () => {
  it('replaces a link planted at its name instead of writing through it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-manifest-'));
    const victim = path.join(dir, 'victim.txt');
    fs.writeFileSync(victim, 'the user file\n');
    const folder = path.join(dir, 'backups');
    fs.mkdirSync(folder);
    const archive = path.join(folder, 'data_20261130_120000.tar.gz');
    fs.writeFileSync(archive, 'archive bytes');
    fs.symlinkSync(victim, `${archive}.json`);
    // What a backup does with its manifest (flows/backupFiles.ts).
    writeFileReplacing(`${archive}.json`, `${JSON.stringify({ volume: 'data' })}\n`);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'the user file\n');
    assert.equal(fs.lstatSync(`${archive}.json`).isSymbolicLink(), false);
    assert.equal((JSON.parse(fs.readFileSync(`${archive}.json`, 'utf8')) as { volume: string }).volume, 'data');
    assert.deepEqual(fs.readdirSync(folder).sort(), [
      'data_20261130_120000.tar.gz',
      'data_20261130_120000.tar.gz.json',
    ]);
    fs.rmSync(dir, { recursive: true });
  });
});
