// Finding a secret in one string value: first the provider patterns (a Stripe key
// is a secret wherever it appears), then, for values bound to a secret-like
// name, the generic "looks generated" test. Pure functions over text and names,
// shared by the code and the env-file halves of the rule.
import { identifierWords } from '../../server/src/engine/fixes/moveToEnv';
import type { Severity } from '../../server/src/engine/types';
import { looksRandom } from './entropy';
import { AUTH_SCHEME, NAMED_SECRET_IMPACTS, NON_SECRET_NAME_WORDS, PROVIDER_PATTERNS, PUBLIC_JWT_ROLES, PUBLISHABLE_VALUES, type ProviderPattern, SECRET_NAME_ENDINGS, jwtRole } from './patterns';
import { isPlaceholder } from './placeholders';
import { redact } from './redact';

export interface SecretMatch {
  /** How messages name it: `Stripe live secret key`, or `the secret \`JWT_SECRET\``. */
  label: string;
  /** Completes "anyone who can read it can …". */
  impact: string;
  /** The provider's conventional environment variable name, when a provider is known. */
  providerEnvName?: string;
  /** Offsets of the secret within the searched text. */
  start: number;
  end: number;
  secret: string;
  redacted: string;
  /** Lower than the rule's default for test-mode keys and identifiers. */
  severity?: Severity;
  /** A provider key that is public where it stands (the apiKey of a Firebase web config): not to be reported, nor second-guessed by name. */
  publicByDesign?: boolean;
}

/** Read only when a pattern needs them (they may be getters): most values are decided without. */
export interface ValueContext {
  /** The name the value is bound to: variable, property, key, env variable. */
  readonly name?: string;
  /** Keys of the object literal holding the value (recognises public client configs). */
  readonly siblingKeys?: ReadonlySet<string>;
}

// One scan for every provider's hint: most strings contain none and skip the patterns.
const ANY_HINT = new RegExp(
  [...new Set(PROVIDER_PATTERNS.map((provider) => provider.hint).filter((hint) => hint !== ''))]
    .map((hint) => hint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
);
// Name-gated secrets are bare base64/hex: one unbroken token.
const TOKEN_SHAPED = /^\s*[A-Za-z0-9/+=_-]{16,}\s*$/;

/** The first provider secret in `text` that is not a placeholder; flagged when it is public by design where it stands. */
export function findProviderSecret(text: string, context: ValueContext): SecretMatch | undefined {
  if (!mayHoldProviderSecret(text)) return undefined;
  const hinted = ANY_HINT.test(text);
  // the name is only worked out when a pattern needs it: it is the costly part
  let words: readonly string[] | undefined;
  for (const provider of PROVIDER_PATTERNS) {
    if (provider.hint !== '' && (!hinted || !text.includes(provider.hint))) continue;
    if (provider.requiresName && !provider.requiresName((words ??= nameWords(context)))) continue;
    // exec on the shared global pattern: `matchAll` would clone the regex for every string
    const pattern = provider.pattern;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      if (provider.accept && !provider.accept(match)) continue;
      if (isPlaceholder(provider.secretPart?.(match) ?? match[0].slice(provider.visiblePrefix))) continue;
      return {
        label: provider.label,
        impact: provider.impact,
        providerEnvName: provider.envName,
        start: match.index,
        end: match.index + match[0].length,
        secret: match[0],
        redacted: provider.redact?.(match) ?? redact(match[0], provider.visiblePrefix),
        severity: provider.severity,
        publicByDesign: isPublicByDesign(provider, (words ??= nameWords(context)), context.siblingKeys),
      };
    }
  }
  return undefined;
}

/** Cheap test on the text alone: could any provider pattern match it? */
export function mayHoldProviderSecret(text: string): boolean {
  return ANY_HINT.test(text) || TOKEN_SHAPED.test(text);
}

function nameWords(context: ValueContext): string[] {
  const name = context.name;
  return name === undefined ? [] : identifierWords(name);
}

/**
 * A generated-looking value bound to a secret-like name (`JWT_SECRET = '3X62…'`,
 * `password: 'S3cr3t!…'`). `label` says where the name comes from when the code
 * does not spell it (`the secret passed to \`jwt.sign()\``).
 */
export function findNamedSecret(text: string, name: string, label = `the secret \`${name}\``): SecretMatch | undefined {
  const words = identifierWords(name);
  if (!isSecretName(words) || isPublishable(text)) return undefined;
  // `Authorization: 'Bearer …'`: the credential is what follows the scheme
  const start = AUTH_SCHEME.exec(text)?.[0].length ?? 0;
  const secret = text.slice(start);
  if (isPlaceholder(secret) || !looksRandom(secret)) return undefined;
  return { label, impact: namedImpact(words), start, end: text.length, secret, redacted: redact(secret, 0) };
}

/** The value alone could be a named secret: one generated-looking token (after an auth scheme). */
export function mayBeNamedSecret(text: string): boolean {
  const credential = text.slice(AUTH_SCHEME.exec(text)?.[0].length ?? 0);
  return looksRandom(credential) && !isPlaceholder(credential);
}

/** Whether a name's last words say its value is a secret, and no word says the value is public or fake. */
export function isSecretName(words: readonly string[]): boolean {
  if (words.some((word) => NON_SECRET_NAME_WORDS.has(word))) return false;
  for (let n = 1; n <= Math.min(3, words.length); n++) if (SECRET_NAME_ENDINGS.has(words.slice(-n).join(''))) return true;
  return false;
}

/** Keys meant for browsers and mobile apps: publishable Stripe keys, the Supabase anon key. */
export function isPublishable(text: string): boolean {
  if (PUBLISHABLE_VALUES.some((pattern) => pattern.test(text))) return true;
  const role = text.startsWith('eyJ') ? jwtRole(text) : undefined;
  return role !== undefined && PUBLIC_JWT_ROLES.has(role);
}

function isPublicByDesign(provider: ProviderPattern, words: readonly string[], siblingKeys: ReadonlySet<string> | undefined): boolean {
  if (provider.publicWhenNamed?.some((word) => words.includes(word))) return true;
  return siblingKeys !== undefined && (provider.publicAmongKeys?.some((key) => siblingKeys.has(key)) ?? false);
}

function namedImpact(words: readonly string[]): string {
  for (let n = Math.min(3, words.length); n >= 1; n--) {
    const ending = words.slice(-n).join('');
    const impact = NAMED_SECRET_IMPACTS.find((entry) => entry.endings.includes(ending));
    if (impact) return impact.impact;
  }
  return 'use it wherever your app does';
}
