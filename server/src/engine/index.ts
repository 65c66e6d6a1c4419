// The engine's public face: what the CLI, the language server and the tests import.
export { Workspace, type Invalidation, type WorkspaceOptions } from './workspace';
export type { FileResult } from './runner';
export { CONFIG_FILE, ConfigSchema, DEFAULT_CONFIG, parseConfig, type Config, type ConfigProblem, type RuleSetting } from './config';
export { LineIndex, applyEdits } from './files/text';
export { classifyFile, isCodeKind } from './files/kinds';
export { SUPPRESSION_RULE_ID } from './suppressions';
export * from './types';
