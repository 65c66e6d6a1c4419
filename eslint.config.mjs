import tseslint from 'typescript-eslint';

const editorImports = {
  patterns: [
    { group: ['vscode', 'vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageserver-*', 'vscode-languageclient', 'vscode-languageclient/*'], message: 'The engine and rules are editor-agnostic: no vscode or LSP imports (see DESIGN.md, layers).' },
    { group: ['**/lsp/**', '**/cli/**', '**/client/**'], message: 'Dependencies point down: the engine and rules must not import the front ends.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'media/scorecard.js', 'media/codicons/**', 'node_modules/**', '**/fixtures/**', 'examples/**', 'test/e2e/editor/**', '.bench/**', 'test/artifacts/**', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['server/src/engine/**/*.ts', 'rules/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', editorImports] },
  },
  {
    ignores: ['server/src/engine/ts.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [{ name: 'ts-morph', allowTypeImports: true, message: "Import `ts` from server/src/engine/ts: a bundled CommonJS export costs a getter call per access, and the hot paths touch it per node." }] },
      ],
    },
  },
);
