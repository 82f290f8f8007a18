import type { Translator } from '../../src/core/errorText';

/** English, as vscode.l10n.t gives it when no translation applies: {n} replaced by the arguments. */
export const english: Translator = {
  t: (message, ...args) => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)])),
};
