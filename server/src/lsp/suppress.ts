// The "Suppress with a reason" edit: a `shipshape-ignore-next-line <id> -- `
// comment on the line above the finding, indented like it, in the file's comment
// syntax; or `, <id>` appended to a suppression already there. The cursor belongs
// right after `-- `, where the reason goes: the engine reports a suppression
// without a reason, so the action leaves the user exactly where to type it.
import { eolOf } from '../engine/files/text';
import { LineIndex } from '../engine';
import type { FileKind, Position, Range } from '../engine';

export interface SuppressionEdit {
  /** Text to replace (often empty: an insertion). */
  range: Range;
  newText: string;
  /** The same text as a snippet, `$0` where the cursor goes; undefined when no cursor move is needed. */
  snippet: string | undefined;
  /** Where the cursor goes once the edit is applied; undefined when no move is needed. */
  cursor: Position | undefined;
}

const COMMENT_BY_KIND: Partial<Record<FileKind, string>> = {
  ts: '//',
  tsx: '//',
  js: '//',
  jsx: '//',
  prisma: '//',
  env: '#',
  yaml: '#',
  dockerfile: '#',
  sql: '--',
};

const EXISTING = /(\/\/|\/\*|#|--)\s*shipshape-ignore-next-line\b/;

/** The edit suppressing `ruleId` on 0-based `line`, or undefined where comments are impossible (JSON). */
export function suppressionEdit(text: string, kind: FileKind, line: number, ruleId: string): SuppressionEdit | undefined {
  const comment = COMMENT_BY_KIND[kind];
  if (!comment) return undefined;
  const lines = new LineIndex(text);

  if (line > 0) {
    const above = lines.lineText(line - 1);
    const match = EXISTING.exec(above);
    if (match) {
      const bodyStart = match.index + match[0].length;
      const body = above.slice(bodyStart).replace(/\s*\*\/\s*$/, '');
      const dashes = body.indexOf('--');
      const idsText = (dashes === -1 ? body : body.slice(0, dashes)).trimEnd();
      if (idsText.split(/[\s,]+/).includes(ruleId)) return undefined;
      const idsEnd: Position = { line: line - 1, character: bodyStart + idsText.length };
      const point: Range = { start: idsEnd, end: idsEnd };
      if (dashes === -1) {
        // `a` without a reason: add the id and the separator, cursor after it.
        const addition = `, ${ruleId} -- `;
        return { range: point, newText: addition, snippet: `${escapeSnippet(addition)}$0`, cursor: { line: line - 1, character: idsEnd.character + addition.length } };
      }
      if (body.slice(dashes + 2).trim() !== '') {
        // A reason is already written; it now covers this rule too.
        return { range: point, newText: `, ${ruleId}`, snippet: undefined, cursor: undefined };
      }
      // `a --` with an empty reason: add the id, cursor at the end where the reason goes.
      const rest = body.slice(idsText.length);
      const replaced: Range = { start: idsEnd, end: { line: line - 1, character: bodyStart + body.length } };
      const newText = `, ${ruleId}${rest}`;
      return { range: replaced, newText, snippet: `${escapeSnippet(newText)}$0`, cursor: { line: line - 1, character: idsEnd.character + newText.length } };
    }
  }

  const target = lines.lineText(line);
  const indent = /^[ \t]*/.exec(target)?.[0] ?? '';
  const directive = `${comment} shipshape-ignore-next-line ${ruleId} -- `;
  const eol = eolOf(text);
  const start: Position = { line, character: 0 };
  return {
    range: { start, end: start },
    newText: `${indent}${directive}${eol}`,
    snippet: `${escapeSnippet(indent + directive)}$0${eol}`,
    cursor: { line, character: indent.length + directive.length },
  };
}

/** Snippet syntax gives `$`, `}` and `\` meaning; escape them in literal text. */
export function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, (char) => `\\${char}`);
}
