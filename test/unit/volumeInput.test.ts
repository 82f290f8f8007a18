import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { volumeMountSnippets } from '../../src/core/cli';
import { checkVolumeName } from '../../src/core/naming';
import {
  cifsDriverOptions,
  maskSecrets,
  maskedExcerpt,
  maskSecretsInText,
  nfsDriverOptions,
  parseShare,
  redactValues,
  secretValues,
} from '../../src/core/networkVolumes';

describe('checkVolumeName (Docker: [a-zA-Z0-9][a-zA-Z0-9_.-]+)', () => {
  it('accepts valid names', () => {
    for (const ok of ['db', 'my-data', 'pg_16.data', 'A1', '0cache']) assert.equal(checkVolumeName(ok), undefined, ok);
  });
  it('says what is wrong', () => {
    assert.deepEqual(checkVolumeName(''), { problem: 'empty' });
    assert.deepEqual(checkVolumeName('a'), { problem: 'tooShort' });
    assert.deepEqual(checkVolumeName('-data'), { problem: 'badStart' });
    assert.deepEqual(checkVolumeName('_data'), { problem: 'badStart' });
    assert.deepEqual(checkVolumeName('my data'), { problem: 'badCharacter', character: ' ' });
    assert.deepEqual(checkVolumeName('données'), { problem: 'badCharacter', character: 'é' });
    assert.deepEqual(checkVolumeName('db', ['web', 'db']), { problem: 'exists' });
  });
});

describe('network volume options', () => {
  it('maps NFS to the local driver options', () => {
    assert.deepEqual(nfsDriverOptions({ server: '10.0.0.5', exportPath: '/srv/share', options: 'rw,nfsvers=4' }), {
      type: 'nfs',
      o: 'addr=10.0.0.5,rw,nfsvers=4',
      device: ':/srv/share',
    });
    assert.deepEqual(nfsDriverOptions({ server: 'nas', exportPath: 'exports/a' }), {
      type: 'nfs',
      o: 'addr=nas,rw',
      device: ':/exports/a',
    });
  });
  it('maps CIFS shares, with credentials in o', () => {
    assert.deepEqual(
      cifsDriverOptions({ share: '//files/team', user: 'ada', password: 's3cret', options: 'vers=3.0' }),
      { type: 'cifs', device: '//files/team', o: 'addr=files,username=ada,password=s3cret,vers=3.0' },
    );
    assert.deepEqual(parseShare('\\\\files\\team\\sub'), { server: 'files', path: 'team/sub' });
    assert.equal(parseShare('files/team'), undefined);
    assert.throws(() => cifsDriverOptions({ share: 'nope' }), /not a share/);
  });
  it('masks passwords for logs and CLI lines', () => {
    assert.deepEqual(maskSecrets({ type: 'cifs', o: 'addr=f,username=ada,password=s3cret,vers=3.0' }), {
      type: 'cifs',
      o: 'addr=f,username=ada,password=****,vers=3.0',
    });
    assert.deepEqual(maskSecrets({ password: 'x', o: 'password=y' }), { password: '****', o: 'password=****' });
    // The kernel's CIFS client also takes password2= (the next password, for key rotation).
    assert.deepEqual(maskSecrets({ o: 'addr=f,password2=n3xt,vers=3.0' }), { o: 'addr=f,password2=****,vers=3.0' });
  });
  it('keeps a password with commas whole: doubled for the kernel, and masked whole', () => {
    const options = cifsDriverOptions({ share: '//files/team', user: 'ada', password: 'a,b,,c', options: 'vers=3.0' });
    assert.equal(options.o, 'addr=files,username=ada,password=a,,b,,,,c,vers=3.0');
    assert.deepEqual(maskSecrets(options), {
      type: 'cifs',
      device: '//files/team',
      o: 'addr=files,username=ada,password=****,vers=3.0',
    });
    assert.deepEqual(maskSecrets({ o: 'pass=x,,y,uid=1', 'secret-key': 'k', apiToken: 't', device: '//s/x' }), {
      o: 'pass=****,uid=1',
      'secret-key': '****',
      apiToken: '****',
      device: '//s/x',
    });
    assert.doesNotMatch(JSON.stringify(maskSecrets(options)), /[bc],/);
  });
});

describe('volumeMountSnippets', () => {
  it('gives -v, --mount and compose forms', () => {
    const s = volumeMountSnippets('pgdata', '/var/lib/postgresql/data', true);
    assert.equal(s.short, '-v pgdata:/var/lib/postgresql/data:ro');
    assert.equal(s.long, '--mount type=volume,src=pgdata,dst=/var/lib/postgresql/data,readonly');
    assert.match(s.compose, /- pgdata:\/var\/lib\/postgresql\/data:ro\nvolumes:\n {2}pgdata:\n {4}external: true/);
  });

  it('quotes the compose entry when YAML would misread it', () => {
    for (const [name, target] of [
      ['my data', '/var/lib/données #1'],
      ['x', '/a: b'],
      ['1e3', "/it's"],
      ['v', '/[x]'],
    ] as const) {
      const parsed = parse(volumeMountSnippets(name, target).compose) as {
        services: { app: { volumes: string[] } };
        volumes: Record<string, unknown>;
      };
      assert.deepEqual(parsed.services.app.volumes, [`${name}:${target}`]);
      assert.deepEqual(Object.keys(parsed.volumes), [name]);
    }
  });
});

describe('secrets in free text', () => {
  it('masks what the daemon echoes of mount options, environment assignments and URL passwords', () => {
    const daemon =
      "error while mounting volume '/v/_data': failed to mount local volume: mount //127.0.0.1/team:/v/_data, data: addr=127.0.0.1,username=ada,password=s3cr,,et,vers=3.0: no such device";
    assert.equal(
      maskSecretsInText(daemon),
      "error while mounting volume '/v/_data': failed to mount local volume: mount //127.0.0.1/team:/v/_data, data: addr=127.0.0.1,username=ada,password=****,vers=3.0: no such device",
    );
    assert.equal(
      maskSecretsInText('docker run -e POSTGRES_PASSWORD=example -e PGDATA=/x postgres'),
      'docker run -e POSTGRES_PASSWORD=**** -e PGDATA=/x postgres',
    );
    assert.equal(
      maskSecretsInText('{"Env":["MYSQL_ROOT_PASSWORD=hunter2","A=b"]}'),
      '{"Env":["MYSQL_ROOT_PASSWORD=****","A=b"]}',
    );
    assert.equal(
      maskSecretsInText('ssh://ada:pw123@host:22 and https://u:tok@reg.example/v2'),
      'ssh://ada:****@host:22 and https://u:****@reg.example/v2',
    );
    assert.equal(maskSecretsInText('API_TOKEN: abc123'), 'API_TOKEN: ****');
    // Values with blanks, doubled commas in quotes, and a quote inside: masked whole.
    assert.equal(
      maskSecretsInText('data: addr=h,username=u,password=my secret pass,vers=3.0: no such device'),
      'data: addr=h,username=u,password=****,vers=3.0: no such device',
    );
    assert.equal(maskSecretsInText('o: password="quoted,,pw" next'), 'o: password=**** next');
    // Read as an option list: to the next single comma (here the end), a quote inside included.
    assert.equal(maskSecretsInText("password=ab'cd and more"), 'password=****');
    assert.equal(maskSecretsInText("run -e 'DB_PASSWORD=x y' img"), "run -e 'DB_PASSWORD=****' img");
    // The first option of a list, a mount's -o, escaped quotes, a JSON member, a URL password holding "@".
    assert.equal(maskSecretsInText('o=password=my secret,vers=3'), 'o=password=****,vers=3');
    assert.equal(maskSecretsInText('mount -o password=a b,vers=3 //h/s'), 'mount -o password=****,vers=3 //h/s');
    assert.equal(maskSecretsInText('token: "a \\"x\\" b" next'), 'token: **** next');
    assert.equal(maskSecretsInText('{"password": "s3cr3t", "user": "ada"}'), '{"password": "****", "user": "ada"}');
    assert.equal(maskSecretsInText('smb://u:pa@ss@host/share'), 'smb://u:****@host/share');
    assert.equal(
      maskSecretsInText('volume data → /var/lib/postgresql/data (ro)'),
      'volume data → /var/lib/postgresql/data (ro)',
      'ordinary text untouched',
    );
  });

  it('cuts long shown text with an ellipsis, masking a secret that straddles the cut', () => {
    assert.equal(maskedExcerpt('DB_PASSWORD=hunter2 ok', 100), 'DB_PASSWORD=**** ok');
    const cut = maskedExcerpt(`${'x'.repeat(90)} password=${'q'.repeat(200)}`, 100);
    assert.equal(cut.length, 100);
    assert.ok(cut.endsWith('…') && !cut.includes('q'), cut);
    // Masking shortens the text under the limit, but its end was never read: it still says it goes on.
    const long = `DB_PASSWORD=${'p'.repeat(5000)} end`;
    assert.equal(maskedExcerpt(long, 100), 'DB_PASSWORD=****…');
    assert.ok(redactValues(`bind ${'/a'.repeat(2000)}`, []).length <= 512);
    assert.equal(maskedExcerpt(`${'é'.repeat(8)}😀`, 9), `${'é'.repeat(8)}…`, 'never half an emoji');
    // A quoted assignment whose closing quote lies past what is read: the whole read part of the value is masked.
    for (const quote of ["'", '"']) {
      const quoted = `command: ${quote}DB_PASSWORD=correct horse battery staple ${'w '.repeat(400)}${quote}`;
      assert.equal(maskedExcerpt(quoted, 100), `command: ${quote}DB_PASSWORD=****…`);
    }
  });

  it('redacts the values of secret-named variables wherever they were interpolated', () => {
    const secrets = secretValues({
      DB_PASSWORD: 'hunter2',
      API_TOKEN: 'abcd1234',
      PATH: '/usr/bin',
      SHORT_PASS: 'ab',
      EMPTY_SECRET: undefined,
    });
    assert.deepEqual(secrets.sort(), ['abcd1234', 'hunter2']);
    assert.equal(
      redactValues('volume hunter2 → /data: kept by Docker as app_hunter2', secrets),
      'volume **** → /data: kept by Docker as app_****',
    );
    assert.equal(redactValues('bind /usr/bin → /x', secrets), 'bind /usr/bin → /x');
  });
});
