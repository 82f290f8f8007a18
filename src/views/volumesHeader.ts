import * as vscode from 'vscode';
import { COMMANDS, CONTEXT_VALUES } from '../constants';
import type { RowFilter } from '../core/volumeModel';
import { shortEngineVersion } from '../core/engineLabel';
import { endpointShortName, type Endpoint } from '../docker/endpoint';
import { endpointText } from '../messages';
import type { DaemonState } from '../services/daemonService';

/**
 * The top line: the course module that explains what the view shows. Its tooltip also holds the full engine line
 * (version and address), which the view's title shortens to fit a side bar.
 */
export class CourseItem extends vscode.TreeItem {
  readonly nodeType = 'course';
  constructor(engine?: string) {
    super(vscode.l10n.t('What this view shows'), vscode.TreeItemCollapsibleState.None);
    this.id = 'course';
    this.contextValue = CONTEXT_VALUES.course;
    this.description = vscode.l10n.t('course: Volumes and bind mounts');
    this.iconPath = new vscode.ThemeIcon('mortar-board');
    const course = vscode.l10n.t(
      'Open the course module on volumes, bind mounts and tmpfs: what "In use", "Unused" and "Anonymous" mean, and how to try each one.',
    );
    this.tooltip = engine ? `${engine}\n\n${course}` : course;
    this.command = {
      command: COMMANDS.openCourse,
      title: vscode.l10n.t('Open the Course'),
      arguments: ['volumesBasics'],
    };
  }
}

export interface VolumesHeaderInputs {
  readonly state: DaemonState;
  readonly endpoint: Endpoint | undefined;
  readonly filter: RowFilter;
  /** The daemon answered with at least one volume. */
  readonly listed: boolean;
  readonly trusted: boolean;
}

/** The engine in full, for the top line's tooltip and Docker Engine Details: version, API and address. */
export function engineLine(state: DaemonState, endpoint: Endpoint | undefined): string | undefined {
  if (state.kind !== 'reachable' || !endpoint) return undefined;
  return vscode.l10n.t(
    'Docker Engine {0} (API {1}) at {2}',
    state.engine.version,
    state.engine.apiVersion,
    endpointText(endpoint),
  );
}

/**
 * The Volumes view's title line and message. Reachable, the title is the engine's major.minor version and a short
 * name of where it runs ("this machine", the context or the remote host), so that it fits a side bar; the full line
 * is the top row's tooltip and in the Output. A message hides the welcome content, which speaks for an unreachable
 * daemon and an empty one: only a filter, which the user set and must be able to see, takes the message, and
 * Restricted Mode over a list that has rows (an empty one says it in its welcome content, with the button to trust).
 */
export function volumesHeader(inputs: VolumesHeaderInputs): { description?: string; message?: string } {
  const { state, endpoint, filter } = inputs;
  // Unreachable, the title keeps the full address: the welcome content points there to say which daemon failed.
  const description =
    state.kind === 'reachable'
      ? vscode.l10n.t(
          'Docker {0} · {1}',
          shortEngineVersion(state.engine.version),
          (endpoint && endpointShortName(endpoint)) ?? vscode.l10n.t('this machine'),
        )
      : (endpoint && endpointText(endpoint)) || undefined;
  const filtered = filter.text || filter.unusedOnly;
  let message: string | undefined;
  if (inputs.listed && !filtered && !inputs.trusted)
    message = vscode.l10n.t(
      "Restricted Mode: this folder's settings, backups and links are not used; what you click runs with your own settings.",
    );
  else if (state.kind === 'reachable' && filtered)
    message = filter.text
      ? vscode.l10n.t('Filter: "{0}"{1}', filter.text, filter.unusedOnly ? vscode.l10n.t(', unused only') : '')
      : vscode.l10n.t('Filter: unused only');
  return { ...(description ? { description } : {}), ...(message ? { message } : {}) };
}
