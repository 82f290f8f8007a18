// ESLint: typed rules for the extension and its tests, and the import rules between the rooms of src/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const VSCODE = {
  name: 'vscode',
  message: 'src/core, src/docker and src/flows stay free of vscode (testable in plain Node): pass what they need in.',
};

/** A pattern for relative imports of these rooms from any depth (`../room`, `../../room/file`). */
const rooms = (...names) => `^(\\.\\./)+(${names.join('|')})(/|$)`;

/** A re-export gives one name two import paths, and then callers drift between them: import from the defining file. */
const NO_REEXPORT = {
  selector: 'ExportNamedDeclaration[source], ExportAllDeclaration',
  message: 'No re-exports in src/: each name is imported from the one module that defines it.',
};

/**
 * A notification cuts a long text off, advice and all: showNotice keeps its first sentence and puts the rest behind
 * Details; a modal question (askModal) shows its whole text.
 */
const NO_DIRECT_NOTICE = {
  selector: 'MemberExpression[property.name=/^show(Information|Warning|Error)Message$/]',
  message:
    'Notify through showNotice (src/messages.ts), which keeps a long text readable; ask a modal question with askModal.',
};

/**
 * Going through one of our own commands hides a failure behind that command's error report (the caller sees
 * `undefined`) and drops the types of its arguments: call the flow or the shared handler instead. The rule can only
 * read a command named where it is run, so executeCommand is only ever called, its command a literal or a template
 * that starts with text (`workbench.view.extension.${…}`); anything else could be one of ours.
 */
const EXECUTE_NAMED = "[callee.property.name='executeCommand'], [callee.property.value='executeCommand']";
const EXECUTE = `CallExpression:matches(${EXECUTE_NAMED}, [callee.name='executeCommand'])`;
/** A template that starts with a value names a command by a variable; a view's `.focus` command is VS Code's own. */
const VARIABLE_TEMPLATE = "[arguments.0.type='TemplateLiteral'][arguments.0.quasis.0.value.raw='']";
const VIEW_FOCUS = "[arguments.0.quasis.length=2][arguments.0.quasis.1.value.raw='.focus']";
const NO_OWN_COMMAND = {
  selector: [
    `${EXECUTE}:not([arguments.0.type='Literal'], [arguments.0.type='TemplateLiteral'])`,
    `${EXECUTE}${VARIABLE_TEMPLATE}:not(${VIEW_FOCUS})`,
    `${EXECUTE}[arguments.0.value=/^volumesLab\\./]`,
    `${EXECUTE}[arguments.0.quasis.0.value.raw=/^volumesLab\\./]`,
    // Held in a variable, passed on or destructured, executeCommand runs a command the rule never sees.
    "MemberExpression:matches([property.name='executeCommand'], [property.value='executeCommand']):not(CallExpression > MemberExpression.callee)",
    "Property[key.name='executeCommand']",
  ].join(', '),
  message:
    'No executeCommand on our own commands inside the extension: call the flow (src/flows) or the function the command calls. Call vscode.commands.executeCommand where the command runs, naming any other command there as a literal, not through a variable.',
};

/** `import('vscode')` and `require('vscode')`, which the import rules do not see. */
const NO_VSCODE_LOADED = {
  selector:
    "ImportExpression[source.value='vscode'], CallExpression[callee.name='require'][arguments.0.value='vscode']",
  message: VSCODE.message,
};

/** A module loaded by a computed path escapes every layer rule: the rules read the path as written. */
const NO_COMPUTED_LOAD = {
  selector:
    "ImportExpression:not([source.type='Literal']), CallExpression[callee.name='require']:not([arguments.0.type='Literal'])",
  message: 'Load a module by a literal path, which the layer rules can read (README, "Architecture").',
};

/** The regex of an import pattern, written for esquery (a `/` inside its /…/ must be escaped). */
const esqueryRegex = (regex) => `/${regex.replaceAll('/', '\\/')}/`;

/** `import()` and `require()` of a refused path: the same patterns as the static imports, for the loads they miss. */
const loadsOf = (patterns) =>
  patterns.map(({ regex, message }) => ({
    selector: [
      `ImportExpression[source.value=${esqueryRegex(regex)}]`,
      `CallExpression[callee.name='require'][arguments.0.value=${esqueryRegex(regex)}]`,
    ].join(', '),
    message,
  }));

/** A room's own refused paths, and what each says. */
const above = (room, names) => ({
  regex: rooms(...names),
  message: `${room} may not import a room above it (${names.join(', ')}): pass what it needs in, or fire an event the upper room listens to.`,
});
const SHARED_FILES = {
  regex: '^\\./(flows|commands|views|lenses|learn|extension)(/|$)',
  message: 'The shared src/*.ts files (log, messages) sit with services: they may not import the rooms above.',
};

/**
 * The rooms of src/, bottom up: core ← docker ← services (and the shared src/*.ts: constants, log, messages)
 * ← views, lenses, learn ← commands ← extension.ts. A room imports its own files and the rooms below. The flows stand
 * on core, docker and constants only (no vscode through any import) and are imported by the rooms above services.
 * `refuse` holds the import paths each room may not load; `vscodeFree` rooms load no vscode at all; only messages.ts
 * may notify directly.
 */
const ROOMS = [
  {
    files: ['src/core/**/*.ts'],
    vscodeFree: true,
    refuse: [{ regex: '^\\.\\./', message: 'src/core is pure: it imports only src/core (and libraries).' }],
  },
  {
    files: ['src/workers/**/*.ts'],
    vscodeFree: true,
    refuse: [
      { regex: '^\\.\\./(?!core/)', message: 'src/workers run off the editor thread: they import only src/core.' },
    ],
  },
  {
    files: ['src/docker/**/*.ts'],
    vscodeFree: true,
    refuse: [{ regex: '^\\.\\./(?!core/)', message: 'src/docker imports only src/docker and src/core.' }],
  },
  // The flows load constants.ts in plain Node: it stands on core alone.
  {
    files: ['src/constants.ts'],
    vscodeFree: true,
    refuse: [
      { regex: '^\\.\\.?/(?!core/)', message: 'src/constants.ts is imported by the flows: it imports only src/core.' },
    ],
  },
  { files: ['src/*.ts'], ignores: ['src/extension.ts', 'src/constants.ts', 'src/messages.ts'], refuse: [SHARED_FILES] },
  { files: ['src/messages.ts'], refuse: [SHARED_FILES], notifies: true },
  {
    files: ['src/services/**/*.ts'],
    refuse: [above('src/services', ['flows', 'commands', 'views', 'lenses', 'learn', 'extension'])],
  },
  {
    files: ['src/flows/**/*.ts'],
    vscodeFree: true,
    refuse: [
      {
        regex: '^\\.\\./(?!core/|docker/|constants$)',
        message:
          'src/flows import only src/flows, src/core, src/docker and src/constants: the other rooms reach vscode, and a flow must load in plain Node (the scheduler, the labs and the tests call it). Pass what it needs in through FlowDeps.',
      },
    ],
  },
  { files: ['src/views/**/*.ts'], refuse: [above('src/views', ['commands', 'lenses', 'learn', 'extension'])] },
  { files: ['src/lenses/**/*.ts'], refuse: [above('src/lenses', ['commands', 'views', 'learn', 'extension'])] },
  { files: ['src/learn/**/*.ts'], refuse: [above('src/learn', ['commands', 'views', 'lenses', 'extension'])] },
  { files: ['src/commands/**/*.ts'], refuse: [above('src/commands', ['extension'])] },
  { files: ['src/extension.ts'], refuse: [] },
];

/** What every file of src/ is held to, whatever its room. */
const EVERY_ROOM = [NO_REEXPORT, NO_OWN_COMMAND, NO_COMPUTED_LOAD];

/**
 * One config object per room carries both its import rule and its syntax rule: a later setting of the same rule for
 * the same files would replace an earlier one, not add to it.
 */
function layers() {
  // `../core/../services` starts like an allowed room and ends in another: a path climbs only at its start.
  const climbing = {
    regex: '(^|/)(?!\\.\\.(/|$))[^/]+/\\.\\.(/|$)',
    message: 'An import path climbs (..) only at its start: name the room it reaches, so the layer rules can read it.',
  };
  return ROOMS.map(({ files, ignores = [], refuse, vscodeFree = false, notifies = false }) => {
    const patterns = [climbing, ...refuse];
    return {
      files,
      ignores,
      rules: {
        '@typescript-eslint/no-restricted-imports': ['error', { paths: vscodeFree ? [VSCODE] : [], patterns }],
        'no-restricted-syntax': [
          'error',
          ...EVERY_ROOM,
          ...(notifies ? [] : [NO_DIRECT_NOTICE]),
          ...(vscodeFree ? [NO_VSCODE_LOADED] : []),
          ...loadsOf(patterns),
        ],
      },
    };
  });
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'scripts/**', 'test/e2e/**', '*.mjs', 'labs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      eqeqeq: ['error', 'smart'],
      // Prettier wraps code at 120 (.prettierrc.json); this catches what it leaves: comments, and code it cannot wrap.
      // User-facing strings stay whole, since their text is the key of their translation.
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true, ignoreRegExpLiterals: true },
      ],
    },
  },
  // A file of src/ does one job; one that passes 400 lines is doing two.
  {
    files: ['src/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }] },
  },
  // A command handler resolves its argument, prompts, calls a flow and shows the result: whatever is longer belongs in
  // a flow (src/flows), a pure rule (src/core) or a prompt of its own. Counted as written, blank lines and comments in.
  {
    files: ['src/commands/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 40, skipBlankLines: false, skipComments: false, IIFEs: true }],
    },
  },
  // A room of src/ not in ROOMS yet still gets the rules every room follows.
  { files: ['src/**/*.ts'], rules: { 'no-restricted-syntax': ['error', ...EVERY_ROOM, NO_DIRECT_NOTICE] } },
  // One direction between the rooms of src/ (README, "Architecture"): each may import only the rooms below it.
  ...layers(),
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);
