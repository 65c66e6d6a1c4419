// The TypeScript compiler API that ts-morph ships, bound once. A bundle reads a
// CommonJS module's exports through a getter on every access, and the hot paths
// touch `ts` for every node they walk: in the bundled language server those getter
// calls were 17% of all CPU time during typing.
import * as tsMorph from 'ts-morph';

export import ts = tsMorph.ts;
