// Does a string look like a generated secret rather than a word, a label or a
// path? Used only for values whose name already says "secret" (`JWT_SECRET`,
// `password`, `apiKey`): the name is the evidence, these checks keep out the
// values that are obviously not credentials.
//
// Thresholds, measured on real and look-alike values:
// - at least 8 characters: shorter values are labels or toy passwords;
// - at least 3.0 bits of Shannon entropy per character, i.e. roughly eight or more
//   distinct characters used evenly. Generated secrets score 3.9 (32 hex chars)
//   to 5+ (base64); `hunter22` scores 2.75, `Passw0rd!` 2.95, `letmein2024` 3.1,
//   `S3cr3tP@ssw0rd!` 3.5. A password with nine distinct characters is weak, but
//   it is still a credential in source, so the bar is "not a word", not "strong";
// - not word-like: letters and separators only (`access_token`,
//   `sessionTokenKey`, `my-super-secret-jwt-key`) are names or phrases, unless
//   long (>= 20) and very mixed (>= 4.0 bits/char), as random letter-only keys are;
// - no whitespace (sentences are UI text), not a URL or a path of words, not a
//   password hash (bcrypt/argon2: storing those is the point), not an
//   environment variable name (`STRIPE_SECRET_KEY`).

export const MIN_SECRET_LENGTH = 8;
export const MIN_ENTROPY_BITS = 3.0;
const RANDOM_LETTERS_MIN_LENGTH = 20;
const RANDOM_LETTERS_MIN_ENTROPY = 4.0;

/** Shannon entropy of the characters of `text`, in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  // counts by UTF-16 code unit: secrets are ASCII, and this runs on many strings
  const counts = new Map<number, number>();
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export function looksRandom(value: string): boolean {
  if (value.length < MIN_SECRET_LENGTH || /\s/.test(value) || isStructuredNonSecret(value)) return false;
  const entropy = shannonEntropy(value);
  if (entropy < MIN_ENTROPY_BITS) return false;
  return !isWordLike(value) || (value.length >= RANDOM_LETTERS_MIN_LENGTH && entropy >= RANDOM_LETTERS_MIN_ENTROPY);
}

/** Letters, optionally joined by `-`, `_`, `.`: identifiers, slugs and phrases. */
function isWordLike(value: string): boolean {
  return /^[A-Za-z]+(?:[-_.][A-Za-z]+)*$/.test(value);
}

function isStructuredNonSecret(value: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.startsWith('/') || value.startsWith('./')) return true; // URLs and paths
  if (value.includes('/') && value.split('/').every((part) => /^[A-Za-z_.-]+[0-9]*$/.test(part))) return true; // prod/db/password, v1/keys
  if (/^\$(?:2[abxy]?|argon2(?:id|i|d)|scrypt|pbkdf2)[$-]/.test(value)) return true; // password hashes
  return /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value); // an environment variable's name
}
