// ESLint peer for `npm run bench`: typescript-eslint's parser WITHOUT type
// information (no `project`), plus eslint-plugin-security's recommended rules,
// on every JS/TS file of the generated workspace.
//
// run.ts starts ESLint with the workspace as its working directory and this
// file passed via --config: with an explicit --config, ESLint 10 resolves the
// `files` patterns below against the cwd (not this file's folder), so the
// workspace can live anywhere.
//
// Deliberately NOT named eslint.config.mjs: ESLint 10 picks the nearest
// eslint.config.* for each file, so that name would replace the project's own
// lint config for test/bench/*.ts.
import tseslint from 'typescript-eslint';
import security from 'eslint-plugin-security';

export default [
  {
    files: ['**/*.{ts,tsx,js,jsx}'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: {
        ecmaVersion: 'latest',
        sourceType: 'module',
        ecmaFeatures: { jsx: true },
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
  {
    files: ['**/*.{ts,tsx,js,jsx}'],
    ...security.configs.recommended,
  },
];
