import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Translator } from '../core/errorText';
import { labOfSource, resolveLabSource, type LabCliInputs } from '../core/labCli';
import type { LabRunAction } from '../core/labs';
import type { RunDescription } from '../core/mounts';
import { confinedRealPath } from '../core/pathConfinement';
import { DockerError } from '../docker/errors';

/** The files of a lab template, relative to its folder. */
export function labFiles(root: string): string[] {
  return fs.readdirSync(root, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(root, e.name);
    return e.isDirectory() ? labFiles(full).map((f) => path.join(e.name, f)) : [e.name];
  });
}

/**
 * Lab files are written through real folders only: a repository's committed link (`flask -> ../..`, or a
 * dangling `flask/README.md -> ~/.bashrc`) must not carry them, or an overwrite, outside the workspace.
 */
export function refuseLinkedTargets(l10n: Translator, folder: string, files: string[], roots: string[]): void {
  const refuse = (where: string) =>
    new DockerError(
      'invalid',
      l10n.t(
        '{0} is a symbolic link or leads outside the workspace: lab files are only written into real folders inside it. Remove the link, or set volumesLab.labs.folder.',
        where,
      ),
      'lab',
    );
  let existing = folder;
  while (!fs.existsSync(existing) && path.dirname(existing) !== existing) existing = path.dirname(existing);
  if (!confinedRealPath(existing, roots, fs.realpathSync)) throw refuse(existing);
  for (const file of ['.', ...files]) {
    let at = folder;
    for (const part of file === '.' ? [] : file.split(path.sep)) at = path.join(at, part);
    for (let p = at; p.length >= folder.length; p = path.dirname(p)) {
      let isLink = false;
      try {
        isLink = fs.lstatSync(p).isSymbolicLink();
      } catch {
        /* not there yet: written as a plain file or folder */
      }
      if (isLink) throw refuse(p);
      if (p === folder) break;
    }
  }
}

/** Copies the lab's files into `folder`; an existing file is kept unless `overwrite`. Returns those written. */
export function writeLabFiles(source: string, folder: string, files: readonly string[], overwrite: boolean): string[] {
  const written: string[] = [];
  for (const f of files) {
    const target = path.join(folder, f);
    if (fs.existsSync(target) && !overwrite) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(source, f), target);
    written.push(f);
  }
  return written;
}

/**
 * The run a lab button makes, with each `${lab:…}` bind source checked (there, and inside `roots` once links are
 * followed) and replaced by the real path that was checked: binding the written path instead would let a link swapped
 * in after the check (`flask -> /`) carry the mount outside the workspace.
 */
export function confineLabBinds(
  l10n: Translator,
  action: LabRunAction,
  description: RunDescription,
  labFolder: LabCliInputs['labFolder'],
  roots: string[],
): RunDescription {
  const mounts = description.mounts.map((spec, i) => {
    const m = action.mounts[i];
    if (m?.type !== 'bind' || !labOfSource(m.source)) return spec;
    const source = resolveLabSource(m.source, labFolder);
    if (source === undefined)
      throw new DockerError('invalid', l10n.t('Open a folder first: the lab files go into it.'), 'lab');
    if (!fs.existsSync(source))
      throw new DockerError(
        'invalid',
        l10n.t('{0} does not exist yet: use "Write the Lab Files" first.', source),
        'lab',
      );
    // A committed symlink (`flask -> /`) would otherwise bind whatever it points at, read-write.
    const real = confinedRealPath(source, roots, fs.realpathSync);
    if (!real) {
      throw new DockerError(
        'invalid',
        l10n.t(
          '{0} leads outside the workspace (through a symbolic link): a lab only binds folders inside it. Remove the link, then write the lab files again.',
          source,
        ),
        'lab',
      );
    }
    return { ...spec, source: real };
  });
  return { ...description, mounts };
}
