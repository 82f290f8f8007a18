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
  /** Past MAX_DOCKERFILE_BYTES: not analysed at all. */
  tooLarge?: boolean;
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

/** An instruction's arguments without its `--flag`s (`FROM --platform=…`, `COPY --chown=…`). */
function operands(instruction: Instruction): string[] {
  return instruction
    .getArguments()
    .map((a) => a.getValue())
    .filter((v) => !v.startsWith('--'));
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

/** Characters that may come right before a path in a shell command, and right after it. */
const BEFORE_PATH = /[\s'"=:>(]/;
const AFTER_PATH = /[/\s'";|&)<>]/;

/**
 * A test for shell commands that name `dir` or a path under it (never true for `/`). Compared as text, not through a
 * pattern built from the path: a planted 120 KB `VOLUME` path made `new RegExp` throw "Regular expression too large".
 */
function mentionOf(dir: string): (text: string) => boolean {
  if (dir === '/') return () => false;
  return (text) => {
    for (let at = text.indexOf(dir); at >= 0; at = text.indexOf(dir, at + 1)) {
      const end = at + dir.length;
      if ((at === 0 || BEFORE_PATH.test(text[at - 1]!)) && (end === text.length || AFTER_PATH.test(text[end]!)))
        return true;
    }
    return false;
  };
}

/**
 * VOLUME paths of one stage that each RUN is checked against: real Dockerfiles declare a handful, and a planted one
 * with thousands would make every RUN test every path.
 */
const MAX_CHECKED_STAGE_VOLUMES = 64;

/**
 * Commands that change files (as opposed to reading them): a RUN mentioning a volume path and one of these writes
 * there.
 */
const WRITING =
  /(>|\b(mkdir|touch|cp|mv|rm|ln|chown|chmod|tee|install|echo|printf|sed\s+-i|git\s+clone|curl|wget|tar|unzip|npm|pip|apt-get|apk|useradd|adduser)\b)/;

/**
 * Files past this are not analysed: a hand-written Dockerfile is a few KiB, and the analysis runs on the editor's
 * thread (planted files of 100-200 KiB held it 1.2-2.4 s).
 */
export const MAX_DOCKERFILE_BYTES = 64 * 1024;
/**
 * A value that expands past this many characters counts as unknown: ARG lines naming the previous one ten times each
 * grow tenfold per line (376 bytes made a 100-million-character path).
 */
const MAX_EXPANDED_CHARS = 4096;
/** Variable lookups for a whole file; past them, the remaining paths stay as written. */
const MAX_LOOKUPS = 20_000;
/** Instructions read by variable lookups for a whole file (lookups × instructions). */
const MAX_INSTRUCTION_SCANS = 2_000_000;

class ExpansionBudgetSpent extends Error {}

/** Lookups left for the file, and each text already expanded (a value named ten times is expanded once). */
interface Expansion {
  resolve: (name: string) => string | null | undefined;
  lookups: number;
  done: Map<string, string | ExpansionBudgetSpent>;
}

/**
 * `$VAR`, `${VAR}`, `${VAR:-default}` in an instruction, from the ARG and ENV lines before it (their values may
 * name other variables). A variable without a value stays as written; so does the whole value when its expansion
 * grows past the bounds above.
 */
function expandVariables(value: string, expansion: Expansion): string {
  try {
    return expandWithin(value, expansion, 0);
  } catch (err) {
    if (err instanceof ExpansionBudgetSpent) return value;
    throw err;
  }
}

function expandWithin(value: string, expansion: Expansion, depth: number): string {
  if (depth > 8 || !value.includes('$')) return value;
  const key = `${depth}\0${value}`;
  const known = expansion.done.get(key);
  if (known instanceof ExpansionBudgetSpent) throw known;
  if (known !== undefined) return known;
  try {
    const expanded = value.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (whole, braced?: string, op?: string, word?: string, bare?: string) => {
        if (--expansion.lookups < 0) throw new ExpansionBudgetSpent();
        const found = expansion.resolve((braced ?? bare)!);
        const set = found !== undefined && found !== null && found !== '';
        const deeper = (text: string) => expandWithin(text, expansion, depth + 1);
        if (op === '-') return set ? deeper(found) : deeper(word ?? '');
        if (op === '+') return set ? deeper(word ?? '') : '';
        return set ? deeper(found) : whole;
      },
    );
    if (expanded.length > MAX_EXPANDED_CHARS) throw new ExpansionBudgetSpent();
    expansion.done.set(key, expanded);
    return expanded;
  } catch (err) {
    if (err instanceof ExpansionBudgetSpent) expansion.done.set(key, err);
    throw err;
  }
}

export function analyzeDockerfile(text: string): DockerfileAnalysis {
  const analysis: DockerfileAnalysis = { volumes: [], runsUnderVolumes: [], statefulBases: [], workdirCopies: [] };
  if (text.length > MAX_DOCKERFILE_BYTES) return { ...analysis, tooLarge: true };
  const dockerfile = DockerfileParser.parse(text);
  let lookups = MAX_LOOKUPS;
  // dockerfile-ast scans every instruction for each lookup: one lookup per name and line, and a bound on the scans
  // (thousands of ARG lines named by hundreds of VOLUME lines took 11 s).
  const instructions = Math.max(1, dockerfile.getInstructions().length);
  let scansLeft = MAX_INSTRUCTION_SCANS;
  const expandAt = (line: number, value: string) => {
    // Values resolve at the instruction's line: an ARG redefined later does not reach back.
    const values = new Map<string, string | null | undefined>();
    const resolve = (name: string) => {
      if (!values.has(name)) {
        scansLeft -= instructions;
        if (scansLeft < 0) throw new ExpansionBudgetSpent();
        values.set(name, dockerfile.resolveVariable(name, line));
      }
      return values.get(name);
    };
    const expansion: Expansion = { resolve, lookups, done: new Map() };
    const expanded = expandVariables(value, expansion);
    lookups = Math.max(0, expansion.lookups);
    return expanded;
  };
  let stageImage: string | undefined;
  let workdir = '/';
  let stageVolumes: (DockerfileVolume & { mentionedIn: (text: string) => boolean })[] = [];
  let stageBase: StatefulBase | undefined;
  for (const instruction of dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    if (keyword === 'FROM') {
      stageImage = operands(instruction)[0];
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
      paths = paths.map((p) => expandAt(line, p));
      for (const p of paths.filter(Boolean)) {
        const volume: DockerfileVolume = {
          path: joinPath(workdir, p),
          range: rangeOf(instruction),
          ...(stageImage ? { stageImage } : {}),
        };
        analysis.volumes.push(volume);
        if (stageVolumes.length < MAX_CHECKED_STAGE_VOLUMES)
          stageVolumes.push({ ...volume, mentionedIn: mentionOf(volume.path) });
        if (stageBase && normalizeDir(volume.path) === normalizeDir(stageBase.info.dataPath)) stageBase.declared = true;
      }
    } else if (keyword === 'RUN' && stageVolumes.length) {
      const command = instruction.getArgumentsContent() ?? '';
      // Shell segments: "mkdir /logs/x && ls /cache" writes under /logs, not /cache.
      const segments = command.split(/&&|\|\||;|\||\n/).filter((seg) => WRITING.test(seg));
      for (const v of stageVolumes) {
        const insideWorkdir = workdir === v.path || workdir.startsWith(`${v.path}/`);
        if (segments.some(v.mentionedIn) || (insideWorkdir && segments.length > 0)) {
          analysis.runsUnderVolumes.push({
            range: rangeOf(instruction),
            volumePath: v.path,
            volumeLine: v.range.start.line,
          });
          break;
        }
      }
    } else if (keyword === 'COPY' || keyword === 'ADD') {
      const args = operands(instruction);
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
    tooLarge: () => l10n.t('Not analysed by Docker Volumes: larger than {0} KiB.', MAX_DOCKERFILE_BYTES / 1024),
  };
}
