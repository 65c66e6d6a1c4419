// How a secret may appear in any output (editor, CLI, SARIF, JSON, baselines):
// the provider's fixed prefix and, for long values, the last four characters —
// enough to tell keys apart and find them in a provider's dashboard, never
// enough to use.

/** Below this many hidden characters, showing the last four would give away too much. */
const MIN_HIDDEN_FOR_SUFFIX = 16;

export function redact(secret: string, visiblePrefix: number): string {
  const shown = secret.slice(0, visiblePrefix);
  const hidden = secret.length - visiblePrefix;
  return hidden >= MIN_HIDDEN_FOR_SUFFIX ? `${shown}…${secret.slice(-4)}` : `${shown}…`;
}
