/**
 * Where src/core disagrees today with the expectations of composeCorpusPublic.expected.ts, case by case: the
 * defects real compose files show. The default tests skip exactly these cases; the known-gaps test asserts the
 * code still disagrees, so fixing one fails it, and the fix deletes its row here.
 */

/**
 * What a known gap is about: an entry's kind, the daemon volume an entry mounts, a problem, the stateful warning,
 * or the line an entry's lens shows (a tmpfs size as people write it; a Docker socket bind not called code reload).
 */
export type GapAspect = 'kind' | 'entryDaemonName' | 'problem' | 'statefulWarning' | 'tmpfsSizeText' | 'socketHint';

export interface KnownGap {
  file: string;
  service: string;
  /** The entry's target (entry aspects); absent for problem and statefulWarning. */
  target?: string;
  aspect: GapAspect;
  /** What the specification says (a problem as `code@line`). The gap test asserts the code still says something else. */
  expected: string;
  why: string;
}

const statefulGap = (file: string, service: string, imageLine: number): KnownGap => ({
  file, service, aspect: 'statefulWarning', expected: `a problem on line ${imageLine}`,
  why: 'a stateful image with nothing mounted at its data path loses its data on down/recreate; nothing warns yet',
});

const jitsi = 'jitsi--docker-jitsi-meet/docker-compose.yaml';
const jitsiTmpfsGaps = (service: string): KnownGap[] => ['/run', '/tmp'].map(target => ({
  file: jitsi, service, target, aspect: 'tmpfsSizeText', expected: '16 MiB',
  why: 'written size=16M (16 MiB); the lens shows it in decimal units (16.8 MB)',
}));
const socketHintGap = (file: string, service: string, target: string): KnownGap => ({
  file, service, target, aspect: 'socketHint', expected: 'not called a code-reload bind',
  why: 'every bind is described as "host files, live in the container (code reload)", the Docker socket too',
});
const jitsiKindGap = (service: string, target: string): KnownGap => ({
  file: jitsi, service, target, aspect: 'kind', expected: 'bind',
  why: 'a source that still holds ${VAR} but contains "/" is a host path (a volume name has no "/"); read as a named volume',
});

/** Each case once; the known-gaps test runs one test per row. */
export const KNOWN_GAPS: KnownGap[] = [
  jitsiKindGap('web', '/config'),
  jitsiKindGap('web', '/storage'),
  jitsiKindGap('web', '/usr/share/jitsi-meet/transcripts'),
  jitsiKindGap('web', '/usr/share/jitsi-meet/load-test'),
  jitsiKindGap('prosody', '/config'),
  jitsiKindGap('prosody', '/prosody-plugins-custom'),
  jitsiKindGap('prosody', '/var/lib/prosody'),
  jitsiKindGap('jicofo', '/config'),
  jitsiKindGap('jvb', '/config'),
  {
    file: 'docker--compose/pkg-e2e-fixtures-volume-test-compose.yaml', service: 'nginx2', target: '/usr/share/nginx/test',
    aspect: 'entryDaemonName', expected: 'myVolume', why: 'the declaration sets name: myVolume; the entry still says <project>_otherVol',
  },
  {
    file: 'docker--compose/pkg-e2e-testdata-TestUpSwitchVolumes-compose.yaml', service: 'app', target: '/my_vol',
    aspect: 'entryDaemonName', expected: 'switched_vol', why: 'external with name: ${EXTERNAL_VOLUME}; the entry still says <project>_my_vol',
  },
  {
    file: 'temporalio--docker-compose/docker-compose-tls.yaml', service: 'elasticsearch', target: '/usr/share/elasticsearch/config/certs',
    aspect: 'entryDaemonName', expected: 'temporal_tls_pki', why: 'external: true keeps the key as the name; the entry still says <project>_temporal_tls_pki',
  },
  {
    file: 'temporalio--docker-compose/docker-compose-tls.yaml', service: 'postgresql', target: '/pki',
    aspect: 'entryDaemonName', expected: 'temporal_tls_pki', why: 'external: true keeps the key as the name; the entry still says <project>_temporal_tls_pki',
  },
  {
    file: 'sixeyed--docker-on-windows/ch06-ch06-docker-compose-external-docker-compose.yaml', service: 'elasticsearch', target: 'C:\\data',
    aspect: 'entryDaemonName', expected: 'nerd-dinner-elasticsearch-data', why: 'external: { name: … }; the entry still says <project>_es-data',
  },
  {
    file: 'sixeyed--docker-on-windows/ch06-ch06-docker-compose-external-docker-compose.yaml', service: 'nerd-dinner-db', target: 'C:\\data',
    aspect: 'entryDaemonName', expected: 'nerd-dinner-database-data', why: 'external: { name: … }; the entry still says <project>_db-data',
  },
  {
    file: 'sixeyed--docker-on-windows/ch06-ch06-docker-compose-external-docker-compose.yaml', service: 'reverse-proxy', aspect: 'problem', expected: 'dockerSocketBind@26',
    why: 'an npipe mount of \\\\.\\pipe\\docker_engine is the Docker socket of Windows; only binds are checked',
  },
  statefulGap('open-telemetry--opentelemetry-demo/compose.yaml', 'astronomy-db', 771),
  ...['web', 'prosody', 'jicofo', 'jvb'].flatMap(jitsiTmpfsGaps),
  socketHintGap('deviantony--docker-elk/extensions-metricbeat-metricbeat-compose.yaml', 'metricbeat', '/var/run/docker.sock'),
  socketHintGap('devcontainers--templates/src-docker-outside-of-docker-compose-.devcontainer-docker-compose.yaml', 'app', '/var/run/docker-host.sock'),
  socketHintGap('louislam--dockge/compose.yaml', 'dockge', '/var/run/docker.sock'),
  socketHintGap('open-telemetry--opentelemetry-demo/compose.yaml', 'otel-collector', '/var/run/docker.sock'),
  statefulGap('getredash--redash/compose.yaml', 'redis', 53),
  statefulGap('getredash--redash/compose.yaml', 'postgres', 56),
  statefulGap('docker-library--docs/postgres-compose.yaml', 'db', 6),
  statefulGap('docker-library--docs/mysql-compose.yaml', 'db', 6),
  statefulGap('docker-library--docs/mongo-compose.yaml', 'mongo', 3),
  statefulGap('temporalio--docker-compose/docker-compose.yaml', 'elasticsearch', 13),
  statefulGap('temporalio--docker-compose/docker-compose-tls.yaml', 'elasticsearch', 22),
  statefulGap('dockersamples--example-voting-app/docker-compose.yaml', 'redis', 55),
];
