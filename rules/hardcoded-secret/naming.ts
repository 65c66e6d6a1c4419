// The environment variable a moved secret is read from, named after what the
// code already calls it: `stripeSecretKey` → STRIPE_SECRET_KEY, `JWT_SECRET`
// stays. A name that only says "key" or "password" gives way to the provider
// (`new OpenAI({ apiKey: 'sk-proj-…' })` → OPENAI_API_KEY), or is qualified by
// the object holding it (`const db = { password }` → DB_PASSWORD).
import type { CallArgument, LiteralInContext, ObjectContainer, StringLiteralFact } from '../../server/src/engine/facts';
import { envReadWithFallback, identifierWords, toEnvName } from '../../server/src/engine/fixes/moveToEnv';
import { CANONICAL_GENERIC_NAMES, GENERIC_CONTAINER_WORDS, GENERIC_NAME_WORDS, SECRET_ARGUMENTS } from './patterns';

/** The name a literal is known by: what it is bound to, or what its call position means (`jwt.sign(_, secret)`). */
export function literalName(literal: Pick<LiteralInContext, 'boundName' | 'argumentOf'>): string | undefined {
  return literal.boundName ?? (literal.argumentOf ? argumentName(literal.argumentOf) : undefined);
}

function argumentName(argument: CallArgument): string | undefined {
  return SECRET_ARGUMENTS.find((entry) => entry.index === argument.index && entry.callee.test(argument.callee))?.name;
}

/**
 * @param whole whether the secret is the literal's whole value; a name given to
 *   `'Bearer sk-…'` names the header, not the key inside it.
 */
export function envNameFor(literal: StringLiteralFact, providerEnvName: string | undefined, whole: boolean): string {
  // `process.env.SESSION_SECRET || '…'`: the code already says where the value belongs
  const fallbackOf = whole ? envReadWithFallback(literal.node)?.variable : undefined;
  if (fallbackOf) return fallbackOf;
  const name = literalName(literal);
  const words = name ? identifierWords(name) : [];
  const specific = words.some((word) => !GENERIC_NAME_WORDS.has(word));
  // the provider's convention qualifies the code's name: `secretAccessKey` → AWS_SECRET_ACCESS_KEY
  const qualifiedByProvider = name !== undefined && providerEnvName?.endsWith(`_${toEnvName(name)}`) === true;
  if (name && whole && specific && !qualifiedByProvider) return toEnvName(name);
  if (providerEnvName) return providerEnvName;
  if (!name) return 'SECRET';
  const base = CANONICAL_GENERIC_NAMES[words.join('')] ?? name;
  const owner = ownerName(literal.container);
  return toEnvName(owner ? `${owner}_${base}` : base);
}

/**
 * The first meaningful name up the object nesting: `const dbConfig = {…}` → db,
 * `auth: {…}` → its parent's, `const replica = new Pool({…})` → replica,
 * `session({…})` → session.
 */
function ownerName(container: ObjectContainer | undefined): string | undefined {
  for (let current = container; current; current = current.parent) {
    const named = meaningful(current.name) ?? meaningful(current.argumentOf?.resultName);
    if (named) return named;
    const callee = current.argumentOf?.callee;
    if (callee && /^[A-Za-z_$][\w$]*$/.test(callee)) return callee;
  }
  return undefined;
}

function meaningful(name: string | undefined): string | undefined {
  const words = name ? identifierWords(name).filter((word) => !GENERIC_CONTAINER_WORDS.has(word)) : [];
  return words.length > 0 ? words.join('_') : undefined;
}
