import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dockerCli, shellQuote, volumeCreateArgs } from '../../src/core/cli';

describe('shellQuote', () => {
  it('leaves safe words bare', () => {
    assert.equal(shellQuote('my-data_1.0'), 'my-data_1.0');
    assert.equal(shellQuote('/var/lib/postgresql/data'), '/var/lib/postgresql/data');
  });

  it('quotes anything a shell would split or expand, and the shell gives back the original', () => {
    for (const arg of [
      '',
      'my data',
      "it's",
      '$(rm -rf /)',
      'a;b',
      'é à',
      '"q"',
      'back\\slash',
      '*',
      '~/x',
      'new\nline',
    ]) {
      const echoed = execFileSync('sh', ['-c', `printf '%s' ${shellQuote(arg)}`], { encoding: 'utf8' });
      assert.equal(echoed, arg, `round trip of ${JSON.stringify(arg)}`);
    }
  });
});

describe('dockerCli', () => {
  it('builds a readable docker line', () => {
    assert.equal(dockerCli(['volume', 'ls']), 'docker volume ls');
    assert.equal(dockerCli(['volume', 'create', 'my data']), "docker volume create 'my data'");
    assert.equal(dockerCli(['volume', 'ls'], { hostFlag: 'tcp://box:2375' }), 'docker -H tcp://box:2375 volume ls');
  });

  it('spells volume create with driver, options and labels', () => {
    assert.deepEqual(
      volumeCreateArgs({
        name: 'db',
        driver: 'local',
        driverOpts: { type: 'nfs', o: 'addr=10.0.0.1,rw' },
        labels: { app: 'web' },
      }),
      ['volume', 'create', '--opt', 'type=nfs', '--opt', 'o=addr=10.0.0.1,rw', '--label', 'app=web', 'db'],
    );
    assert.deepEqual(volumeCreateArgs({ driver: 'rexray' }), ['volume', 'create', '--driver', 'rexray']);
  });
});
