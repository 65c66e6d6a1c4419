// Bundles the three entry points. Only the client treats `vscode` as external:
// the server and CLI must run in plain Node, where no `vscode` module exists.
// Also builds the scorecard webview's assets in media/ (git-ignored, packed into
// the .vsix): the browser bundle media/scorecard.js and a copy of the codicons
// font and stylesheet (the .vsix carries no node_modules).
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');

// The engine takes only the compiler from ts-morph (server/src/engine/ts.ts) and no
// wrapper: bundle the compiler module ts-morph re-exports, not ts-morph itself,
// which would also load its wrapper library and TypeScript's lib .d.ts texts
// (~25 MB of heap in every process and worker, for nothing).
const compilerOnly = {
  name: 'ts-morph-compiler-only',
  setup(build) {
    build.onResolve({ filter: /^ts-morph$/ }, () => ({ path: 'ts-morph', namespace: 'ts-morph-compiler' }));
    build.onLoad({ filter: /.*/, namespace: 'ts-morph-compiler' }, () => ({
      contents: "exports.ts = require('@ts-morph/common/dist/typescript.js');",
      loader: 'js',
      resolveDir: process.cwd(),
    }));
  },
};

// zod re-exports every locale as `z.locales` (≈ 260 kB minified); every bundle
// only needs English, which zod registers by itself. Resolve the index to nothing.
const zodWithoutLocales = {
  name: 'zod-without-locales',
  setup(build) {
    build.onResolve({ filter: /[/\\]locales[/\\]index\.js$/ }, (args) => (/[/\\]zod[/\\]/.test(args.importer) ? { path: 'zod-locales', namespace: 'empty-module' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'empty-module' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // Non-ASCII escaped: V8 keeps a pure-ASCII script as one byte per character
  // (the bundle source is ~16 MB of heap in each thread, twice that as UTF-16).
  charset: 'ascii',
  // Comments would keep non-ASCII text (and bytes) in the script; names stay for stack traces and profiles.
  minifyWhitespace: true,
  plugins: [compilerOnly, zodWithoutLocales],
  logLevel: 'warning',
  // ts-morph's bundled TypeScript probes optional modules at run time; keep them out of the graph.
  external: ['@microsoft/typescript-etw', 'perf_hooks', 'source-map-support'],
};
// The CLI is two bundles: dist/cli.js parses arguments, walks the workspace and
// formats reports; dist/cli-analysis.js holds the engine, the rules and the compiler
// and runs as the scan's worker, or is loaded by cli.js for an in-process scan. A
// thread that loads it pays ~50 MB more than cli.js alone, so the main thread of a worker scan
// must not: cli.js keeps `import('./analysis.js')` as a run-time load of the other
// bundle, and the build fails if the compiler or the Workspace slip into cli.js.
const analysisBundleExternal = {
  name: 'analysis-bundle-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/analysis\.js$/ }, (args) => (/[/\\]cli[/\\]scan\.ts$/.test(args.importer) ? { path: './cli-analysis.js', external: true } : undefined));
  },
};
const CLI_MUST_NOT_BUNDLE = [/typescript\.js$/, /engine[/\\]workspace\.ts$/, /rules[/\\]index\.ts$/];

const entries = [
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [...common.plugins, analysisBundleExternal], metafile: true },
  { entryPoints: ['server/src/cli/analysis.ts'], outfile: 'dist/cli-analysis.js' },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: [...common.external, 'vscode'] },
];

// The webview script: a browser IIFE, no source map (the package holds none).
const webview = {
  plugins: [zodWithoutLocales],
  entryPoints: ['client/src/webview/scorecard.ts'],
  outfile: 'media/scorecard.js',
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'iife',
  minify: !watch,
  sourcemap: watch ? 'inline' : false,
  logLevel: 'warning',
};

const codicons = dirname(createRequire(import.meta.url).resolve('@vscode/codicons/dist/codicon.css'));
mkdirSync('media/codicons', { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(join(codicons, file), join('media/codicons', file));

if (watch) {
  for (const entry of entries) {
    const ctx = await esbuild.context({ ...common, ...entry });
    await ctx.watch();
  }
  await (await esbuild.context(webview)).watch();
  console.log('watching…');
} else {
  const built = await Promise.all([...entries.map((entry) => esbuild.build({ ...common, ...entry })), esbuild.build(webview)]);
  for (const { outfile } of entries) assertAscii(outfile);
  assertThin('dist/cli.js', built[0].metafile);
}

/** The CLI's main-thread bundle must not carry the analysis (see `analysisBundleExternal`). */
function assertThin(file, metafile) {
  const inputs = Object.keys(metafile.inputs).filter((input) => CLI_MUST_NOT_BUNDLE.some((pattern) => pattern.test(input)));
  if (inputs.length === 0) return;
  console.error(`${file} bundles analysis code it must load from dist/cli-analysis.js instead: ${inputs.join(', ')}`);
  process.exit(1);
}

/** A non-ASCII character left in a regex literal would double the script's heap (see `charset`); write it as \\uXXXX. */
function assertAscii(file) {
  const text = readFileSync(file, 'latin1');
  const at = text.search(/[^\x00-\x7f]/);
  if (at === -1) return;
  const line = text.slice(0, at).split('\n').length;
  console.error(`${file}:${line}: non-ASCII text in the bundle (${JSON.stringify(text.slice(Math.max(0, at - 40), at + 20))}); escape it as \\uXXXX in the source`);
  process.exit(1);
}
