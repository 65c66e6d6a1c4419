// Engine values → LSP values. Nothing here decides what is wrong; it only
// translates findings, config problems and fixes into the protocol's shapes.
import {
  type ClientCapabilities,
  type CreateFile,
  type Diagnostic,
  DiagnosticSeverity,
  type Range,
  ResourceOperationKind,
  type TextDocumentEdit,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { type ConfigProblem, type Finding, type Fix, LineIndex, type Severity } from '../engine';
import { CONFIG_DIAGNOSTIC_CODE, DIAGNOSTIC_SOURCE, type DiagnosticData } from '../protocol';
import { locateJsonPath } from './jsonLocate';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toDiagnostic(finding: Finding, index: number, documentVersion: number | null, docsUrl: (ruleId: string) => string): Diagnostic {
  const data: DiagnosticData = { ruleId: finding.ruleId, index, documentVersion };
  return {
    range: finding.range,
    severity: SEVERITY[finding.severity],
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    codeDescription: { href: docsUrl(finding.ruleId) },
    message: finding.message,
    data,
  };
}

/**
 * Problems in `.shipshape.json`, each on the key or value it names (or where
 * JSON.parse stopped), falling back to line 1 when the text cannot say more.
 */
export function configDiagnostics(text: string, problems: readonly ConfigProblem[]): Diagnostic[] {
  const lines = new LineIndex(text);
  const firstLine: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: lines.lineText(0).length } };
  return problems.map((problem) => {
    let range = firstLine;
    const segments = problem.path === '' ? [] : problem.path.split('.');
    const part = /^unknown (?:rule|key)/.test(problem.message) ? 'key' : 'value';
    const span = locateJsonPath(text, segments, part);
    if (span) range = lines.range(span.start, span.end);
    else if (problem.offset !== undefined) range = lines.range(problem.offset, Math.min(problem.offset + 1, text.length));
    return {
      range,
      severity: DiagnosticSeverity.Error,
      source: DIAGNOSTIC_SOURCE,
      code: CONFIG_DIAGNOSTIC_CODE,
      // A problem with the whole file (path '') leaves nothing to use; any other leaves out just its entry.
      message: `Invalid .shipshape.json${problem.path ? ` at ${problem.path}` : ''}: ${problem.message}. ${problem.path ? 'This entry is ignored' : 'Shipshape uses the default configuration'} until this is fixed.`,
    };
  });
}

/** Where a fix's files stand now, for converting its offsets and stamping versions. */
export interface FileState {
  uri: string;
  /** The text the fix's offsets refer to. */
  text: string;
  /** Open document version to stamp the edit with; null for files not open. */
  version: number | null;
  /** Whether the file exists (on disk or as an open buffer). */
  exists: boolean;
}

/**
 * What the client can apply in a WorkspaceEdit, from its `workspace.workspaceEdit`
 * capabilities. The spec forbids sending a client `documentChanges` or resource
 * operations it did not declare: it fails the whole edit, or applies part of it.
 */
export interface EditAbilities {
  /** Versioned, ordered `documentChanges`; without it only the unversioned `changes` map. */
  documentChanges: boolean;
  /** CreateFile operations (`resourceOperations` includes 'create'), which only `documentChanges` can carry. */
  createFiles: boolean;
}

export function editAbilitiesOf(capabilities: ClientCapabilities): EditAbilities {
  const workspaceEdit = capabilities.workspace?.workspaceEdit;
  const documentChanges = workspaceEdit?.documentChanges === true;
  return { documentChanges, createFiles: documentChanges && (workspaceEdit?.resourceOperations ?? []).includes(ResourceOperationKind.Create) };
}

/** One step of an edit the server sends, before it is shaped for the client. */
export type EditStep = { kind: 'create'; uri: string; text: string } | { kind: 'edit'; uri: string; version: number | null; edits: TextEdit[] };

/**
 * Steps as the WorkspaceEdit the client can apply, or undefined when a step needs
 * something it cannot do (create a file): half of a multi-file fix is worse than none.
 * With `documentChanges`, steps keep their order, files to create become CreateFile
 * with `ignoreIfExists` followed by an insert, and edits to open files carry their
 * version, so the client refuses them once the file moved on.
 */
export function workspaceEditOf(steps: readonly EditStep[], abilities: EditAbilities): WorkspaceEdit | undefined {
  if (steps.some((step) => step.kind === 'create') && !abilities.createFiles) return undefined;
  if (!abilities.documentChanges) return { changes: changesOf(steps) };
  const documentChanges: (TextDocumentEdit | CreateFile)[] = [];
  for (const step of steps) {
    if (step.kind === 'create') {
      documentChanges.push({ kind: 'create', uri: step.uri, options: { ignoreIfExists: true } });
      documentChanges.push({ textDocument: { uri: step.uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: step.text }] });
    } else {
      documentChanges.push({ textDocument: { uri: step.uri, version: step.version }, edits: step.edits });
    }
  }
  return { documentChanges };
}

/**
 * The unversioned `changes` map. It has no order of its own, but keys keep their
 * insertion order on the wire, so a client that walks them in order still writes
 * `.gitignore` before `.env`. Edits for one file share an array: every change of a
 * fix refers to the file's text before the fix, as edits in one array do.
 */
function changesOf(steps: readonly EditStep[]): Record<string, TextEdit[]> {
  const changes: Record<string, TextEdit[]> = {};
  for (const step of steps) if (step.kind === 'edit') changes[step.uri] = [...(changes[step.uri] ?? []), ...step.edits];
  return changes;
}

/**
 * A fix as a WorkspaceEdit the client can apply, in the fix's own order (the
 * move-to-env fix lists `.gitignore` before `.env`, so `.env` is never written
 * while git would still pick it up). Returns undefined when a file the fix creates
 * exists by now (that fix is stale, and applying it could write into someone's
 * file), when a file it edits is gone or changed, or when the client cannot create
 * a file the fix needs.
 */
export function fixToWorkspaceEdit(fix: Fix, stateOf: (path: string) => FileState | undefined, abilities: EditAbilities): WorkspaceEdit | undefined {
  const steps: EditStep[] = [];
  for (const change of fix.changes) {
    const state = stateOf(change.path);
    if (!state) return undefined;
    if (change.kind === 'create') {
      if (state.exists) return undefined;
      steps.push({ kind: 'create', uri: state.uri, text: change.text });
      continue;
    }
    if (!state.exists) return undefined;
    const lines = new LineIndex(state.text);
    const edits: TextEdit[] = change.edits.map((edit) => ({ range: lines.range(edit.start, edit.end), newText: edit.newText }));
    steps.push({ kind: 'edit', uri: state.uri, version: state.version, edits });
  }
  return workspaceEditOf(steps, abilities);
}
