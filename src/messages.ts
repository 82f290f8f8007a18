import * as vscode from 'vscode';
import type { Endpoint } from './docker/endpoint';
import { dockerErrorText } from './core/errorText';
import { splitLongMessage } from './core/longMessage';
import { byCount, numberText } from './core/plural';
import { formatBytes } from './core/volumeModel';
import { DockerError } from './docker/errors';

/** A size in the display language's units and decimal separator ("1.25 MB", "1,25 Mo"). */
export function sizeText(bytes: number): string {
  return formatBytes(bytes, vscode.env.language);
}

/** Where we connect, for people in their language: the address, and the docker context that chose it. */
export function endpointText(endpoint: Endpoint): string {
  return endpoint.contextName ? vscode.l10n.t('{0} (context {1})', endpoint.host, endpoint.contextName) : endpoint.host;
}

/** A short, localized sentence for a DockerError, with the next step where there is one. */
export function dockerErrorMessage(err: DockerError, endpoint?: Endpoint): string {
  return dockerErrorText(err, endpoint ? endpointText(endpoint) : '', {
    t: vscode.l10n.t,
    language: vscode.env.language,
  });
}

export function isDockerError(err: unknown): err is DockerError {
  return err instanceof DockerError;
}

/** Errors that say the daemon itself cannot be used, rather than one request failing. */
export function isConnectionError(err: unknown): err is DockerError {
  return (
    err instanceof DockerError &&
    (err.kind === 'unreachable' || err.kind === 'permissionDenied' || err.kind === 'timeout')
  );
}

/**
 * One of two translated sentences for `count`, by the display language's plural rules:
 * `countText(n, vscode.l10n.t('{0} volume', n), vscode.l10n.t('{0} volumes', n))`.
 */
export function countText(count: number, one: string, other: string): string {
  return byCount(count, vscode.env.language, one, other);
}

/** A number in the display language's digits and separators. */
export const localNumber = (n: number) => numberText(n, vscode.env.language);

export const entriesText = (n: number) => countText(n, vscode.l10n.t('{0} entry', n), vscode.l10n.t('{0} entries', n));
export const volumesText = (n: number) => countText(n, vscode.l10n.t('{0} volume', n), vscode.l10n.t('{0} volumes', n));
export const containersText = (n: number) =>
  countText(n, vscode.l10n.t('{0} container', n), vscode.l10n.t('{0} containers', n));
export const filesText = (n: number) => countText(n, vscode.l10n.t('{0} file', n), vscode.l10n.t('{0} files', n));

export type NoticeKind = 'error' | 'warning' | 'info';

/**
 * A notification whose text stays readable however long it is: a long message shows its first sentence and a
 * Details button, which opens the whole text (advice included) in a dialog offering the same actions.
 * Resolves with the action chosen, as `showErrorMessage` does.
 */
export async function showNotice(kind: NoticeKind, text: string, ...actions: string[]): Promise<string | undefined> {
  const show = {
    error: vscode.window.showErrorMessage,
    warning: vscode.window.showWarningMessage,
    info: vscode.window.showInformationMessage,
  }[kind];
  const { summary, details } = splitLongMessage(text);
  if (!details) return show(text, ...actions);
  const more = vscode.l10n.t('Details');
  const choice = await show(summary, ...actions, more);
  if (choice !== more) return choice;
  // The dialog's title is the sentence already read; below it, the rest (or the whole text if the summary was cut).
  const rest = details.startsWith(summary) ? details.slice(summary.length).trim() : details;
  return show(summary, { modal: true, detail: rest }, ...actions);
}

/**
 * A modal question before something that changes data: the dialog shows its whole text (and its detail), so it needs
 * no Details button. Resolves with the choice, undefined on cancel, as `showWarningMessage` does.
 */
export function askModal<T extends string>(
  message: string,
  options: vscode.MessageOptions,
  ...items: T[]
): Thenable<T | undefined> {
  return vscode.window.showWarningMessage(message, { ...options, modal: true }, ...items);
}
