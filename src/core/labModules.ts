/**
 * The five course modules as walkthrough labs: each step's buttons and the daemon state that shows it
 * done. Step ids match `contributes.walkthroughs` in package.json.
 */
import { markKey, stepKey, type LabAction, type LabFacts, type LabModule, type LabStep } from './labs';
import { containerNamesOf } from './labPredicates';
import { dataManagement } from './labModuleData';
import { firstSteps, volumesBasics } from './labModulesFirst';
import { sidecarLab, volumesRecap } from './labModulesRecap';

export const LAB_MODULES: LabModule[] = [firstSteps, volumesBasics, dataManagement, volumesRecap, sidecarLab];

export function findModule(id: string): LabModule | undefined {
  return LAB_MODULES.find((m) => m.id === id);
}

/** The containers a module's buttons make, by name. */
export function moduleContainerNames(moduleId: string): Set<string> {
  const module = findModule(moduleId);
  return module ? containerNamesOf(module) : new Set();
}

/** Every container name of every module: the only containers whose details the predicates need. */
export function labContainerNames(): Set<string> {
  return new Set(LAB_MODULES.flatMap((m) => [...moduleContainerNames(m.id)]));
}

/** Every file a step looks for in a volume. */
export function labFileProbes(): { volume: string; path: string }[] {
  return LAB_MODULES.flatMap((m) => m.steps.flatMap((s) => s.files ?? []));
}

/** `sidecarLab.startWriter.run` → the module, step and action. */
export function findAction(ref: string): { module: LabModule; step: LabStep; action: LabAction } | undefined {
  const [moduleId, stepId, actionId] = ref.split('.');
  const module = moduleId ? findModule(moduleId) : undefined;
  const found = module?.steps.find((s) => s.id === stepId);
  const action = actionId ? found?.actions[actionId] : undefined;
  return module && found && action ? { module, step: found, action } : undefined;
}

/**
 * Evaluates the steps and remembers in `facts.reached` every key that is true, until nothing new is reached
 * (a step that a reached one unlocks may be true now). Returns the values and whether anything was new.
 */
export function advanceSteps(facts: LabFacts): { values: Map<string, boolean>; newlyReached: boolean } {
  let newlyReached = false;
  for (;;) {
    const values = evaluateSteps(facts);
    const fresh = [...values].filter(([key, value]) => value && !facts.reached.has(key)).map(([key]) => key);
    if (!fresh.length) return { values, newlyReached };
    for (const key of fresh) facts.reached.add(key);
    newlyReached = true;
  }
}

/** Every step key (and milestone key) with its value for these facts; steps without a predicate are left out. */
export function evaluateSteps(facts: LabFacts): Map<string, boolean> {
  const values = new Map<string, boolean>();
  for (const module of LAB_MODULES) {
    for (const s of module.steps) {
      for (const [mark, isReached] of Object.entries(s.marks ?? {}))
        values.set(markKey(module.id, s.id, mark), isReached(facts));
      if (s.done) values.set(stepKey(module.id, s.id), s.done(facts));
    }
  }
  return values;
}
