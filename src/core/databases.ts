/**
 * Logical database dumps, as the course does them (`docker exec db pg_dumpall -U postgres > dump.sql`,
 * `mysqldump --all-databases`): which images hold a database, where it keeps its data, and the exact
 * commands that dump and restore it through `docker exec`.
 */
export type DatabaseEngine = 'postgres' | 'mysql' | 'mariadb';

export interface ExecCommand {
  command: string[];
  /** Extra `KEY=value` environment for the exec (passwords travel here, never on the command line). */
  env: string[];
}

export interface DatabasePlan {
  engine: DatabaseEngine;
  /** "PostgreSQL", "MySQL", "MariaDB". */
  product: string;
  /** The dump tool, for buttons: "pg_dumpall", "mysqldump". */
  tool: string;
  dump: ExecCommand;
  restore: ExecCommand;
  /** True when the root password is not in the container's environment: ask for it. */
  needsPassword: boolean;
  /** The `docker` arguments a learner types for the same dump and restore (lines: core/cliActions). */
  cli: { dump: string[]; restore: string[] };
}

/** Image name (without registry and tag) → engine. Covers the official images and common variants. */
export function detectDatabase(image: string): DatabaseEngine | undefined {
  const name =
    image
      .toLowerCase()
      .replace(/@sha256:.*$/, '')
      .replace(/:[^/]*$/, '')
      .split('/')
      .pop() ?? '';
  if (/^(postgres|postgresql|postgis|timescaledb(-ha)?|pgvector)$/.test(name) || /^postgres(ql)?-/.test(name))
    return 'postgres';
  if (/^mariadb/.test(name)) return 'mariadb';
  if (/^(mysql|mysql-server|percona(-server)?)$/.test(name)) return 'mysql';
  return undefined;
}

/** Where each engine's official image keeps its data: the mount a named volume should cover. */
export const DATABASE_DATA_PATHS: Record<DatabaseEngine, string> = {
  postgres: '/var/lib/postgresql/data',
  mysql: '/var/lib/mysql',
  mariadb: '/var/lib/mysql',
};

function envValue(env: string[], ...keys: string[]): string | undefined {
  for (const key of keys) {
    const line = env.find((e) => e.startsWith(`${key}=`));
    if (line !== undefined) return line.slice(key.length + 1);
  }
  return undefined;
}

/** Prefers MariaDB's own client names where they exist (MariaDB 11 images no longer ship `mysqldump`). */
function mysqlTool(preferred: string, fallback: string, args: string[]): string[] {
  return [
    'sh',
    '-c',
    `if command -v ${preferred} >/dev/null 2>&1; then exec ${preferred} "$@"; else exec ${fallback} "$@"; fi`,
    fallback,
    ...args,
  ];
}

/**
 * The dump and restore commands for a container of `engine` whose environment is `env`; `password` is the
 * root password when the user typed it. PostgreSQL dumps carry `--clean --if-exists`, MySQL ones
 * `--add-drop-database`, so a restore replaces the databases it contains rather than doubling their rows.
 */
export function databasePlan(
  engine: DatabaseEngine,
  env: string[],
  container: string,
  password?: string,
): DatabasePlan {
  if (engine === 'postgres') {
    const user = envValue(env, 'POSTGRES_USER') || 'postgres';
    return {
      engine,
      product: 'PostgreSQL',
      tool: 'pg_dumpall',
      needsPassword: false,
      dump: { command: ['pg_dumpall', '-U', user, '--clean', '--if-exists'], env: [] },
      restore: { command: ['psql', '-U', user, '-d', 'postgres', '-q', '-v', 'ON_ERROR_STOP=0'], env: [] },
      cli: {
        dump: ['exec', container, 'pg_dumpall', '-U', user, '--clean', '--if-exists'],
        restore: ['exec', '-i', container, 'psql', '-U', user, '-d', 'postgres', '-q', '-v', 'ON_ERROR_STOP=0'],
      },
    };
  }
  const product = engine === 'mariadb' ? 'MariaDB' : 'MySQL';
  const rootPassword = password ?? envValue(env, 'MARIADB_ROOT_PASSWORD', 'MYSQL_ROOT_PASSWORD');
  const emptyAllowed = /^(1|yes|true)$/i.test(
    envValue(env, 'MARIADB_ALLOW_EMPTY_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD') ?? '',
  );
  const pwEnv = rootPassword ? [`MYSQL_PWD=${rootPassword}`] : [];
  const dumpArgs = [
    '-uroot',
    '--all-databases',
    '--single-transaction',
    '--routines',
    '--events',
    '--add-drop-database',
  ];
  return {
    engine,
    product,
    tool: 'mysqldump',
    needsPassword: rootPassword === undefined && !emptyAllowed,
    dump: { command: mysqlTool('mariadb-dump', 'mysqldump', dumpArgs), env: pwEnv },
    restore: { command: mysqlTool('mariadb', 'mysql', ['-uroot']), env: pwEnv },
    cli: {
      dump: ['exec', '-e', 'MYSQL_PWD=…', container, 'mysqldump', ...dumpArgs],
      restore: ['exec', '-i', '-e', 'MYSQL_PWD=…', container, 'mysql', '-uroot'],
    },
  };
}

/** Error lines a restore printed (psql goes on after a failed statement; the user should see them). */
export function restoreErrors(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(psql:.*)?ERROR\b|^ERROR \d+|\bERROR:/.test(l));
}

/** What a dump's manifest says of where the dump came from. */
interface DumpSourceHint {
  volume: string;
  database?: { engine: DatabaseEngine; container: string };
}

/**
 * The running databases a dump can be replayed into, those it was dumped from (same container or volume) first. A
 * PostgreSQL dump goes only into PostgreSQL, a MySQL or MariaDB dump into either of those; without a manifest, any.
 */
export function dumpTargets<T extends { engine: DatabaseEngine; volume: string; container: { name: string } }>(
  running: readonly T[],
  manifest: DumpSourceHint | undefined,
): T[] {
  const from = manifest?.database;
  const compatible = running.filter(
    (d) => !from || d.engine === from.engine || (d.engine !== 'postgres' && from.engine !== 'postgres'),
  );
  const preferred = compatible.filter((d) => d.container.name === from?.container || d.volume === manifest?.volume);
  return [...preferred, ...compatible.filter((d) => !preferred.includes(d))];
}
