// ESLint: typed rules for the extension and its tests, and the import rules between the rooms of src/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const VSCODE = {
  name: 'vscode',
  message: 'src/core, src/docker and src/flows stay free of vscode (testable in plain Node): pass what they need in.',
};

/** The rooms that never load vscode, through no import of any kind. */
const VSCODE_FREE = [
  'src/core/**/*.ts',
  'src/docker/**/*.ts',
  'src/flows/**/*.ts',
  'src/workers/**/*.ts',
  'src/constants.ts',
];

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
 * `undefined`) and drops the types of its arguments: call the flow or the shared handler instead.
 */
const EXECUTE =
  "CallExpression:matches([callee.property.name='executeCommand'], [callee.property.value='executeCommand'], [callee.name='executeCommand'])";
const NO_OWN_COMMAND = {
  // A command named by a variable could be ours, and the rule cannot tell: the command is named where it is run.
  selector: [
    `${EXECUTE}[arguments.0.object.name='COMMANDS']`,
    `${EXECUTE}[arguments.0.type='Identifier']`,
    `${EXECUTE}[arguments.0.value=/^volumesLab\\./]`,
    `${EXECUTE}[arguments.0.quasis.0.value.raw=/^volumesLab\\./]`,
  ].join(', '),
  message:
    'No executeCommand on our own commands inside the extension: call the flow (src/flows) or the function the command calls. Name any other command where it is run (a literal), not through a variable.',
};

/** `import('vscode')` and `require('vscode')`, which the import rules do not see. */
const NO_VSCODE_LOADED = {
  selector:
    "ImportExpression[source.value='vscode'], CallExpression[callee.name='require'][arguments.0.value='vscode']",
  message: VSCODE.message,
};

/**
 * The layers, bottom up: core ← docker ← services (and the shared src/*.ts: constants, log, messages)
 * ← views, lenses, learn ← commands ← extension.ts. A room imports its own files and the rooms below. The flows stand
 * on core, docker and constants only (no vscode through any import) and are imported by the rooms above services.
 */
function layers() {
  // `../core/../services` starts like an allowed room and ends in another: a path climbs only at its start.
  const climbing = {
    regex: '(^|/)(?!\\.\\.(/|$))[^/]+/\\.\\.(/|$)',
    message: 'An import path climbs (..) only at its start: name the room it reaches, so the layer rules can read it.',
  };
  const rule = (files, patterns, paths = [], ignores = []) => ({
    files,
    ignores,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns: [climbing, ...patterns] }] },
  });
  const above = (room, names) => ({
    regex: rooms(...names),
    message: `${room} may not import a room above it (${names.join(', ')}): pass what it needs in, or fire an event the upper room listens to.`,
  });
  return [
    rule(
      ['src/core/**/*.ts'],
      [{ regex: '^\\.\\./', message: 'src/core is pure: it imports only src/core (and libraries).' }],
      [VSCODE],
    ),
    rule(
      ['src/workers/**/*.ts'],
      [{ regex: '^\\.\\./(?!core/)', message: 'src/workers run off the editor thread: they import only src/core.' }],
      [VSCODE],
    ),
    rule(
      ['src/docker/**/*.ts'],
      [{ regex: '^\\.\\./(?!core/)', message: 'src/docker imports only src/docker and src/core.' }],
      [VSCODE],
    ),
    rule(
      ['src/*.ts'],
      [
        {
          regex: '^\\./(flows|commands|views|lenses|learn|extension)(/|$)',
          message: 'The shared src/*.ts files (log, messages) sit with services: they may not import the rooms above.',
        },
      ],
      [],
      ['src/extension.ts', 'src/constants.ts'],
    ),
    // The flows load constants.ts in plain Node: it stands on core alone.
    rule(
      ['src/constants.ts'],
      [
        {
          regex: '^\\.\\.?/(?!core/)',
          message: 'src/constants.ts is imported by the flows: it imports only src/core.',
        },
      ],
      [VSCODE],
    ),
    rule(
      ['src/services/**/*.ts'],
      [above('src/services', ['flows', 'commands', 'views', 'lenses', 'learn', 'extension'])],
    ),
    rule(
      ['src/flows/**/*.ts'],
      [
        {
          regex: '^\\.\\./(?!core/|docker/|constants$)',
          message:
            'src/flows import only src/flows, src/core, src/docker and src/constants: the other rooms reach vscode, and a flow must load in plain Node (the scheduler, the labs and the tests call it). Pass what it needs in through FlowDeps.',
        },
      ],
      [VSCODE],
    ),
    rule(['src/views/**/*.ts'], [above('src/views', ['commands', 'lenses', 'learn', 'extension'])]),
    rule(['src/lenses/**/*.ts'], [above('src/lenses', ['commands', 'views', 'learn', 'extension'])]),
    rule(['src/learn/**/*.ts'], [above('src/learn', ['commands', 'views', 'lenses', 'extension'])]),
    rule(['src/commands/**/*.ts'], [above('src/commands', ['extension'])]),
  ];
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
  // One direction between the rooms of src/ (README, "Architecture"): each may import only the rooms below it.
  ...layers(),
  // The syntax restrictions live in one rule setting per file set: a later `no-restricted-syntax` for the same files
  // would replace an earlier one, not add to it.
  ...[
    { files: VSCODE_FREE, restrictions: [NO_REEXPORT, NO_DIRECT_NOTICE, NO_OWN_COMMAND, NO_VSCODE_LOADED] },
    {
      files: ['src/**/*.ts'],
      ignores: ['src/messages.ts', ...VSCODE_FREE],
      restrictions: [NO_REEXPORT, NO_DIRECT_NOTICE, NO_OWN_COMMAND],
    },
    { files: ['src/messages.ts'], restrictions: [NO_REEXPORT, NO_OWN_COMMAND] },
  ].map(({ files, ignores, restrictions }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: { 'no-restricted-syntax': ['error', ...restrictions] },
  })),
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);
