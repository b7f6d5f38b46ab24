import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

// Node's built-in modules, with and without the node: prefix, as one anchored regex: gitignore-style
// groups would also refuse our own relative files that share a name with one (./events).
const escape = (name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const nodeBuiltinRegex = `^(node:.*|(${builtinModules
  .filter((name) => !name.startsWith('_'))
  .map(escape)
  .join('|')})(/.*)?)$`;

const noNodeOrElectron = {
  patterns: [
    {
      regex: nodeBuiltinRegex,
      message: 'renderer/ and common/ run without Node: move this to electron/services and call it over the bridge.',
    },
    {
      group: ['electron', 'electron/*'],
      message: 'renderer/ and common/ never import electron: use the typed bridge.',
    },
    { group: ['**/electron/**', '**/native/**'], message: 'renderer/ and common/ may not reach into the Node side.' },
  ],
};

// esquery regexes cannot contain '/', so '.' stands in for it (fs.promises matches fs/promises).
const builtinPattern = `^(node:.*|electron.*|${builtinModules
  .filter((n) => !n.startsWith('_'))
  .map((n) => n.replace(/[/]/g, '.'))
  .join('|')})$`;
const noDynamicNodeOrElectron = [
  'error',
  {
    selector: `ImportExpression[source.value=/${builtinPattern}/]`,
    message: 'renderer/ and common/ never load node: or electron modules, not even dynamically.',
  },
  {
    selector: "CallExpression[callee.name='require']",
    message: 'renderer/ and common/ are ES modules without require().',
  },
];

/**
 * The layering rule (ARCHITECTURE.md): the renderer and common/ never import node: or electron;
 * services, ipc, hosts, db and native never import electron. tests/unit/lint/layering.test.ts proves
 * it fires on planted violations.
 */
export const layeringRules = [
  {
    files: ['renderer/**/*.{ts,tsx}', 'common/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', noNodeOrElectron], 'no-restricted-syntax': noDynamicNodeOrElectron },
  },
  {
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noNodeOrElectron.patterns,
            {
              group: ['**/renderer/**', 'react', 'react-dom', 'zustand'],
              message: 'common/ is shared by both sides: no UI imports.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      'electron/services/**/*.ts',
      'electron/worker/**/*.ts',
      'hosts/**/*.ts',
      'electron/db/**/*.ts',
      'native/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            // A regex, not a group: gitignore-style groups would also match our own ../electron/services paths.
            {
              regex: '^electron(/.*)?$',
              message:
                'Services run without Electron (worker thread, browser host, CLI): keep electron in electron/main and electron/preload.',
            },
            { group: ['**/renderer/**'], message: 'The Node side never imports renderer code.' },
          ],
        },
      ],
    },
  },
  {
    // The database layer is below the services: connection, migrations and queries import no service.
    files: ['electron/db/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^electron(/.*)?$', message: 'The database layer runs without Electron.' },
            { group: ['**/renderer/**'], message: 'The Node side never imports renderer code.' },
            {
              regex: '(^|/)services(/.*)?$',
              message: 'electron/db never imports electron/services: move what it needs into electron/db.',
            },
          ],
        },
      ],
    },
  },
  {
    // SQL lives in one place: each statement declared once, typed, in electron/db/queries (docs/store.md).
    files: ['electron/**/*.ts', 'hosts/**/*.ts', 'native/**/*.ts'],
    ignores: ['electron/db/queries/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='prepare']",
          message:
            'Declare the statement in electron/db/queries/<domain>.ts (sql helper) instead of calling prepare().',
        },
      ],
    },
  },
  {
    // Renderer state is below the screens: a domain state never imports feature code.
    files: ['renderer/state/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noNodeOrElectron.patterns,
            {
              group: ['**/features/**', '**/features'],
              message:
                'renderer/state never imports renderer/features: move what both need to state, components or common.',
            },
          ],
        },
      ],
    },
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'tests/data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['scripts/**/*.{js,mjs,cjs}', '*.config.{js,ts}'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...layeringRules,
);
