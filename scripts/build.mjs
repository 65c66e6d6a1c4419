// Bundles the three entry points. Only the client treats `vscode` as external:
// the server and CLI must run in plain Node, where no `vscode` module exists.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  // ts-morph's bundled TypeScript probes optional modules at run time; keep them out of the graph.
  external: ['@microsoft/typescript-etw', 'perf_hooks', 'source-map-support'],
};
const entries = [
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: [...common.external, 'vscode'] },
];

if (watch) {
  for (const entry of entries) {
    const ctx = await esbuild.context({ ...common, ...entry });
    await ctx.watch();
  }
  console.log('watching…');
} else {
  await Promise.all(entries.map((entry) => esbuild.build({ ...common, ...entry })));
}
