// Every safe fix of a document as one WorkspaceEdit: what the
// `source.fixAll.shipshape` code action (asked for on save) and the fix-all
// command send. The code action keeps to the document itself, as ESLint's does:
// a save that wrote a new migration or edited `.gitignore` would surprise; the
// command, which the user runs on purpose, applies those too.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TextDocuments, WorkspaceEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fixAll } from '../engine/fixes/fixAll';
import { type EditAbilities, type EditStep, workspaceEditOf } from './convert';
import { hunkEdits } from './hunkEdits';
import { pathToUri } from './paths';
import type { Projects } from './projects';
import { type Logger, describeError } from './safe';

export interface FixAllContext {
  documents: TextDocuments<TextDocument>;
  projects: Projects;
  abilities: EditAbilities;
  log: Logger;
}

/**
 * Every safe fix in one document, as one WorkspaceEdit: the engine applies them
 * in memory (re-analyzing between passes), the server turns the before/after
 * texts into one small edit per changed region (lines between two fixes stay
 * untouched, with their breakpoints and folds) and puts the engine back where
 * the editor is.
 */
export function fixAllEdit(uri: string, context: FixAllContext, scope: { sameFileOnly: boolean }): { edit: WorkspaceEdit; applied: number } | undefined {
  const { documents, projects, abilities, log } = context;
  const document = documents.get(uri);
  const located = projects.locate(uri);
  if (!document || !located || !located.project.ready || !located.project.enabled || located.project.isExcluded(located.path)) return undefined;
  const { project, path } = located;
  const workspace = project.workspace;
  if (workspace.readFile(path) !== document.getText()) workspace.setText(path, document.getText());
  let result: ReturnType<typeof fixAll>;
  try {
    result = fixAll(workspace, { safeOnly: true, paths: [path], createFiles: abilities.createFiles, sameFileOnly: scope.sameFileOnly });
  } catch (error) {
    // The engine may have applied part of the fixes to its in-memory copy: start from the editor's view again.
    log.error(`fix-all for ${path} failed: ${describeError(error)}`);
    project.rebuild(projects.buffersFor(project));
    return undefined;
  }
  if (result.applied.length === 0) return undefined;

  const changes: { order: number; step: EditStep }[] = [];
  let clobber = false;
  for (const [changed, after] of result.files) {
    const abs = join(project.root, changed);
    const openUri = changed === path ? uri : projects.openByPath.get(abs);
    const openDocument = openUri ? documents.get(openUri) : undefined;
    // Put the engine back where the editor and the disk are.
    let before: string | undefined;
    if (result.created.has(changed)) workspace.removeText(changed);
    else if (openDocument) workspace.setText(changed, (before = openDocument.getText()));
    else {
      workspace.reload(changed);
      before = workspace.readFile(changed);
    }
    const target = openUri ?? pathToUri(abs);
    const order = changed.endsWith('.gitignore') ? 0 : changed === path ? 2 : 1;
    if (before === undefined) {
      if (existsSync(abs)) clobber = true;
      changes.push({ order, step: { kind: 'create', uri: target, text: after } });
      continue;
    }
    const edits = hunkEdits(before, after);
    if (edits.length > 0) changes.push({ order, step: { kind: 'edit', uri: target, version: openDocument?.version ?? null, edits } });
  }
  if (clobber) {
    log.warn(`fix-all for ${path} skipped: a file it would create exists now`);
    return undefined;
  }
  changes.sort((a, b) => a.order - b.order);
  // Undefined only if the engine created a file it was told not to: send nothing rather than half.
  const edit = workspaceEditOf(changes.map((entry) => entry.step), abilities);
  return edit && { edit, applied: result.applied.length };
}
