import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Manifest {
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
  contributes: { configuration: { properties: Record<string, { scope?: string }> }[] };
}

/**
 * The settings a repository's `.vscode/settings.json` may set (window or resource scope), each with why that
 * is safe. Any other setting is the user's alone (application or machine scope): a new window-scoped setting
 * fails here until someone has judged what a hostile repository could do with it.
 */
const WORKSPACE_MAY_SET: Record<string, string> = {
  'docker.timeout': 'bounded to 1 s – 10 min: a repository can make requests give up sooner or wait longer, no more',
  'volumes.groupBy': 'how the Volumes view groups its rows',
  'volumes.sortBy': 'how the Volumes view sorts its rows',
  'backup.folder':
    'restricted; only for backups the user starts (scheduled ones follow the user-level value), and the folder is read only when trusted',
  'backup.compressionLevel': 'bounded 1 – 9: CPU time of a backup the user starts',
  'lenses.enabled': 'shows or hides CodeLens',
  'compose.extraGlobs': 'restricted; the files it adds get the same bounded analysis as compose files',
  'labs.folder': 'restricted; lab files are written only where the user-level value says',
};

/** Settings a workspace value of which would start work, pick what runs or raise a memory bound. */
const MUST_BE_RESTRICTED = [
  'docker.host',
  'files.maxSizeMb',
  'run.networkMode',
  'backup.keep',
  'backup.scheduledVolumes',
  'backup.scheduleIntervalHours',
  'backup.scheduledWhenInUse',
  'backup.shellImage',
  'labs.image',
  'labs.postgresImage',
];

describe('which settings a workspace may set', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as Manifest;
  const properties = Object.assign(
    {},
    ...[manifest.contributes.configuration].flat().map((s) => s.properties),
  ) as Manifest['contributes']['configuration'][number]['properties'];
  const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;

  it('leaves to workspaces only the settings judged safe there; every other one is user-level', () => {
    for (const [id, declared] of Object.entries(properties)) {
      const key = id.replace(/^volumesLab\./, '');
      const userLevel = declared.scope === 'application' || declared.scope === 'machine';
      assert.ok(
        userLevel || key in WORKSPACE_MAY_SET,
        `${id} (scope ${declared.scope ?? 'window'}) may be set by a workspace`,
      );
      if (key in WORKSPACE_MAY_SET) assert.ok(!userLevel, `${id} is user-level: drop it from WORKSPACE_MAY_SET`);
    }
  });

  it('restricts, and keeps user-level, the settings that start work, choose what runs or bound memory', () => {
    for (const key of MUST_BE_RESTRICTED) {
      const id = `volumesLab.${key}`;
      assert.ok(properties[id], `${id} is declared`);
      assert.ok(restricted.includes(id), `${id} is in restrictedConfigurations`);
      assert.ok(['application', 'machine'].includes(properties[id]?.scope ?? ''), `${id} is user-level`);
    }
    for (const id of restricted) assert.ok(properties[id], `restricted ${id} is declared`);
  });
});
