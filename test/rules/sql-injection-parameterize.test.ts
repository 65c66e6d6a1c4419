// The SQL-text rewriting behind "Parameterize query": placeholders, quote
// handling, numbering after existing values, and refusals where binding cannot be right.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type ParameterizeOptions, type SqlPiece, parameterize } from '../../rules/sql-injection/parameterize';

const PG: ParameterizeOptions = { style: 'dollar', stringQuotes: "'", bindLimit: true, existingValues: 0 };
const MYSQL: ParameterizeOptions = { style: 'question', stringQuotes: `'"`, bindLimit: false, existingValues: 0 };

/** `sql\`…${0}…\``: text with numbered holes, every hole bound unless listed in `keep`. */
function pieces(strings: TemplateStringsArray, ...holes: number[]): SqlPiece[] {
  const out: SqlPiece[] = [{ kind: 'text', text: strings[0] ?? '' }];
  holes.forEach((hole, index) => {
    out.push({ kind: 'value', bind: hole >= 0 });
    out.push({ kind: 'text', text: strings[index + 1] ?? '' });
  });
  return out;
}

/** Renders a result as text: `$n`/`?` for parameters, `{k}` for kept values; values as `[a|%{b}%]`. */
function render(input: SqlPiece[], options: ParameterizeOptions): string {
  const result = parameterize(input, options);
  if (!result.ok) return `refused:${result.reason}@${result.piece}`;
  const text = result.segments
    .map((segment) => {
      if (segment.kind === 'parameter') {
        const parameter = result.parameters[segment.index];
        return options.style === 'dollar' ? `$${parameter?.number}` : '?';
      }
      if (segment.kind === 'value') return `{${segment.piece}}`;
      const piece = input[segment.piece];
      return piece?.kind === 'text' ? piece.text.slice(segment.start, segment.end) : '';
    })
    .join('');
  const values = result.parameters.map((parameter) => parameter.value.map((part) => (part.kind === 'text' ? part.text : `{${part.piece}}`)).join('')).join('|');
  return `${text} [${values}]`;
}

test('quoted values lose their quotes; LIKE patterns keep their wildcards in the value', () => {
  assert.equal(render(pieces`SELECT * FROM users WHERE email = '${0}'`, PG), 'SELECT * FROM users WHERE email = $1 [{1}]');
  assert.equal(render(pieces`SELECT * FROM p WHERE name ILIKE '%${0}%' LIMIT 5`, PG), 'SELECT * FROM p WHERE name ILIKE $1 LIMIT 5 [%{1}%]');
  assert.equal(render(pieces`WHERE name = 'O''Brien ${0}'`, PG), "WHERE name = $1 [O'Brien {1}]");
  assert.equal(render(pieces`WHERE email = "${0}"`, MYSQL), 'WHERE email = ? [{1}]');
});

test('unquoted values after operators, in VALUES lists, BETWEEN and LIMIT', () => {
  assert.equal(render(pieces`WHERE id = ${0} AND n > ${0}`, PG), 'WHERE id = $1 AND n > $2 [{1}|{3}]');
  assert.equal(render(pieces`INSERT INTO t (a, b) VALUES (${0}, '${0}'), (${0}, 1)`, PG), 'INSERT INTO t (a, b) VALUES ($1, $2), ($3, 1) [{1}|{3}|{5}]');
  assert.equal(render(pieces`WHERE d BETWEEN ${0} AND ${0}`, PG), 'WHERE d BETWEEN $1 AND $2 [{1}|{3}]');
  assert.equal(render(pieces`SELECT 1 LIMIT ${0}`, PG), 'SELECT 1 LIMIT $1 [{1}]');
  assert.equal(render(pieces`SELECT 1 LIMIT ${0}`, MYSQL), 'refused:number@1');
});

test('$n numbering continues after existing placeholders and values', () => {
  assert.equal(render(pieces`WHERE a = $1 AND b = '${0}'`, PG), 'WHERE a = $1 AND b = $2 [{1}]');
  assert.equal(render(pieces`WHERE b = '${0}'`, { ...PG, existingValues: 2 }), 'WHERE b = $3 [{1}]');
  assert.equal(render(pieces`WHERE note = '$9 only' AND b = ${0}`, PG), "WHERE note = '$9 only' AND b = $1 [{1}]");
});

test('? placeholders record their slot among the existing ones', () => {
  const result = parameterize(pieces`WHERE a = '${0}' AND b = ? AND c = ${0}`, MYSQL);
  assert.ok(result.ok);
  assert.equal(result.existingPlaceholders, 1);
  assert.deepEqual(
    result.parameters.map((parameter) => parameter.ordinal),
    [0, 2],
  );
});

test('kept (safe) splices stay in place and are not classified', () => {
  assert.equal(render(pieces`SELECT ${-1} FROM ${-1} WHERE id = '${0}'`, PG), 'SELECT {1} FROM {3} WHERE id = $1 [{5}]');
});

test('identifiers, fragments and lists are refused', () => {
  assert.equal(render(pieces`SELECT * FROM ${0}`, PG), 'refused:identifier@1');
  assert.equal(render(pieces`SELECT * FROM t ORDER BY ${0}`, PG), 'refused:identifier@1');
  assert.equal(render(pieces`SELECT * FROM t ORDER BY name ${0}`, PG), 'refused:identifier@1');
  assert.equal(render(pieces`SELECT ${0}, name FROM t`, PG), 'refused:identifier@1');
  assert.equal(render(pieces`SELECT * FROM t WHERE ${0} = $1`, PG), 'refused:identifier@1');
  assert.equal(render(pieces`INSERT INTO t (${0}) VALUES ($1)`, PG), 'refused:identifier@1');
  assert.equal(render(pieces`SELECT * FROM users_${0}`, PG), 'refused:identifier@1');
  assert.equal(render(pieces`SELECT * FROM t WHERE "${0}" = 1`, PG), 'refused:identifier@1');
  assert.equal(render(pieces`SELECT * FROM t WHERE ${0}`, PG), 'refused:fragment@1');
  assert.equal(render(pieces`SELECT * FROM t WHERE id IN (${0})`, PG), 'refused:list@1');
});

test('what a text rewrite cannot do faithfully is refused', () => {
  assert.equal(render(pieces`WHERE t > NOW() - INTERVAL '${0} days'`, PG), 'refused:unsupported@1');
  assert.equal(render(pieces`WHERE a = E'${0}'`, PG), 'refused:unsupported@1');
  assert.equal(render(pieces`WHERE a = '${0}\\n'`, PG), 'refused:unsupported@1');
  assert.equal(render(pieces`SELECT 1 -- '${0}'`, PG), 'refused:unsupported@1');
  assert.equal(render(pieces`SELECT $$${0}$$`, PG), 'refused:unsupported@1');
  assert.equal(render(pieces`WHERE a = '${0}`, PG), 'refused:unsupported@1');
});

test('property: a successful rewrite binds every bound value exactly once and keeps every other one', () => {
  const fragment = fc.constantFrom('SELECT * FROM t WHERE a = ', "'", '%', ' AND b = ', ' LIMIT ', ', ', '(', ')', ' VALUES (', 'x', ' ');
  const piece = fc.oneof(
    fragment.map((text): SqlPiece => ({ kind: 'text', text })),
    fc.boolean().map((bind): SqlPiece => ({ kind: 'value', bind })),
  );
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }), (input) => {
      const result = parameterize(input, PG);
      if (!result.ok) return;
      const bound = result.parameters.flatMap((parameter) => parameter.value.flatMap((part) => (part.kind === 'value' ? [part.piece] : [])));
      const kept = result.segments.flatMap((segment) => (segment.kind === 'value' ? [segment.piece] : []));
      const all = [...bound, ...kept].sort((a, b) => a - b);
      const expected = input.flatMap((candidate, index) => (candidate.kind === 'value' ? [index] : []));
      assert.deepEqual(all, expected);
      for (const index of kept) assert.equal((input[index] as { bind: boolean }).bind, false);
      assert.deepEqual(
        result.parameters.map((parameter) => parameter.number),
        result.parameters.map((_, index) => index + 1),
      );
    }),
  );
});
