// Code actions for the findings under the cursor, built from the last published
// analysis of the current document version: each finding's fixes, verified now
// (preferred first), "Suppress with a reason" and "Show documentation".
import {
  type CodeAction,
  CodeActionKind,
  type Command,
  type Diagnostic,
  type Range,
  type SnippetTextEdit,
  type TextDocumentEdit,
  type TextEdit,
} from 'vscode-languageserver/node';
import type { FileKind, Finding, Fix } from '../engine';
import { ClientCommand, ServerCommand } from '../protocol';
import { type EditAbilities, type FileState, fixToWorkspaceEdit, workspaceEditOf } from './convert';
import { suppressionEdit } from './suppress';

export interface ActionTarget {
  uri: string;
  version: number;
  path: string;
  kind: FileKind;
  /** The text the findings were computed on (the document at `version`). */
  text: string;
  findings: readonly Finding[];
  /** The finding's fixes that pass verification (verified on first request). */
  fixesOf(finding: Finding): readonly Fix[];
  diagnosticOf(index: number): Diagnostic;
  /** Current state of a file a fix touches, or undefined if it moved on since the analysis. */
  stateOf(path: string): FileState | undefined;
}

export interface ClientAbilities extends EditAbilities {
  /** The client applies SnippetTextEdit in workspace edits (LSP 3.18). */
  snippetEdits: boolean;
  /** The client supports `window/showDocument`, so the server can move the cursor. */
  showDocument: boolean;
  /** The client renders rule docs itself (the VS Code extension's `shipshape.showRuleDocs`). */
  clientShowsRuleDocs: boolean;
}

export function quickFixes(target: ActionTarget, indexes: readonly number[], abilities: ClientAbilities): CodeAction[] {
  const fixes: CodeAction[] = [];
  const others: CodeAction[] = [];
  const suppressed = new Set<string>();
  const documented = new Set<string>();
  for (const index of indexes) {
    const finding = target.findings[index];
    if (!finding) continue;
    const diagnostic = target.diagnosticOf(index);
    const ordered = [...target.fixesOf(finding)].sort((a, b) => Number(b.preferred) - Number(a.preferred));
    for (const fix of ordered) {
      const edit = fixToWorkspaceEdit(fix, (path) => target.stateOf(path), abilities);
      if (!edit) continue;
      fixes.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred, edit });
    }
    const line = finding.range.start.line;
    if (!suppressed.has(`${finding.ruleId}:${line}`)) {
      suppressed.add(`${finding.ruleId}:${line}`);
      const action = suppressAction(target, finding, diagnostic, abilities);
      if (action) others.push(action);
    }
    if (!documented.has(finding.ruleId)) {
      documented.add(finding.ruleId);
      others.push({ title: `Show documentation for ${finding.ruleId}`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: docsCommand(finding.ruleId, abilities) });
    }
  }
  // One preferred action at most: with several, VS Code's auto-fix shortcut applies none.
  const first = fixes.find((action) => action.isPreferred);
  for (const action of fixes) if (action !== first) action.isPreferred = false;
  return [...fixes, ...others];
}

/**
 * Inserts the suppression comment and leaves the cursor where the reason goes.
 * With snippet edits (LSP 3.18, VS Code; they exist only inside `documentChanges`)
 * the edit itself carries `$0`; other clients get a plain edit plus a server
 * command that moves the cursor with `window/showDocument`; clients with neither
 * just get the edit.
 */
function suppressAction(target: ActionTarget, finding: Finding, diagnostic: Diagnostic, abilities: ClientAbilities): CodeAction | undefined {
  const edit = suppressionEdit(target.text, target.kind, finding.range.start.line, finding.ruleId);
  if (!edit) return undefined;
  const title = `Suppress ${finding.ruleId} on this line (with a reason)`;
  const range: Range = edit.range;
  if (abilities.snippetEdits && abilities.documentChanges && edit.snippet !== undefined) {
    const snippetEdit: SnippetTextEdit = { range, snippet: { kind: 'snippet', value: edit.snippet } };
    const documentEdit: TextDocumentEdit = { textDocument: { uri: target.uri, version: target.version }, edits: [snippetEdit] };
    return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { documentChanges: [documentEdit] } };
  }
  const plain: TextEdit = { range, newText: edit.newText };
  const workspaceEdit = workspaceEditOf([{ kind: 'edit', uri: target.uri, version: target.version, edits: [plain] }], abilities);
  if (!workspaceEdit) return undefined;
  const action: CodeAction = { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: workspaceEdit };
  if (abilities.showDocument && edit.cursor) {
    action.command = { title: 'Place cursor', command: ServerCommand.placeCursor, arguments: [{ uri: target.uri, position: edit.cursor }] };
  }
  return action;
}

function docsCommand(ruleId: string, abilities: ClientAbilities): Command {
  return abilities.clientShowsRuleDocs
    ? { title: 'Show documentation', command: ClientCommand.showRuleDocs, arguments: [ruleId] }
    : { title: 'Show documentation', command: ServerCommand.openRuleDocs, arguments: [ruleId] };
}

export function rangesIntersect(a: Range, b: Range): boolean {
  const before = (x: Range['start'], y: Range['start']): boolean => x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
