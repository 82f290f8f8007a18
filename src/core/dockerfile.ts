/**
 * What a Dockerfile says about data, read with `dockerfile-ast`: `VOLUME` paths (and `RUN`s that write
 * under them afterwards), base images that keep state (and where), and the `WORKDIR` + `COPY . .` pattern
 * that a bind mount replaces in development.
 */
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import type { Translator } from './errorText';
import { statefulImage, type StatefulImage } from './statefulImages';

export interface LineRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export { STATEFUL_IMAGES, statefulImage, type StatefulImage } from './statefulImages';

export interface DockerfileVolume {
  path: string;
  range: LineRange;
  /** The stage's base image (`FROM`), or undefined before any. */
  stageImage?: string;
}

export interface RunUnderVolume {
  /** The whole RUN instruction. */
  range: LineRange;
  volumePath: string;
  volumeLine: number;
}

export interface StatefulBase {
  image: string;
  info: StatefulImage;
  range: LineRange;
  /** True when the Dockerfile itself declares a VOLUME at the data path. */
  declared: boolean;
}

export interface WorkdirCopy {
  workdir: string;
  /** The `COPY . .` (or `COPY . <workdir>`) instruction. */
  range: LineRange;
}

export interface DockerfileAnalysis {
  volumes: DockerfileVolume[];
  runsUnderVolumes: RunUnderVolume[];
  statefulBases: StatefulBase[];
  workdirCopies: WorkdirCopy[];
}

function rangeOf(instruction: Instruction): LineRange {
  const r = instruction.getRange();
  return {
    start: { line: r.start.line, character: r.start.character },
    end: { line: r.end.line, character: r.end.character },
  };
}

function unquote(value: string): string {
  return value.replace(/^(['"])(.*)\1$/, '$2');
}

function normalizeDir(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  return trimmed || '/';
}

function joinPath(base: string, rel: string): string {
  if (rel.startsWith('/')) return normalizeDir(rel);
  const parts = `${base}/${rel}`.split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (!part || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/** True when `text` (a shell command) names `dir` or a path under it. */
function mentionsPath(text: string, dir: string): boolean {
  if (dir === '/') return false;
  const escaped = dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[\\s'"=:>(])${escaped}(?=$|[/\\s'";|&)<>])`).test(text);
}

/**
 * Commands that change files (as opposed to reading them): a RUN mentioning a volume path and one of these writes
 * there.
 */
const WRITING =
  /(>|\b(mkdir|touch|cp|mv|rm|ln|chown|chmod|tee|install|echo|printf|sed\s+-i|git\s+clone|curl|wget|tar|unzip|npm|pip|apt-get|apk|useradd|adduser)\b)/;

/**
 * `$VAR`, `${VAR}`, `${VAR:-default}` in an instruction, from the ARG and ENV lines before it (their values may
 * name other variables). A variable without a value stays as written.
 */
function expandVariables(value: string, resolve: (name: string) => string | null | undefined, depth = 0): string {
  if (depth > 8 || !value.includes('$')) return value;
  return value.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (whole, braced?: string, op?: string, word?: string, bare?: string) => {
      const known = resolve((braced ?? bare)!);
      const set = known !== undefined && known !== null && known !== '';
      if (op === '-')
        return set ? expandVariables(known, resolve, depth + 1) : expandVariables(word ?? '', resolve, depth + 1);
      if (op === '+') return set ? expandVariables(word ?? '', resolve, depth + 1) : '';
      return set ? expandVariables(known, resolve, depth + 1) : whole;
    },
  );
}

export function analyzeDockerfile(text: string): DockerfileAnalysis {
  const analysis: DockerfileAnalysis = { volumes: [], runsUnderVolumes: [], statefulBases: [], workdirCopies: [] };
  const dockerfile = DockerfileParser.parse(text);
  let stageImage: string | undefined;
  let workdir = '/';
  let stageVolumes: DockerfileVolume[] = [];
  let stageBase: StatefulBase | undefined;
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    if (keyword === 'FROM') {
      const args = instruction
        .getArguments()
        .map((a) => a.getValue())
        .filter((v) => !v.startsWith('--'));
      stageImage = args[0];
      workdir = '/';
      stageVolumes = [];
      const info = stageImage ? statefulImage(stageImage) : undefined;
      stageBase =
        info && stageImage ? { image: stageImage, info, range: rangeOf(instruction), declared: false } : undefined;
      if (stageBase) analysis.statefulBases.push(stageBase);
    } else if (keyword === 'WORKDIR') {
      const value = instruction.getArguments()[0]?.getValue();
      if (value) workdir = joinPath(workdir, unquote(value));
    } else if (keyword === 'VOLUME') {
      const content = instruction.getArgumentsContent() ?? '';
      let paths: string[];
      if (content.trim().startsWith('[')) {
        try {
          paths = (JSON.parse(content) as unknown[]).filter((p): p is string => typeof p === 'string');
        } catch {
          paths = instruction.getArguments().map((a) => unquote(a.getValue().replace(/^\[|,|\]$/g, '')));
        }
      } else paths = instruction.getArguments().map((a) => unquote(a.getValue()));
      const line = instruction.getRange().start.line;
      paths = paths.map((p) => expandVariables(p, (name) => dockerfile.resolveVariable(name, line)));
      for (const p of paths.filter(Boolean)) {
        const volume: DockerfileVolume = {
          path: joinPath(workdir, p),
          range: rangeOf(instruction),
          ...(stageImage ? { stageImage } : {}),
        };
        analysis.volumes.push(volume);
        stageVolumes.push(volume);
        if (stageBase && normalizeDir(volume.path) === normalizeDir(stageBase.info.dataPath)) stageBase.declared = true;
      }
    } else if (keyword === 'RUN' && stageVolumes.length) {
      const command = instruction.getArgumentsContent() ?? '';
      // Shell segments: "mkdir /logs/x && ls /cache" writes under /logs, not /cache.
      const segments = command.split(/&&|\|\||;|\||\n/).filter((seg) => WRITING.test(seg));
      for (const v of stageVolumes) {
        const insideWorkdir = workdir === v.path || workdir.startsWith(`${v.path}/`);
        if (segments.some((seg) => mentionsPath(seg, v.path)) || (insideWorkdir && segments.length > 0)) {
          analysis.runsUnderVolumes.push({
            range: rangeOf(instruction),
            volumePath: v.path,
            volumeLine: v.range.start.line,
          });
          break;
        }
      }
    } else if (keyword === 'COPY' || keyword === 'ADD') {
      const args = instruction
        .getArguments()
        .map((a) => a.getValue())
        .filter((v) => !v.startsWith('--'));
      const [source, destination] = args;
      if (
        args.length === 2 &&
        source === '.' &&
        destination &&
        (destination === '.' ||
          destination === './' ||
          normalizeDir(joinPath(workdir, destination)) === normalizeDir(workdir)) &&
        workdir !== '/'
      ) {
        analysis.workdirCopies.push({ workdir, range: rangeOf(instruction) });
      }
    }
  }
  return analysis;
}

/** Lens and diagnostic texts, in the user's language. */
export function dockerfileTexts(l10n: Translator) {
  return {
    volume: (p: string) =>
      l10n.t('VOLUME {0}: each container gets a new anonymous volume here unless you name one at run time', p),
    runUnderVolume: (p: string, line: number) =>
      l10n.t(
        'This RUN writes under {0}, declared a VOLUME on line {1}. The legacy builder discards such changes and BuildKit keeps them, so the image depends on the builder: write the files before the VOLUME line.',
        p,
        line + 1,
      ),
    statefulBase: (product: string, p: string) =>
      l10n.t('{0} keeps its data in {1}: persist it with a named volume', product, p),
    workdirCopy: (workdir: string) =>
      l10n.t('In development, bind-mount this folder at {0} instead of rebuilding for each change', workdir),
  };
}
