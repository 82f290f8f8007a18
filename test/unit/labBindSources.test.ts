import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { labRunDescription } from '../../src/core/labCli';
import type { LabRunAction } from '../../src/core/labs';
import { confineLabBinds } from '../../src/flows/labFiles';

const l10n = { t: (message: string, ...args: (string | number | boolean)[]) => `${message} ${args.join(' ')}` };

/** A lab run binding `${lab:flask}/site`, with a named volume beside it that must pass through untouched. */
const action: LabRunAction = {
  kind: 'run',
  name: 'lab-web',
  mounts: [
    { type: 'bind', source: '${lab:flask}/site', target: '/site', readOnly: true },
    { type: 'volume', source: 'lab-data', target: '/data' },
  ],
};

describe('lab bind sources: what is bound is the real path that was checked', () => {
  let workspace: string;
  let outside: string;

  beforeEach(() => {
    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'vl-labbind-ws-')));
    outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'vl-labbind-out-')));
  });
  afterEach(() => {
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  const confine = (labFolder: string | undefined) => {
    const inputs = { labImage: 'busybox', postgresImage: 'postgres', labFolder: () => labFolder };
    return confineLabBinds(l10n, action, labRunDescription(action, inputs), inputs.labFolder, [workspace]);
  };

  it('binds the real folder a link inside the workspace leads to, not the link (a later swap cannot redirect it)', () => {
    fs.mkdirSync(path.join(workspace, 'real', 'flask', 'site'), { recursive: true });
    fs.symlinkSync(path.join(workspace, 'real'), path.join(workspace, 'labs'));
    const description = confine(path.join(workspace, 'labs', 'flask'));
    const checked = {
      type: 'bind',
      source: path.join(workspace, 'real', 'flask', 'site'),
      target: '/site',
      readOnly: true,
    };
    assert.deepEqual(description.mounts[0], checked);
    // The link is now swapped to lead outside: the checked description still binds the real folder.
    fs.rmSync(path.join(workspace, 'labs'));
    fs.symlinkSync(outside, path.join(workspace, 'labs'));
    assert.deepEqual(description.mounts[0], checked);
    assert.deepEqual(description.mounts[1], { type: 'volume', source: 'lab-data', target: '/data', readOnly: false });
  });

  it('refuses a lab folder that leads outside the workspace', () => {
    fs.mkdirSync(path.join(outside, 'site'));
    fs.symlinkSync(outside, path.join(workspace, 'flask'));
    assert.throws(() => confine(path.join(workspace, 'flask')), /leads outside the workspace/);
  });

  it('refuses a lab folder not written yet, and a lab with no folder open', () => {
    assert.throws(() => confine(path.join(workspace, 'flask')), /does not exist yet/);
    assert.throws(() => confine(undefined), /Open a folder first/);
  });
});
