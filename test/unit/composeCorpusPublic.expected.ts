/**
 * What Docker Compose v2 makes of each file of `test/fixtures/compose-public/`, written down by reading the files
 * against the Compose specification (not by copying what our analysis prints). Read with these rules:
 * - project name: `name:` if the file sets it, else the upstream folder the file lives in, normalised (lowercase,
 *   only [a-z0-9_-], no leading `_`/`-`) — compose-go's NormalizeProjectName;
 * - a top-level volume is `<project>_<key>` on the daemon, its `name:` when set, its key when `external: true`
 *   without a name;
 * - a short-syntax source is a host path when it starts with `.`, `/`, `~`, `\\` or a drive letter, after
 *   interpolation (so `${CONFIG}/web` is a bind whatever CONFIG holds: a volume name cannot contain `/`);
 * - variables: an empty environment (no `.env` beside the file) unless `vars` says otherwise; a variable with no
 *   value stays as written and is listed as unresolved, as the extension cannot know the user's shell;
 * - problems: those of `composeProblems` (src/core/hints.ts) with every bind source existing and no daemon, so
 *   only what the file itself says counts: undeclared / unused volumes, sensitive host paths (the system roots
 *   of src/core/mounts.ts), the Docker socket, anonymous volumes. Lines are 1-based, where the entry starts;
 * - stateful: a service whose image keeps its data at a known path (src/core/statefulImages.ts: postgres, mysql,
 * mariadb, mongo, redis,
 *   elasticsearch, rabbitmq, wordpress, nextcloud, gitea) and mounts nothing there deserves a warning on its
 *   `image:` line (issue "stateful services without a volume").
 */
import type { ComposeProblem } from '../../src/core/hints';
import type { EntryKind } from '../../src/core/compose';

export interface ExpectedEntry {
  service: string;
  kind: EntryKind;
  /** Volume key or host path as the entry names it; absent for anonymous volumes and tmpfs. */
  source?: string;
  target: string;
  readOnly?: boolean;
  tmpfsSize?: number;
  unresolved?: string[];
}

export interface ExpectedFile {
  /** Path under test/fixtures/compose-public. */
  file: string;
  /** The folder the file lives in upstream (the default project name). */
  folder: string;
  vars?: Record<string, string>;
  /** A `.env` stored beside the file (as upstream), read the way the extension reads it. */
  dotEnv?: string;
  project: string;
  /** Top-level volume key → its name on the daemon. */
  volumes: Record<string, string>;
  external?: string[];
  entries: ExpectedEntry[];
  problems: { code: ComposeProblem['code']; line: number }[];
  /** Services that keep data at their image's data path without a mount there, with their `image:` line. */
  stateful?: { service: string; imageLine: number }[];
}

const MiB = 1024 * 1024;
const bind = (service: string, source: string, target: string, readOnly = false): ExpectedEntry => ({
  service,
  kind: 'bind',
  source,
  target,
  readOnly,
});
const named = (service: string, source: string, target: string, readOnly = false): ExpectedEntry => ({
  service,
  kind: 'named',
  source,
  target,
  readOnly,
});
const anonymous = (service: string, target: string): ExpectedEntry => ({
  service,
  kind: 'anonymous',
  target,
  readOnly: false,
});
const tmpfs = (service: string, target: string, tmpfsSize?: number): ExpectedEntry => ({
  service,
  kind: 'tmpfs',
  target,
  readOnly: false,
  ...(tmpfsSize ? { tmpfsSize } : {}),
});
const each = (services: string[], make: (service: string) => ExpectedEntry[]): ExpectedEntry[] =>
  services.flatMap(make);
const prefixed = (project: string, keys: string[]): Record<string, string> =>
  Object.fromEntries(keys.map((k) => [k, `${project}_${k}`]));
const jitsiBind = (service: string, source: string, target: string, readOnly = false): ExpectedEntry => ({
  ...bind(service, source, target, readOnly),
  unresolved: ['CONFIG'],
});
const jitsiTmpfs = (service: string): ExpectedEntry[] => [
  tmpfs(service, '/run', 16 * MiB),
  tmpfs(service, '/tmp', 16 * MiB),
];

export const EXPECTED: ExpectedFile[] = [
  {
    file: 'deviantony--docker-elk/docker-compose.yaml',
    folder: 'docker-elk',
    project: 'docker-elk',
    volumes: { elasticsearch: 'docker-elk_elasticsearch' },
    entries: [
      bind('setup', './setup/entrypoint.sh', '/entrypoint.sh', true),
      bind('setup', './setup/lib.sh', '/lib.sh', true),
      bind('setup', './setup/roles', '/roles', true),
      bind(
        'elasticsearch',
        './elasticsearch/config/elasticsearch.yml',
        '/usr/share/elasticsearch/config/elasticsearch.yml',
        true,
      ),
      named('elasticsearch', 'elasticsearch', '/usr/share/elasticsearch/data'),
      bind('logstash', './logstash/config/logstash.yml', '/usr/share/logstash/config/logstash.yml', true),
      bind('logstash', './logstash/pipeline', '/usr/share/logstash/pipeline', true),
      bind('kibana', './kibana/config/kibana.yml', '/usr/share/kibana/config/kibana.yml', true),
    ],
    problems: [],
  },
  {
    // Read alone, as the editor reads it (upstream adds it with `-f` to the root file, which makes the project
    // docker-elk; no named volume here, so no daemon name depends on it).
    file: 'deviantony--docker-elk/extensions-metricbeat-metricbeat-compose.yaml',
    folder: 'metricbeat',
    project: 'metricbeat',
    volumes: {},
    entries: [
      bind('metricbeat', './extensions/metricbeat/config/metricbeat.yml', '/usr/share/metricbeat/metricbeat.yml', true),
      bind('metricbeat', '/', '/hostfs', true),
      bind('metricbeat', '/sys/fs/cgroup', '/hostfs/sys/fs/cgroup', true),
      bind('metricbeat', '/proc', '/hostfs/proc', true),
      bind('metricbeat', '/var/run/docker.sock', '/var/run/docker.sock', true),
    ],
    // A read-only socket still lets the container drive Docker: the warning stays.
    problems: [
      { code: 'sensitiveBind', line: 29 },
      { code: 'sensitiveBind', line: 37 },
      { code: 'dockerSocketBind', line: 41 },
    ],
  },
  {
    file: 'netbox-community--netbox-docker/docker-compose.yaml',
    folder: 'netbox-docker',
    project: 'netbox-docker',
    volumes: prefixed('netbox-docker', [
      'netbox-media-files',
      'netbox-postgres-data',
      'netbox-redis-cache-data',
      'netbox-redis-data',
      'netbox-reports-files',
      'netbox-scripts-files',
    ]),
    // netbox-worker and netbox-housekeeping take netbox's volumes through `<<: *netbox`.
    entries: [
      ...each(['netbox', 'netbox-worker', 'netbox-housekeeping'], (s) => [
        bind(s, './configuration', '/etc/netbox/config', true),
        named(s, 'netbox-media-files', '/opt/netbox/netbox/media'),
        named(s, 'netbox-reports-files', '/opt/netbox/netbox/reports'),
        named(s, 'netbox-scripts-files', '/opt/netbox/netbox/scripts'),
      ]),
      named('postgres', 'netbox-postgres-data', '/var/lib/postgresql/data'),
      named('redis', 'netbox-redis-data', '/data'),
      named('redis-cache', 'netbox-redis-cache-data', '/data'),
    ],
    problems: [],
  },
  {
    file: 'getredash--redash/compose.yaml',
    folder: 'redash',
    project: 'redash',
    volumes: {},
    // The three app services take `.:/app` from the x-redash-service extension field.
    entries: each(['server', 'scheduler', 'worker'], (s) => [bind(s, '.', '/app')]),
    problems: [],
    stateful: [
      { service: 'redis', imageLine: 53 },
      { service: 'postgres', imageLine: 56 },
    ],
  },
  {
    file: 'docker--compose/pkg-e2e-fixtures-volume-test-compose.yaml',
    folder: 'volume-test',
    project: 'volume-test',
    volumes: { staticVol: 'volume-test_staticVol', otherVol: 'myVolume' },
    entries: [
      bind('nginx', './static', '/usr/share/nginx/html'),
      named('nginx2', 'staticVol', '/usr/share/nginx/html', true),
      anonymous('nginx2', '/usr/src/app/node_modules'),
      named('nginx2', 'otherVol', '/usr/share/nginx/test'),
    ],
    problems: [{ code: 'anonymousVolume', line: 13 }],
  },
  {
    file: 'docker--compose/pkg-e2e-fixtures-project-volume-bind-test-docker-compose.yaml',
    folder: 'project-volume-bind-test',
    project: 'project-volume-bind-test',
    volumes: { 'project-data': 'project-volume-bind-test_project-data' },
    entries: [named('frontend', 'project-data', '/data')],
    problems: [],
  },
  {
    file: 'docker--compose/pkg-e2e-testdata-TestUpSwitchVolumes-compose.yaml',
    folder: 'TestUpSwitchVolumes',
    project: 'testupswitchvolumes',
    vars: { EXTERNAL_VOLUME: 'switched_vol' },
    volumes: { my_vol: 'switched_vol' },
    external: ['my_vol'],
    entries: [named('app', 'my_vol', '/my_vol')],
    problems: [],
  },
  {
    // `docker compose up` in .devcontainer (the Dev Containers CLI passes its own project name instead).
    file: 'devcontainers--templates/src-postgres-.devcontainer-docker-compose.yaml',
    folder: '.devcontainer',
    project: 'devcontainer',
    volumes: { 'postgres-data': 'devcontainer_postgres-data' },
    // postgres:latest (18+) keeps its data under /var/lib/postgresql: the volume is at the right place.
    entries: [bind('app', '../..', '/workspaces'), named('db', 'postgres-data', '/var/lib/postgresql')],
    problems: [],
  },
  {
    file: 'devcontainers--templates/src-docker-outside-of-docker-compose-.devcontainer-docker-compose.yaml',
    folder: '.devcontainer',
    project: 'devcontainer',
    volumes: {},
    entries: [bind('app', '/var/run/docker.sock', '/var/run/docker-host.sock'), bind('app', '../..', '/workspaces')],
    problems: [{ code: 'dockerSocketBind', line: 11 }],
  },
  {
    file: 'devcontainers--templates/src-javascript-node-mongo-.devcontainer-docker-compose.yaml',
    folder: '.devcontainer',
    project: 'devcontainer',
    volumes: { 'mongodb-data': 'devcontainer_mongodb-data' },
    entries: [bind('app', '../..', '/workspaces'), named('db', 'mongodb-data', '/data/db')],
    problems: [],
  },
  {
    file: 'devcontainers--templates/src-php-mariadb-.devcontainer-docker-compose.yaml',
    folder: '.devcontainer',
    project: 'devcontainer',
    volumes: { 'mariadb-data': 'devcontainer_mariadb-data' },
    entries: [bind('app', '../..', '/workspaces'), named('db', 'mariadb-data', '/var/lib/mysql')],
    problems: [],
  },
  {
    file: 'docker-library--docs/postgres-compose.yaml',
    folder: 'postgres',
    project: 'postgres',
    volumes: {},
    entries: [],
    problems: [],
    stateful: [{ service: 'db', imageLine: 6 }],
  },
  {
    file: 'docker-library--docs/mysql-compose.yaml',
    folder: 'mysql',
    project: 'mysql',
    volumes: {},
    entries: [],
    problems: [],
    stateful: [{ service: 'db', imageLine: 6 }],
  },
  {
    file: 'docker-library--docs/mongo-compose.yaml',
    folder: 'mongo',
    project: 'mongo',
    volumes: {},
    entries: [],
    problems: [],
    stateful: [{ service: 'mongo', imageLine: 3 }],
  },
  {
    file: 'docker-library--docs/wordpress-compose.yaml',
    folder: 'wordpress',
    project: 'wordpress',
    volumes: { wordpress: 'wordpress_wordpress', db: 'wordpress_db' },
    entries: [named('wordpress', 'wordpress', '/var/www/html'), named('db', 'db', '/var/lib/mysql')],
    problems: [],
  },
  {
    file: 'docker-library--docs/influxdb-compose.yaml',
    folder: 'influxdb',
    project: 'influxdb3',
    volumes: {},
    entries: [
      bind('influxdb3-core', '~/.influxdb3/core/data', '/var/lib/influxdb3/data'),
      bind('influxdb3-core', '~/.influxdb3/core/plugins', '/var/lib/influxdb3/plugins'),
    ],
    problems: [],
  },
  {
    file: 'temporalio--docker-compose/docker-compose.yaml',
    folder: 'docker-compose',
    project: 'docker-compose',
    volumes: {},
    entries: [
      anonymous('elasticsearch', '/var/lib/elasticsearch/data'),
      anonymous('postgresql', '/var/lib/postgresql/data'),
      bind('temporal', './dynamicconfig', '/etc/temporal/config/dynamicconfig'),
    ],
    problems: [
      { code: 'anonymousVolume', line: 19 },
      { code: 'anonymousVolume', line: 31 },
    ],
    // Elasticsearch keeps its data in /usr/share/elasticsearch/data; the anonymous volume is elsewhere.
    stateful: [{ service: 'elasticsearch', imageLine: 13 }],
  },
  {
    file: 'temporalio--docker-compose/docker-compose-tls.yaml',
    folder: 'docker-compose',
    project: 'docker-compose',
    volumes: { temporal_tls_pki: 'temporal_tls_pki' },
    external: ['temporal_tls_pki'],
    entries: [
      named('elasticsearch', 'temporal_tls_pki', '/usr/share/elasticsearch/config/certs'),
      anonymous('elasticsearch', '/var/lib/elasticsearch/data'),
      named('postgresql', 'temporal_tls_pki', '/pki'),
      anonymous('postgresql', '/var/lib/postgresql/data'),
      bind('temporal', './dynamicconfig', '/etc/temporal/config/dynamicconfig'),
    ],
    problems: [
      { code: 'anonymousVolume', line: 29 },
      { code: 'anonymousVolume', line: 52 },
    ],
    stateful: [{ service: 'elasticsearch', imageLine: 22 }],
  },
  {
    file: 'n8n-io--self-hosted-ai-starter-kit/docker-compose.yaml',
    folder: 'self-hosted-ai-starter-kit',
    project: 'self-hosted-ai-starter-kit',
    volumes: prefixed('self-hosted-ai-starter-kit', [
      'n8n_storage',
      'postgres_storage',
      'ollama_storage',
      'qdrant_storage',
    ]),
    entries: [
      named('postgres', 'postgres_storage', '/var/lib/postgresql/data'),
      bind('n8n-import', './n8n/demo-data', '/demo-data'),
      named('n8n', 'n8n_storage', '/home/node/.n8n'),
      bind('n8n', './n8n/demo-data', '/demo-data'),
      bind('n8n', './shared', '/data/shared'),
      named('qdrant', 'qdrant_storage', '/qdrant/storage'),
      // The ollama services take their volume from x-ollama / x-init-ollama through merge keys.
      ...each(
        [
          'ollama-cpu',
          'ollama-gpu',
          'ollama-gpu-amd',
          'ollama-pull-llama-cpu',
          'ollama-pull-llama-gpu',
          'ollama-pull-llama-gpu-amd',
        ],
        (s) => [named(s, 'ollama_storage', '/root/.ollama')],
      ),
    ],
    problems: [],
  },
  {
    file: 'zulip--docker-zulip/compose.yaml',
    folder: 'docker-zulip',
    project: 'docker-zulip',
    volumes: prefixed('docker-zulip', ['zulip', 'postgresql-14', 'rabbitmq', 'redis']),
    entries: [
      named('database', 'postgresql-14', '/var/lib/postgresql/data'),
      named('rabbitmq', 'rabbitmq', '/var/lib/rabbitmq'),
      named('redis', 'redis', '/data'),
      named('zulip', 'zulip', '/data'),
    ],
    problems: [],
  },
  {
    file: 'Kong--docker-kong/compose-docker-compose.yaml',
    folder: 'compose',
    project: 'compose',
    volumes: prefixed('compose', ['kong_data', 'kong_prefix_vol', 'kong_tmp_vol']),
    entries: [
      // `${KONG_PREFIX:-/var/run/kong}` with KONG_PREFIX unset.
      named('kong', 'kong_prefix_vol', '/var/run/kong'),
      named('kong', 'kong_tmp_vol', '/tmp'),
      bind('kong', './config', '/opt/kong'),
      named('db', 'kong_data', '/var/lib/postgresql/data'),
    ],
    problems: [],
  },
  {
    file: 'dockersamples--example-voting-app/docker-compose.yaml',
    folder: 'example-voting-app',
    project: 'example-voting-app',
    volumes: { 'db-data': 'example-voting-app_db-data' },
    entries: [
      bind('vote', './vote', '/usr/local/app'),
      bind('result', './result', '/usr/local/app'),
      bind('redis', './healthchecks', '/healthchecks'),
      named('db', 'db-data', '/var/lib/postgresql/data'),
      bind('db', './healthchecks', '/healthchecks'),
    ],
    problems: [],
    stateful: [{ service: 'redis', imageLine: 55 }],
  },
  {
    file: 'louislam--dockge/compose.yaml',
    folder: 'dockge',
    project: 'dockge',
    volumes: {},
    entries: [
      bind('dockge', '/var/run/docker.sock', '/var/run/docker.sock'),
      bind('dockge', './data', '/app/data'),
      bind('dockge', '/opt/stacks', '/opt/stacks'),
    ],
    problems: [{ code: 'dockerSocketBind', line: 9 }],
  },
  {
    file: 'docker-mailserver--docker-mailserver/compose.yaml',
    folder: 'docker-mailserver',
    project: 'docker-mailserver',
    volumes: {},
    entries: [
      bind('mailserver', './docker-data/dms/mail-data/', '/var/mail/'),
      bind('mailserver', './docker-data/dms/mail-state/', '/var/mail-state/'),
      bind('mailserver', './docker-data/dms/mail-logs/', '/var/log/mail/'),
      bind('mailserver', './docker-data/dms/config/', '/tmp/docker-mailserver/'),
      // One file of /etc, read-only: not one of the system roots.
      bind('mailserver', '/etc/localtime', '/etc/localtime', true),
    ],
    problems: [],
  },
  {
    file: 'jitsi--docker-jitsi-meet/docker-compose.yaml',
    folder: 'docker-jitsi-meet',
    project: 'docker-jitsi-meet',
    volumes: {},
    entries: [
      jitsiBind('web', '${CONFIG}/web', '/config'),
      jitsiBind('web', '${CONFIG}/storage/web', '/storage'),
      jitsiBind('web', '${CONFIG}/storage/transcripts', '/usr/share/jitsi-meet/transcripts', true),
      jitsiBind('web', '${CONFIG}/tmp/web-load-test', '/usr/share/jitsi-meet/load-test'),
      ...jitsiTmpfs('web'),
      jitsiBind('prosody', '${CONFIG}/prosody/config', '/config'),
      jitsiBind('prosody', '${CONFIG}/prosody/prosody-plugins-custom', '/prosody-plugins-custom'),
      jitsiBind('prosody', '${CONFIG}/storage/prosody', '/var/lib/prosody'),
      ...jitsiTmpfs('prosody'),
      jitsiBind('jicofo', '${CONFIG}/jicofo', '/config'),
      ...jitsiTmpfs('jicofo'),
      jitsiBind('jvb', '${CONFIG}/jvb', '/config'),
      ...jitsiTmpfs('jvb'),
    ],
    problems: [],
  },
  {
    file: 'sixeyed--docker-on-windows/ch06-ch06-docker-compose-external-docker-compose.yaml',
    folder: 'ch06-docker-compose-external',
    project: 'ch06-docker-compose-external',
    // The legacy `external: { name: … }` form: the daemon names are the given names.
    volumes: { 'es-data': 'nerd-dinner-elasticsearch-data', 'db-data': 'nerd-dinner-database-data' },
    external: ['es-data', 'db-data'],
    entries: [
      named('elasticsearch', 'es-data', 'C:\\data'),
      {
        service: 'reverse-proxy',
        kind: 'npipe',
        source: '\\\\.\\pipe\\docker_engine',
        target: '\\\\.\\pipe\\docker_engine',
        readOnly: false,
      },
      named('nerd-dinner-db', 'db-data', 'C:\\data'),
    ],
    // The Docker engine's named pipe is the Windows Docker socket: full control of Docker.
    problems: [{ code: 'dockerSocketBind', line: 26 }],
  },
  {
    // An override file read alone; Windows paths on both sides (Windows containers).
    file: 'sixeyed--docker-on-windows/ch06-ch06-docker-compose-override-docker-compose.test.yaml',
    folder: 'ch06-docker-compose-override',
    project: 'ch06-docker-compose-override',
    volumes: {},
    entries: [
      bind('nerd-dinner-db', 'E:\\nerd-dinner-mssql', 'C:\\data'),
      bind('elasticsearch', 'E:\\nerd-dinner-elastic', 'C:\\data'),
    ],
    problems: [],
  },
  {
    file: 'open-telemetry--opentelemetry-demo/compose.yaml',
    folder: 'opentelemetry-demo',
    project: 'opentelemetry-demo',
    dotEnv: 'open-telemetry--opentelemetry-demo/.env',
    volumes: {},
    entries: [
      tmpfs('checkout', '/tmp'),
      bind('product-catalog', './otel-config.yml', '/otel-config.yml'),
      tmpfs('product-catalog', '/tmp'),
      tmpfs('shipping', '/tmp'),
      bind('flagd', './src/flagd', '/etc/flagd'),
      bind('flagd-ui', './src/flagd', '/app/data'),
      bind('astronomy-db', './src/postgresql/init.sql', '/docker-entrypoint-initdb.d/init.sql'),
      // HOST_FILESYSTEM=/ and DOCKER_SOCK=/var/run/docker.sock in the .env.
      bind('otel-collector', '/', '/hostfs', true),
      bind('otel-collector', '/var/run/docker.sock', '/var/run/docker.sock', true),
      bind('otel-collector', './src/otel-collector/otelcol-config.yml', '/etc/otelcol-config.yml'),
      bind('otel-collector', './src/otel-collector/otelcol-config-extras.yml', '/etc/otelcol-config-extras.yml'),
    ],
    problems: [
      { code: 'sensitiveBind', line: 834 },
      { code: 'dockerSocketBind', line: 835 },
    ],
    // POSTGRES_IMAGE=postgres:18.4: its data under /var/lib/postgresql, where nothing is mounted.
    stateful: [{ service: 'astronomy-db', imageLine: 771 }],
  },
];
