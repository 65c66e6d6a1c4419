// Code text for regex evidence: comments and regex literals blanked to spaces
// (newlines kept, so offsets and lines stay put). A route in a comment, or a
// pattern that spells one, is not a route. Uses the TypeScript scanner (no parse),
// tracking template literals and deciding `/` the usual way: a regex starts where
// an expression cannot end.
import { ts } from '../ts';

const ENDS_EXPRESSION = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.PrivateIdentifier,
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.BigIntLiteral,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.RegularExpressionLiteral,
  ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.PlusPlusToken,
  ts.SyntaxKind.MinusMinusToken,
  ts.SyntaxKind.ThisKeyword,
  ts.SyntaxKind.SuperKeyword,
  ts.SyntaxKind.TrueKeyword,
  ts.SyntaxKind.FalseKeyword,
  ts.SyntaxKind.NullKeyword,
  ts.SyntaxKind.UndefinedKeyword,
]);

export function blankCommentsAndRegexes(text: string, jsx: boolean): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, /* skipTrivia */ false, jsx ? ts.LanguageVariant.JSX : ts.LanguageVariant.Standard, text);
  const spans: [number, number][] = [];
  const braces: ('brace' | 'template')[] = [];
  let previous: ts.SyntaxKind = ts.SyntaxKind.Unknown;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) {
      spans.push([scanner.getTokenStart(), scanner.getTokenEnd()]);
      continue;
    }
    if (kind === ts.SyntaxKind.WhitespaceTrivia || kind === ts.SyntaxKind.NewLineTrivia || kind === ts.SyntaxKind.ShebangTrivia || kind === ts.SyntaxKind.ConflictMarkerTrivia) continue;
    if ((kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken) && !ENDS_EXPRESSION.has(previous)) {
      kind = scanner.reScanSlashToken();
      if (kind === ts.SyntaxKind.RegularExpressionLiteral) spans.push([scanner.getTokenStart() + 1, scanner.getTokenEnd()]);
    } else if (kind === ts.SyntaxKind.TemplateHead) {
      braces.push('template');
    } else if (kind === ts.SyntaxKind.OpenBraceToken) {
      braces.push('brace');
    } else if (kind === ts.SyntaxKind.CloseBraceToken) {
      if (braces.pop() === 'template') {
        kind = scanner.reScanTemplateToken(/* isTaggedTemplate */ false);
        if (kind === ts.SyntaxKind.TemplateMiddle) braces.push('template');
      }
    }
    previous = kind;
  }
  if (spans.length === 0) return text;
  const parts: string[] = [];
  let cursor = 0;
  for (const [start, end] of spans) {
    parts.push(text.slice(cursor, start));
    const blanked = text.slice(start, end);
    parts.push(/[\r\n]/.test(blanked) ? blanked.replace(/[^\r\n]/g, ' ') : ' '.repeat(end - start));
    cursor = end;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}
