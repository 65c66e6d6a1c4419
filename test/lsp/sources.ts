// Source texts shared by the protocol tests. Secrets are assembled at run time
// so secret scanners do not flag this file.

export const PACKAGE_JSON = JSON.stringify({ name: 'app', dependencies: { express: '^4.19.0', pg: '^8.11.0', stripe: '^16.0.0' } }, null, 2);

/** An Express route sending request input spliced into SQL to node-postgres (line 7, 0-based). */
export const UNSAFE_SQL = `import express from 'express';
import { Pool } from 'pg';

const pool = new Pool();
const app = express();

app.get('/search', async (req, res) => {
  const { rows } = await pool.query(\`SELECT * FROM products WHERE name = '\${req.query.q}'\`);
  res.json(rows);
});
`;

/** The same route, parameterized by hand. */
export const SAFE_SQL = UNSAFE_SQL.replace("`SELECT * FROM products WHERE name = '${req.query.q}'`", "'SELECT * FROM products WHERE name = $1', [req.query.q]");

/** A second route with an injection, by concatenation; it goes after UNSAFE_SQL. */
const ORDERS_ROUTE = `app.get('/orders', async (req, res) => {
  const { rows } = await pool.query("SELECT * FROM orders WHERE status = '" + req.query.status + "'");
  res.json(rows);
});
`;

/** Two injections in one file, both with a safe fix. */
export const TWO_INJECTIONS = `${UNSAFE_SQL}\n${ORDERS_ROUTE}`;

/** The lines between the two flagged calls of FAR_APART_INJECTIONS (0-based, inclusive), which their fixes leave alone. */
export const BETWEEN_INJECTIONS = { first: 8, last: 212 };

/** The same two injections with two hundred lines of other code between them. */
export const FAR_APART_INJECTIONS = `${UNSAFE_SQL}
${Array.from({ length: 200 }, (_, i) => `export const pageSize${i} = ${i + 10};`).join('\n')}

${ORDERS_ROUTE}`;

/** A Stripe live key shaped like a real one. */
export const STRIPE_KEY = ['sk', 'live', '51Gv26qjETqhE8jSiMJsbuJSZ3erg6pOpnU1cScCrlLZYu4vqdjx0psBaafeSKdojJhnToNyLGet56wU30quw5mkv3K1YYMpuhQ'].join('_');

export const BILLING = `import Stripe from 'stripe';

export const stripe = new Stripe('${STRIPE_KEY}', { apiVersion: '2024-06-20' });
`;

/** Where `text` first contains `needle`, as an LSP range. */
export function rangeOf(text: string, needle: string): { start: { line: number; character: number }; end: { line: number; character: number } } {
  const offset = text.indexOf(needle);
  if (offset === -1) throw new Error(`${needle} not in text`);
  const position = (at: number): { line: number; character: number } => {
    const before = text.slice(0, at);
    const line = before.split('\n').length - 1;
    return { line, character: at - (before.lastIndexOf('\n') + 1) };
  };
  return { start: position(offset), end: position(offset + needle.length) };
}
