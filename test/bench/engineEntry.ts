// What the latency bench needs of the engine, bundled by esbuild the way dist/server.js
// is: run from the TypeScript sources (tsx compiles each file to CommonJS on its own),
// every imported binding is read through an interop getter, which the shipped bundle
// does not pay, so the engine would be measured slower than users run it.
export { Workspace } from '../../server/src/engine';
export { parseCode } from '../../server/src/engine/files/parse';
export { RULES } from '../../rules/index';
export { KNOWN_RULE_IDS } from '../../rules/meta';
