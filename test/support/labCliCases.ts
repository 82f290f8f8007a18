// Which walkthrough steps a learner completes by typing their lines, shared by the unit test that lists
// them and the daemon test that runs them with the real docker CLI.
import { dockerCli, volumeCreateArgs } from '../../src/core/cli';
import { labCliLines, type LabCliInputs } from '../../src/core/labCli';
import { LAB_MODULES } from '../../src/core/labModules';
import type { LabAction, LabModule, LabStep } from '../../src/core/labs';

/**
 * Steps whose completion is a result seen by the extension, not a state of the daemon: typing their lines
 * does the same thing, but nothing on the daemon shows it. The README lists them with these reasons.
 */
export const NOT_ON_DAEMON: Record<string, string> = {
  'firstSteps.execExisting': 'the output of `docker exec box-1 cat hello.txt` is the lesson',
  'volumesBasics.flaskPostgres': 'the rows `psql` prints after the database container was replaced are the lesson',
  'dataManagement.postgresPersistence': 'the database list `psql` prints in the new container is the lesson',
  'sidecarLab.watchLogs': 'the lines `docker logs -f` streams are the lesson',
  'sidecarLab.proveReadOnly':
    'the refusal `docker exec … rm` prints is the lesson (the read-only mount itself is checked by the reader step)',
};

/** Lines for steps whose button opens a form rather than running one command. */
export const FORM_LINES: Record<string, string[]> = {
  'volumesRecap.networkVolume': [
    dockerCli(
      volumeCreateArgs({
        name: 'lab-nfs',
        driver: 'local',
        driverOpts: { type: 'nfs', o: 'addr=192.0.2.10,rw', device: ':/exports/data' },
      }),
    ),
  ],
};

/** Buttons whose line the daemon test does not type, and why. */
export function notTyped(action: LabAction): string | undefined {
  switch (action.kind) {
    case 'pull':
      return 'nothing can be pulled on the offline test machine (the step is checked with an image present and absent)';
    case 'logs':
      return '`docker logs -f` follows until stopped';
    case 'prune':
      return 'the other way to remove, and it removes every unused volume of the daemon';
    case 'dump':
      return 'a database dump, in the restore step for the curious: no step checks it';
    default:
      return undefined;
  }
}

/** Lines whose failure is the lesson, or that name objects some runs do not have. */
export const MAY_FAIL = new Set(['volumesBasics.removeVolume.tryRemove', 'sidecarLab.proveReadOnly.exec']);
/** A reset line names every object of the module; a run that did not make them all gets "No such …" for those. */
export const mayFail = (ref: string, action: LabAction) => MAY_FAIL.has(ref) || action.kind === 'reset';

export interface StepLines {
  module: LabModule;
  step: LabStep;
  /** `<module>.<step>` */
  id: string;
  actions: { ref: string; action: LabAction; lines: string[] }[];
}

/** Every step with its buttons' lines (and the form lines), in course order. */
export function stepLines(inputs: LabCliInputs): StepLines[] {
  return LAB_MODULES.flatMap((module) =>
    module.steps.map((step) => {
      const id = `${module.id}.${step.id}`;
      const actions = Object.entries(step.actions).map(([actionId, action]) => ({
        ref: `${id}.${actionId}`,
        action,
        lines: labCliLines(action, inputs, module.id),
      }));
      const form = FORM_LINES[id];
      if (form) actions.push({ ref: `${id}.form`, action: { kind: 'command', command: 'form' }, lines: form });
      return { module, step, id, actions };
    }),
  );
}

/** Steps with a predicate and a CLI line that the daemon test completes from the CLI alone. */
export function cliCompletionCases(inputs: LabCliInputs): StepLines[] {
  return stepLines(inputs).filter((s) => s.step.done && s.actions.some((a) => a.lines.length) && !NOT_ON_DAEMON[s.id]);
}
