// ESLint for every package: typescript-eslint's recommended rules, plus the one-way
// pipeline as import boundaries (a package may import only the packages upstream of it),
// and the capture split (code in capture/src/receive runs in the runner and never imports
// the agent that runs inside the service).
import tseslint from 'typescript-eslint';

/** Which @headroom packages each package may import: upstream only. */
const ALLOWED = {
  core: [],
  internal: ['core'],
  analysis: ['core', 'internal', 'capture'],
  store: ['core', 'internal', 'capture'],
  load: ['core', 'internal'],
  bench: ['core', 'internal'],
  capture: ['core', 'internal'],
  runner: ['core', 'internal', 'analysis', 'store', 'load', 'bench', 'capture'],
  report: ['core', 'internal', 'analysis', 'store', 'runner', 'capture'],
  cli: ['core', 'internal', 'analysis', 'store', 'load', 'bench', 'capture', 'runner', 'report'],
};
const ALL = Object.keys(ALLOWED);

const boundaries = Object.entries(ALLOWED).map(([pkg, allowed]) => ({
  files: [`packages/${pkg}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...ALL.filter((p) => p !== pkg && !allowed.includes(p)).map((p) => ({
            group: [`@headroom/${p}`, `@headroom/${p}/*`],
            message: `${pkg} may not import ${p}: data flows one way (core → internal → load/bench/capture → store/analysis → runner → report → cli)`,
          })),
          { group: ['../../*/src/*', '../../../packages/*'], message: 'import another package by its name, not by a relative path' },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'packages/*/dist/**', 'results/**', '**/.test-results.json', 'docs/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'max-len': [
        'error',
        { code: 200, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreComments: false },
      ],
    },
  },
  ...boundaries,
  {
    files: ['packages/capture/src/receive/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../agent/*', '../agent'],
              message: 'receive/ runs in the runner and never imports the agent, which runs inside the service',
            },
          ],
        },
      ],
    },
  },
);
