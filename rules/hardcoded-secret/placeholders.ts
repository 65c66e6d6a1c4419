// Values that stand in for a secret: what docs, templates and AI assistants write
// where the real key goes (`your-api-key-here`, `sk_live_...`, `<token>`,
// `xxxxxxxx`, `changeme`). Checked on the random part of a value, after any
// provider prefix, so `sk_test_` is not mistaken for the word "test".

const PLACEHOLDER_WORDS = ['your', 'changeme', 'change_me', 'change-me', 'changethis', 'replace', 'example', 'sample', 'dummy', 'placeholder', 'fake', 'test', 'todo', 'fixme', 'insert', 'redacted', 'mock', 'lorem', 'foobar'];
// Whole values that name the thing instead of being it: `postgres://user:password@host`.
const PLACEHOLDER_VALUES: ReadonlySet<string> = new Set(['password', 'passwd', 'pass', 'pwd', 'secret', 'token', 'key', 'apikey', 'api_key', 'user', 'username', 'null', 'none', 'undefined']);

export function isPlaceholder(value: string): boolean {
  const text = value.trim();
  if (text === '') return true;
  const lower = text.toLowerCase();
  if (PLACEHOLDER_VALUES.has(lower)) return true;
  if (PLACEHOLDER_WORDS.some((word) => lower.includes(word))) return true;
  if (/<[^<>]*>|\{\{|\$\{|%s|\[[A-Za-z _-]+\]/.test(text)) return true; // <your-key>, {{KEY}}, ${KEY}, [YOUR KEY]
  if (/\.\.|\u2026/.test(text)) return true; // sk_live_...
  if (/(?:^|[^a-z0-9])x{3,}(?:$|[^a-z0-9])/i.test(text) || /^[x*\u2022#.\-_0]+$/i.test(text)) return true; // xxx, ****
  if (/(.)\1{3,}/.test(text)) return true; // aaaa, 0000, XXXX
  return isSequential(text);
}

/** `1234567890`, `abcdefghijkl`: half or more of the neighbours are consecutive characters. */
function isSequential(text: string): boolean {
  if (text.length < 6) return false;
  let steps = 0;
  for (let i = 1; i < text.length; i++) if (text.charCodeAt(i) - text.charCodeAt(i - 1) === 1) steps++;
  return steps / (text.length - 1) >= 0.5;
}
