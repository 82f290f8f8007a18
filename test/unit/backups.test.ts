import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  commentLines,
  backupFileName,
  backupScript,
  backupsToDelete,
  dueForBackup,
  parseBackupFileName,
  scheduleInterval,
} from '../../src/core/backups';

describe('backup files', () => {
  it('names files like the course does, and reads the names back', () => {
    const date = new Date(2026, 10, 25, 9, 5, 7);
    assert.equal(backupFileName('pg_data', date), 'pg_data_20261125_090507.tar.gz');
    assert.deepEqual(parseBackupFileName('pg_data_20261125_090507.tar.gz'), {
      volume: 'pg_data',
      date,
      kind: 'archive',
    });
    assert.equal(parseBackupFileName('notes.txt'), undefined);
    assert.equal(parseBackupFileName('x_2026.tar.gz'), undefined);
  });

  it('never lets a volume name from the daemon leave the backup folder', () => {
    const date = new Date(2026, 10, 25, 9, 5, 7);
    for (const name of ['../../.ssh/authorized_keys', 'a/b', '..', '.hidden', 'a\\b', 'x\0y', ''])
      assert.throws(() => backupFileName(name, date), /cannot name a backup file/, name);
    assert.equal(backupFileName('my.vol-1_x', date, 'dump'), 'my.vol-1_x_20261125_090507.sql.gz');
  });

  it('applies retention per volume by count and by days, never deleting the newest', () => {
    const now = new Date(2026, 10, 25, 12, 0, 0);
    const day = (n: number, volume = 'db') => ({
      volume,
      date: new Date(now.getTime() - n * 24 * 3600 * 1000),
      id: `${volume}-${n}`,
    });
    const backups = [day(0), day(1), day(2), day(8), day(30), day(40, 'web')];
    assert.deepEqual(
      backupsToDelete(backups, { days: 7 }, now).map((b) => b.id),
      ['db-8', 'db-30'],
    );
    assert.deepEqual(
      backupsToDelete(backups, { count: 2 }, now).map((b) => b.id),
      ['db-2', 'db-8', 'db-30'],
    );
    assert.deepEqual(
      backupsToDelete(backups, { count: 3, days: 7 }, now).map((b) => b.id),
      ['db-8', 'db-30'],
    );
    assert.deepEqual(backupsToDelete([day(100)], { days: 7, count: 1 }, now), [], 'the newest stays even when old');
    assert.deepEqual(backupsToDelete(backups, {}, now), []);
  });

  it('ignores future-dated files: a planted 2099 backup pushes no real backup out, and the file just written stays', () => {
    const now = new Date(2026, 10, 25, 12, 0, 0);
    const at = (ms: number, id: string) => ({ volume: 'db', date: new Date(now.getTime() + ms), id });
    const planted = at(73 * 365 * 24 * 3600_000, 'planted-2099');
    const real = [at(0, 'now'), at(-24 * 3600_000, 'yesterday')];
    assert.deepEqual(
      backupsToDelete([planted, ...real], { count: 1 }, now).map((b) => b.id),
      ['yesterday'],
      'the planted file neither counts as the newest nor is deleted',
    );
    assert.deepEqual(backupsToDelete([planted, ...real], { count: 2 }, now), []);
    // A name taken in the same second is dated a few seconds ahead; it is still the one kept.
    const justWritten = at(3_000, 'just-written');
    const older = [at(60_000, 'other-clock'), at(-3600_000, 'hour-ago')];
    assert.deepEqual(
      backupsToDelete([...older, justWritten], { count: 1 }, now, (b) => b.id === 'just-written')
        .map((b) => b.id)
        .sort(),
      ['hour-ago', 'other-clock'],
    );
    const farAheadJustWritten = at(24 * 3600_000, 'ahead');
    assert.deepEqual(
      backupsToDelete([farAheadJustWritten, at(0, 'x')], { count: 1 }, now, (b) => b.id === 'ahead').map((b) => b.id),
      ['x'],
      'the file just written is never deleted, whatever its date',
    );
  });

  it('writes a course-style script that a shell accepts, and a nightly crontab line', () => {
    const { script, crontab } = backupScript(['pg data', 'web'], '/srv/backups', { days: 7, count: 10 });
    assert.match(script, /docker run --rm -v "\$VOLUME":\/data:ro -v "\$BACKUP_DIR":\/backup alpine tar czf/);
    assert.match(script, /for VOLUME in 'pg data' web; do/);
    assert.match(
      script,
      /-maxdepth 1 -type f -name "\$\{VOLUME\}_\$\{STAMP_GLOB\}\.tar\.gz" -mtime \+7 -exec rm -f -- \{\} \+/,
    );
    assert.match(script, /while \[ "\$#" -gt 10 \]; do rm -f -- "\$1"; shift; done/);
    assert.doesNotMatch(script, /\bls\b|xargs/, 'no listing parsed');
    assert.equal(crontab, '0 2 * * * /srv/backups/backup-volumes.sh >> /srv/backups/backup.log 2>&1');
    // cron reads an unescaped % as a line break.
    assert.equal(
      backupScript(['web'], '/srv/100%', {}).crontab,
      '0 2 * * * /srv/100\\%/backup-volumes.sh >> /srv/100\\%/backup.log 2>&1',
    );
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-script-')), 'b.sh');
    fs.writeFileSync(file, script);
    execFileSync('sh', ['-n', file]); // syntax check
  });
});

describe('scheduled backups', () => {
  it('finds the volumes whose newest backup is older than the interval, or that have none', () => {
    const now = new Date(2026, 10, 25, 12, 0, 0);
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600_000);
    const backups = [
      { volume: 'db', date: hoursAgo(30) },
      { volume: 'db', date: hoursAgo(2) },
      { volume: 'web', date: hoursAgo(25) },
    ];
    assert.deepEqual(dueForBackup(['db', 'web', 'new'], backups, 24, now), ['web', 'new']);
    assert.deepEqual(dueForBackup(['db', 'web'], backups, 1, now), ['db', 'web']);
    assert.deepEqual(dueForBackup(['db'], backups, 2, now), ['db'], 'exactly the interval is due');
    assert.deepEqual(
      dueForBackup(['db'], backups, 0, now),
      ['db'],
      'a zero interval is clamped to 15 minutes, not a loop',
    );
    assert.deepEqual(dueForBackup([], backups, 24, now), []);
  });

  it('does not count a future-dated file as a backup taken', () => {
    const now = new Date(2026, 10, 25, 12, 0, 0);
    const backups = [
      { volume: 'db', date: new Date(2099, 0, 1) },
      { volume: 'web', date: new Date(now.getTime() + 60_000) },
    ];
    assert.deepEqual(
      dueForBackup(['db', 'web'], backups, 24, now),
      ['db'],
      'a minute ahead is clock skew; 2099 is not',
    );
  });
});

describe('text written into a shell script as a comment', () => {
  it('stays comments whatever line breaks it holds, when sh runs it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vlab-comment-'));
    const marker = path.join(dir, 'ran');
    const text = `Save as /srv/x\ntouch ${marker} #\rtouch ${marker}\r\ntouch ${marker}`;
    const script = path.join(dir, 'script.sh');
    fs.writeFileSync(script, `${commentLines(text)}\necho done\n`);
    assert.equal(execFileSync('sh', [script], { encoding: 'utf8' }), 'done\n');
    assert.equal(fs.existsSync(marker), false);
    fs.writeFileSync(script, `# ${text}\necho done\n`);
    execFileSync('sh', [script]);
    assert.equal(fs.existsSync(marker), true, 'the check can fail: a plain "# " prefix runs the planted line');
    fs.rmSync(dir, { recursive: true });
  });
});

describe('scheduleInterval', () => {
  it('says whole hours from one hour up, and minutes below', () => {
    assert.deepEqual(scheduleInterval(1), { unit: 'hour', count: 1 });
    assert.deepEqual(scheduleInterval(6), { unit: 'hours', count: 6 });
    assert.deepEqual(scheduleInterval(1.5), { unit: 'hours', count: 1.5 });
    assert.deepEqual(scheduleInterval(0.5), { unit: 'minutes', count: 30 });
    assert.deepEqual(scheduleInterval(0.25), { unit: 'minutes', count: 15 });
    assert.deepEqual(scheduleInterval(0.01), { unit: 'minute', count: 1 });
  });
});
