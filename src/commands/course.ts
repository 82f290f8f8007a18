import * as vscode from 'vscode';
import { settings } from '../services/settings';
import { COMMANDS, EXTENSION_ID, VIEWS } from '../constants';
import { LAB_MODULES } from '../core/labModules';
import type { CommandHandler } from './registry';

const OPENED_ON_STARTUP = 'volumesLab.courseOpenedOnStartup';

interface WalkthroughEntry {
  id: string;
  title?: string;
  description?: string;
}

/** The walkthroughs as the manifest declares them (VS Code gives the manifest in the user's language). */
function walkthroughs(): WalkthroughEntry[] {
  const declared =
    (
      vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as
        { contributes?: { walkthroughs?: WalkthroughEntry[] } } | undefined
    )?.contributes?.walkthroughs ?? [];
  return LAB_MODULES.map((m) => declared.find((w) => w.id === m.id) ?? { id: m.id });
}

/** Opens one course walkthrough: the one named, else the one the user picks. */
async function openCourse(_ctx: unknown, module?: unknown): Promise<string | undefined> {
  const all = walkthroughs();
  let id = typeof module === 'string' && all.some((w) => w.id === module) ? module : undefined;
  if (!id) {
    const picked = await vscode.window.showQuickPick(
      all.map((w, i) => ({ label: `${i + 1}. ${w.title ?? w.id}`, detail: w.description, id: w.id })),
      { placeHolder: vscode.l10n.t('Course module to open') },
    );
    id = picked?.id;
  }
  if (!id) return undefined;
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${id}`, false);
  return id;
}

/**
 * With `volumesLab.course.openOnStartup` (a user setting: `npm start` sets it for its lab workspace), the
 * first module opens the first time a folder opens, once per folder, beside the Volumes view, whose first
 * step's answer (the engine in its title) it explains.
 */
export async function openCourseOnFirstStart(state: vscode.Memento): Promise<void> {
  if (!settings.courseOpenOnStartup()) return;
  if (state.get<boolean>(OPENED_ON_STARTUP)) return;
  await state.update(OPENED_ON_STARTUP, true);
  await vscode.commands.executeCommand(`workbench.view.extension.${VIEWS.container}`);
  await openCourse(undefined, LAB_MODULES[0]!.id);
}

export const courseCommands: Record<string, CommandHandler> = {
  [COMMANDS.openCourse]: openCourse,
};
