// Writing strings into GitHub-flavored Markdown table cells safely. Anything that
// comes from the workspace (paths, env names, package.json scripts quoted in a
// check's summary) must neither break the table (`|`, newlines), nor open or close
// a code span (backticks), nor become HTML or a link.

/** Plain text for a table cell: Markdown punctuation escaped, HTML characters as entities, one line. */
export function mdText(text: string): string {
  return escape(oneLine(text));
}

function escape(text: string): string {
  return text
    .replace(/[\\`*_[\]~|#!]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * A code span for a table cell whatever the text holds: the fence is one backtick
 * longer than any run inside, padded when the text starts or ends with one, and
 * `|` is escaped (GitHub's table parser removes the backslash inside code too).
 */
export function mdCode(text: string): string {
  const content = oneLine(text).replace(/\|/g, '\\|');
  const longest = Math.max(0, ...[...content.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = content.startsWith('`') || content.endsWith('`') || content === '' ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/**
 * Text whose `code spans` are meant as code (check summaries and remedies quote
 * commands and file contents that way): each well-formed span is re-fenced with
 * mdCode, everything between is escaped with mdText. A stray backtick is escaped.
 */
export function mdInline(text: string): string {
  const line = oneLine(text);
  const out: string[] = [];
  let last = 0;
  for (const match of line.matchAll(/`([^`]+)`/g)) {
    // Two spans back to back would read as one run of backticks and re-pair the fences: keep them apart.
    const between = escape(line.slice(last, match.index));
    out.push(between === '' && out.length > 0 ? ' ' : between, mdCode(match[1] ?? ''));
    last = match.index + match[0].length;
  }
  out.push(escape(line.slice(last)));
  return out.join('');
}

/** One table row. */
export function mdRow(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
