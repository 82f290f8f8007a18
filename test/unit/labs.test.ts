import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluateSteps, findAction, LAB_MODULES } from '../../src/core/labModules';
import { withoutTestOnlyArguments } from '../../src/core/testOnlyOptions';
import { LAB_FILE_IDS, markKey, moduleObjects, stepKey, type LabFacts } from '../../src/core/labs';

const root = path.resolve(__dirname, '../../..');

function facts(partial: Partial<LabFacts> = {}): LabFacts {
  return {
    volumes: [],
    containers: [],
    files: new Set(),
    backedUp: new Set(),
    images: [],
    labImage: 'alpine',
    observed: new Set(),
    reached: new Set(),
    ...partial,
  };
}
const vol = (name: string, labels: Record<string, string> = {}, anonymous = false) => ({
  name,
  anonymous,
  labels,
  options: {},
});
const ctr = (
  name: string,
  mounts: LabFacts['containers'][number]['mounts'] = [],
  running = true,
  labels: Record<string, string> = {},
) => ({ name, running, state: running ? 'running' : 'exited', labels, mounts, volumesFrom: [] as string[] });

describe('core/labs', () => {
  it('matches every walkthrough step of the manifest, and every button link to an action', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: { walkthroughs: { id: string; steps: { id: string; completionEvents: string[] }[] }[] };
    };
    const nls = fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8');
    for (const module of LAB_MODULES) {
      const walkthrough = pkg.contributes.walkthroughs.find((w) => w.id === module.id);
      assert.ok(walkthrough, module.id);
      for (const step of module.steps) {
        const manifest: { id: string; completionEvents: string[] } | undefined = walkthrough.steps.find(
          (s) => s.id === step.id,
        );
        assert.ok(manifest, `${module.id}/${step.id} in package.json`);
        if (step.done) assert.deepEqual(manifest.completionEvents, [`onContext:${stepKey(module.id, step.id)}`]);
      }
    }
    const refs = [...nls.matchAll(/volumesLab\.lab\.run\?%5B%22([^%]+)%22%5D/g)].map((m) => m[1]!);
    assert.ok(refs.length > 60);
    for (const ref of refs) assert.ok(findAction(ref), `button ${ref} has an action`);
  });

  it('completes steps on state, and steps that build on earlier ones only after them', () => {
    const key = (s: string) => stepKey('sidecarLab', s);
    let values = evaluateSteps(facts({ volumes: [vol('shared-logs')] }));
    assert.equal(values.get(key('createVolume')), true);
    assert.equal(values.get(key('removeContainers')), false, 'no containers yet is not "removed"');
    const writer = ctr('app-server', [
      { type: 'volume', name: 'shared-logs', destination: '/var/log/app', readOnly: false },
    ]);
    const reader = ctr('log-shipper', [{ type: 'volume', name: 'shared-logs', destination: '/logs', readOnly: false }]);
    values = evaluateSteps(facts({ volumes: [vol('shared-logs')], containers: [writer, reader] }));
    assert.equal(values.get(key('startWriter')), true);
    assert.equal(values.get(key('startReader')), false, 'the reader must mount read-only');
    values = evaluateSteps(facts({ volumes: [vol('shared-logs')], reached: new Set([key('startWriter')]) }));
    assert.equal(values.get(key('removeContainers')), true);
    assert.equal(
      evaluateSteps(facts({ observed: new Set([markKey('sidecarLab', 'proveReadOnly', 'exec')]) })).get(
        key('proveReadOnly'),
      ),
      true,
    );
  });

  it('knows what Reset Module removes: labelled containers, their anonymous volumes, labelled volumes', () => {
    const module = { 'volumes-lab.module': 'sidecarLab' };
    const objects = moduleObjects(
      'sidecarLab',
      facts({
        volumes: [
          vol('shared-logs', module),
          vol('a'.repeat(64), {}, true),
          vol('mine'),
          vol('b'.repeat(64), {}, true),
        ],
        containers: [
          ctr(
            'db-anonymous',
            [{ type: 'volume', name: 'a'.repeat(64), destination: '/data', readOnly: false }],
            true,
            module,
          ),
          ctr('other', [{ type: 'volume', name: 'b'.repeat(64), destination: '/data', readOnly: false }]),
        ],
      }),
    );
    assert.deepEqual(objects, { containers: ['db-anonymous'], volumes: ['shared-logs'], anonymous: ['a'.repeat(64)] });
  });

  it("relies on no test-only option in a step's command arguments: outside test mode they would be dropped", () => {
    const steps = LAB_MODULES.flatMap((m) =>
      m.steps.flatMap((step) =>
        Object.entries(step.actions).flatMap(([id, action]) =>
          action.kind === 'command' ? [{ ref: `${m.id}.${step.id}.${id}`, action }] : [],
        ),
      ),
    );
    assert.ok(steps.length >= 3, `only ${steps.length} command steps found`);
    for (const { ref, action } of steps) {
      const args = action.args ?? [];
      assert.deepEqual(withoutTestOnlyArguments(action.command, args, false), args, ref);
    }
  });

  it('ships a project folder for every lab of Create Lab Files', () => {
    for (const lab of LAB_FILE_IDS) assert.ok(fs.readdirSync(path.join(root, 'labs', lab)).length > 0, lab);
    assert.deepEqual(fs.readdirSync(path.join(root, 'labs')).sort(), [...LAB_FILE_IDS].sort());
  });
});
