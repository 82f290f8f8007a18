/**
 * Images that keep state at a known path: one table for the Dockerfile `FROM` hint and the compose warning on a
 * service that mounts nothing there (its data would go to an anonymous volume: `up` keeps it across a recreate,
 * but after `down` the next `up` starts on a new, empty one).
 */
export interface StatefulImage {
  /** Image name as on Docker Hub, without tag. */
  name: string;
  product: string;
  /** Where the official image keeps its data. */
  dataPath: string;
  /**
   * Environment the official image needs to start at all. Passwords here are the labs' example values for
   * throwaway containers: a container made for the user's own project gets fresh ones (`withFreshSecrets`).
   */
  env?: Record<string, string>;
  /** Tags whose image keeps data elsewhere (InfluxDB 3 writes where its `--data-dir` says). */
  otherTags?: RegExp;
}

/** Official images that keep state, and where. */
export const STATEFUL_IMAGES: StatefulImage[] = [
  {
    name: 'postgres',
    product: 'PostgreSQL',
    dataPath: '/var/lib/postgresql/data',
    env: { POSTGRES_PASSWORD: 'example' },
  },
  { name: 'mysql', product: 'MySQL', dataPath: '/var/lib/mysql', env: { MYSQL_ROOT_PASSWORD: 'example' } },
  { name: 'mariadb', product: 'MariaDB', dataPath: '/var/lib/mysql', env: { MARIADB_ROOT_PASSWORD: 'example' } },
  { name: 'mongo', product: 'MongoDB', dataPath: '/data/db' },
  { name: 'redis', product: 'Redis', dataPath: '/data' },
  { name: 'valkey/valkey', product: 'Valkey', dataPath: '/data' },
  {
    name: 'elasticsearch',
    product: 'Elasticsearch',
    dataPath: '/usr/share/elasticsearch/data',
    env: { 'discovery.type': 'single-node' },
  },
  { name: 'opensearchproject/opensearch', product: 'OpenSearch', dataPath: '/usr/share/opensearch/data' },
  { name: 'rabbitmq', product: 'RabbitMQ', dataPath: '/var/lib/rabbitmq' },
  { name: 'wordpress', product: 'WordPress', dataPath: '/var/www/html' },
  { name: 'nextcloud', product: 'Nextcloud', dataPath: '/var/www/html' },
  { name: 'influxdb', product: 'InfluxDB', dataPath: '/var/lib/influxdb2', otherTags: /^3/ },
  { name: 'neo4j', product: 'Neo4j', dataPath: '/data' },
  { name: 'cassandra', product: 'Cassandra', dataPath: '/var/lib/cassandra' },
  { name: 'couchdb', product: 'CouchDB', dataPath: '/opt/couchdb/data' },
  { name: 'minio/minio', product: 'MinIO', dataPath: '/data' },
  { name: 'grafana/grafana', product: 'Grafana', dataPath: '/var/lib/grafana' },
  { name: 'jenkins/jenkins', product: 'Jenkins', dataPath: '/var/jenkins_home' },
  { name: 'gitea/gitea', product: 'Gitea', dataPath: '/data' },
  { name: 'sonarqube', product: 'SonarQube', dataPath: '/opt/sonarqube/data' },
  { name: 'registry', product: 'Docker Registry', dataPath: '/var/lib/registry' },
  {
    name: 'docker.elastic.co/elasticsearch/elasticsearch',
    product: 'Elasticsearch',
    dataPath: '/usr/share/elasticsearch/data',
  },
  { name: 'postgis/postgis', product: 'PostGIS', dataPath: '/var/lib/postgresql/data' },
  { name: 'timescale/timescaledb', product: 'TimescaleDB', dataPath: '/var/lib/postgresql/data' },
  { name: 'percona', product: 'Percona Server', dataPath: '/var/lib/mysql' },
  { name: 'mongodb/mongodb-community-server', product: 'MongoDB', dataPath: '/data/db' },
  { name: 'redis/redis-stack-server', product: 'Redis Stack', dataPath: '/data' },
  { name: 'clickhouse/clickhouse-server', product: 'ClickHouse', dataPath: '/var/lib/clickhouse' },
  { name: 'eclipse-mosquitto', product: 'Mosquitto', dataPath: '/mosquitto/data' },
  { name: 'ghost', product: 'Ghost', dataPath: '/var/lib/ghost/content' },
  { name: 'odoo', product: 'Odoo', dataPath: '/var/lib/odoo' },
  { name: 'portainer/portainer-ce', product: 'Portainer', dataPath: '/data' },
  { name: 'vaultwarden/server', product: 'Vaultwarden', dataPath: '/data' },
  { name: 'gitlab/gitlab-ce', product: 'GitLab', dataPath: '/var/opt/gitlab' },
];

/** The stateful image `image` is (or is a variant of, e.g. `postgres:16-alpine`, `docker.io/library/redis`). */
export function statefulImage(image: string): StatefulImage | undefined {
  // Only the tag may hold a variable (`postgres:${PG_VERSION}`): an image name that is still `${…}` is unknown.
  const untagged = image.toLowerCase().replace(/@sha256:.*$/, '');
  const tag = /:([^/]*)$/.exec(untagged)?.[1] ?? '';
  const bare = untagged
    .replace(/:[^/]*$/, '')
    .replace(/^(docker\.io\/|index\.docker\.io\/)/, '')
    .replace(/^library\//, '');
  const found = STATEFUL_IMAGES.find((i) => i.name === bare || (!i.name.includes('/') && bare === `bitnami/${i.name}`));
  return found?.otherTags?.test(tag) ? undefined : found;
}

/** True when a mount at `target` holds `dataPath` (the path itself or a folder above it). */
export function coversDataPath(target: string, dataPath: string): boolean {
  const t = target.replace(/\/+$/, '') || '/';
  const d = dataPath.replace(/\/+$/, '');
  return t === '/' || d === t || d.startsWith(`${t}/`);
}

/** Environment variables whose value is a password or key. */
const SECRET_VARIABLE = /PASSWORD|SECRET|TOKEN|KEY/i;

/**
 * `env` with every secret-named value replaced by a fresh random one: the example password of the labs
 * (`example`) is known to everyone who read the course, and must never guard a user's own database.
 */
export function withFreshSecrets(
  env: Record<string, string>,
  randomBytes: (size: number) => Buffer,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, SECRET_VARIABLE.test(k) ? randomBytes(18).toString('base64url') : v]),
  );
}
