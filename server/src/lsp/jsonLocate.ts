// Finds where a JSON path (`rules.sql-injection`, `exclude.2`) is written in a
// config file's text, so a config problem squiggles the offending key or value
// rather than line 1. A small recursive-descent reader over valid JSON: the
// problems it locates come from zod, which only runs once JSON.parse succeeded.

export interface Span {
  start: number;
  end: number;
}

interface Node extends Span {
  properties?: Map<string, { key: Span; value: Node }>;
  items?: Node[];
}

export function locateJsonPath(text: string, path: readonly string[], part: 'key' | 'value'): Span | undefined {
  const root = readTree(text);
  if (!root) return undefined;
  let node: Node = root;
  let key: Span | undefined;
  for (const segment of path) {
    const property = node.properties?.get(segment);
    if (property) {
      key = property.key;
      node = property.value;
      continue;
    }
    const item = /^\d+$/.test(segment) ? node.items?.[Number(segment)] : undefined;
    if (!item) return undefined;
    key = undefined;
    node = item;
  }
  if (path.length === 0) return undefined;
  return part === 'key' && key ? key : { start: node.start, end: node.end };
}

function readTree(text: string): Node | undefined {
  let at = 0;
  const fail = (): never => {
    throw new SyntaxError(`unexpected input at ${at}`);
  };
  const skip = (): void => {
    while (at < text.length && /\s/.test(text.charAt(at))) at++;
  };
  const readString = (): Span => {
    const start = at;
    if (text.charAt(at) !== '"') fail();
    at++;
    while (at < text.length && text.charAt(at) !== '"') at += text.charAt(at) === '\\' ? 2 : 1;
    if (at >= text.length) fail();
    at++;
    return { start, end: at };
  };
  const readValue = (depth: number): Node => {
    if (depth > 64) fail();
    skip();
    const start = at;
    const char = text.charAt(at);
    if (char === '{') {
      at++;
      const properties = new Map<string, { key: Span; value: Node }>();
      skip();
      if (text.charAt(at) === '}') return { start, end: ++at, properties };
      for (;;) {
        skip();
        const key = readString();
        const name = JSON.parse(text.slice(key.start, key.end)) as string;
        skip();
        if (text.charAt(at) !== ':') fail();
        at++;
        properties.set(name, { key, value: readValue(depth + 1) });
        skip();
        if (text.charAt(at) === ',') {
          at++;
          continue;
        }
        if (text.charAt(at) !== '}') fail();
        return { start, end: ++at, properties };
      }
    }
    if (char === '[') {
      at++;
      const items: Node[] = [];
      skip();
      if (text.charAt(at) === ']') return { start, end: ++at, items };
      for (;;) {
        items.push(readValue(depth + 1));
        skip();
        if (text.charAt(at) === ',') {
          at++;
          continue;
        }
        if (text.charAt(at) !== ']') fail();
        return { start, end: ++at, items };
      }
    }
    if (char === '"') return readString();
    const literal = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(at, at + 64));
    if (!literal) fail();
    at += literal?.[0].length ?? 0;
    return { start, end: at };
  };
  try {
    return readValue(0);
  } catch {
    return undefined;
  }
}
