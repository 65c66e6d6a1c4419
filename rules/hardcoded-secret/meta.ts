// hardcoded-secret: what the rule is called, what it explains and which fixes it declares. Kept apart
// from the check so front ends that only list rules (the CLI's main thread) load no analysis code.
import type { RuleMeta } from '../../server/src/engine/types';

export const meta: RuleMeta = {
  id: 'hardcoded-secret',
  title: 'Secret hardcoded in source or in a committed .env file',
  dimension: 'security',
  defaultSeverity: 'error',
  fileKinds: ['ts', 'tsx', 'js', 'jsx', 'env'],
  docs: {
    summary:
      'Finds API keys, tokens, private keys and database passwords written into code, and secrets in `.env` files that git tracks or does not ignore.',
    why:
      'A secret in the repository is in every clone, fork, CI log and backup, and in git history even after the line is deleted. Scrapers find pushed keys within minutes: a Stripe live key moves money, an OpenAI key runs up a bill, a database URL with its password opens every row, a Supabase service-role key bypasses row-level security. Provider-specific formats (Stripe, AWS, GitHub, OpenAI, Anthropic, Slack, Google, SendGrid, Twilio, Supabase, PEM private keys, database URLs) are reported wherever they appear; other values are reported when their name says they are secret (`password`, `jwtSecret`, `apiKey`, …) and they look generated (at least 8 characters, at least 3.0 bits of entropy per character, not a plain word). Placeholders (`your-api-key-here`, `sk_live_...`, `<token>`), publishable keys (Stripe `pk_`, the Supabase anon key) and `process.env` reads are not reported; test-mode keys are reported as warnings. In test, spec, story and mock files only real provider keys are reported.',
    howToFix:
      'Read the value from the environment (`process.env.STRIPE_SECRET_KEY`), keep it in an untracked `.env` that `.gitignore` lists, document the variable name in `.env.example`, and rotate the secret: it has already been exposed. The "Move secret to env" fix does the first three in one edit. For a `.env` file git already tracks, run `git rm --cached .env`, add it to `.gitignore` and rotate every secret in it.',
    references: [
      'CWE-798: Use of Hard-coded Credentials — https://cwe.mitre.org/data/definitions/798.html',
      'CWE-540: Inclusion of Sensitive Information in Source Code — https://cwe.mitre.org/data/definitions/540.html',
      'OWASP Top 10 A07:2021 Identification and Authentication Failures — https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/',
      'OWASP Secrets Management Cheat Sheet — https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html',
    ],
  },
  fixes: [
    // Unsafe: it changes runtime configuration and writes three files besides the code.
    { id: 'move-secret-to-env', title: 'Move secret to env', safe: false },
    { id: 'ignore-env-file', title: 'Add .env to .gitignore', safe: true },
  ],
};
