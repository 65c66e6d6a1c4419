// Values parsed by a zod schema declared in the same file, read to tell which of them
// cannot carry SQL or shell syntax: an enum or literal is an allow-list of constants, a
// number is a number, a UUID is hex and dashes, and so is a string that fully matches a
// pattern of safe characters (`.regex(/^\d+$/)`). A `z.string()` field is still whatever
// the client sent. For page sizes, whether a number schema has a ceiling (`.max(100)`).
// Schemas are followed through `const` names (scopes.ts) only; a schema imported from
// another module is not read, so its values stay unproven.
import { ts } from '../ts';
import { isSafeRegexLiteral } from './safePatterns';
import { type Binding, type Scopes, keepsItsValue, unwrap } from './scopes';

/** Module specifiers zod is imported from (`zod`, `zod/v4`, `zod/mini`). */
function isZodModule(specifier: string): boolean {
  return specifier === 'zod' || specifier.startsWith('zod/');
}

/** `z.X(…)` constructors whose every output is a number, a boolean, a fixed constant or a nullish value. */
const CLOSED_CONSTRUCTORS: ReadonlySet<string> = new Set(['number', 'bigint', 'boolean', 'nan', 'null', 'undefined', 'void', 'never', 'int', 'uuid', 'guid', 'ulid', 'cuid2', 'nanoid']);

/** `z.X(…)` constructors whose output is one of the constants they list. */
const CONSTANT_LIST_CONSTRUCTORS: ReadonlySet<string> = new Set(['enum', 'literal']);

/** `z.X(inner)` wrappers whose output is the inner schema's, or nullish. */
const WRAPPING_CONSTRUCTORS: ReadonlySet<string> = new Set(['optional', 'nullable', 'nullish', 'readonly']);

/** Methods that keep a schema's output within what it was (checks, nullish, descriptions); `default`/`catch` add their argument. */
const PRESERVING_METHODS: ReadonlySet<string> = new Set([
  'optional',
  'nullable',
  'nullish',
  'readonly',
  'describe',
  'brand',
  'refine',
  'superRefine',
  'check',
  'int',
  'positive',
  'negative',
  'nonnegative',
  'nonpositive',
  'min',
  'max',
  'gt',
  'gte',
  'lt',
  'lte',
  'finite',
  'safe',
  'multipleOf',
  'step',
  'length',
  'nonempty',
  'exclude',
  'extract',
  'trim',
  'toLowerCase',
  'toUpperCase',
  'startsWith',
  'endsWith',
  'includes',
]);

/** `z.X()` constructors of a number schema. */
const NUMBER_CONSTRUCTORS: ReadonlySet<string> = new Set(['number', 'int', 'bigint']);

/** Checks that give a number schema a ceiling: `.max(100)`, `.lte(100)`, `.lt(101)`, `.negative()`. */
const CEILING_METHODS: ReadonlySet<string> = new Set(['max', 'lt', 'lte', 'negative', 'nonpositive']);

/** Methods that add their argument to the possible outputs. */
const DEFAULTING_METHODS: ReadonlySet<string> = new Set(['default', 'catch', 'prefault']);

/** String formats whose every match is made of letters, digits and dashes or underscores. */
const CLOSED_STRING_FORMATS: ReadonlySet<string> = new Set(['uuid', 'guid', 'ulid', 'cuid2', 'nanoid']);

/** `z.object` constructors, and methods of an object schema that keep its known fields' schemas. */
const OBJECT_CONSTRUCTORS: ReadonlySet<string> = new Set(['object', 'strictObject', 'looseObject']);
const OBJECT_PRESERVING_METHODS: ReadonlySet<string> = new Set(['strict', 'strip', 'passthrough', 'partial', 'required', 'pick', 'omit', 'readonly', 'describe', 'brand', 'refine', 'superRefine', 'check', 'catchall']);

/** Parsing methods: their result is the schema's output; `safeParse` wraps it in `{ success, data }`. */
const PARSE_METHODS: ReadonlySet<string> = new Set(['parse', 'parseAsync']);
const SAFE_PARSE_METHODS: ReadonlySet<string> = new Set(['safeParse', 'safeParseAsync']);

/** Names and schema layers followed before giving up (schemas are shallow; this only bounds odd code). */
const MAX_DEPTH = 24;

/** What an expression holds: a value the schema parsed, or a `safeParse` result whose `data` is one. */
interface Parsed {
  schema: ts.Expression;
  result: boolean;
}

export class ZodSchemas {
  constructor(
    private readonly scopes: Scopes,
    /** Whether an expression is a compile-time constant (flow.ts), for enum members and defaults. */
    private readonly isConstant: (expr: ts.Expression) => boolean,
  ) {}

  /**
   * Whether `expr` is the output of parsing with a schema whose every output cannot carry
   * SQL: `Q.parse(input).dir`, `const { dir } = Q.parse(input)`, `r.data.dir` after
   * `const r = Q.safeParse(input)` (without a success check `data` is undefined, which carries nothing either).
   */
  isSafeParsedValue(expr: ts.Expression): boolean {
    const parsed = this.parsedOf(expr, 0);
    return parsed !== undefined && !parsed.result && this.isClosedSchema(parsed.schema, 0);
  }

  /**
   * For the output of parsing with a number schema declared in the file: whether the schema
   * has a ceiling (`z.coerce.number().int().max(100)`) or lets any number through
   * (`z.coerce.number().min(1).default(20)`). Undefined when `expr` is no such output or the
   * schema cannot be read (`.transform()`, `.pipe()`, a schema imported from another module).
   */
  numberCeiling(expr: ts.Expression): 'capped' | 'open' | undefined {
    const parsed = this.parsedOf(expr, 0);
    return parsed && !parsed.result ? this.schemaCeiling(parsed.schema, 0) : undefined;
  }

  private schemaCeiling(schema: ts.Expression, depth: number): 'capped' | 'open' | undefined {
    const call = this.schemaCall(schema, depth);
    if (!call) return undefined;
    const { method, args } = call;
    if (this.isZodRoot(call.receiver)) {
      if (NUMBER_CONSTRUCTORS.has(method)) return 'open';
      return WRAPPING_CONSTRUCTORS.has(method) && args.length === 1 ? this.schemaCeiling(args[0] as ts.Expression, call.depth + 1) : undefined;
    }
    const base = (): 'capped' | 'open' | undefined => this.schemaCeiling(call.receiver, call.depth + 1);
    if (CEILING_METHODS.has(method)) return base() === undefined ? undefined : 'capped';
    if (PRESERVING_METHODS.has(method)) return base();
    // A constant default is a number the code picked, whatever the schema's ceiling.
    if (DEFAULTING_METHODS.has(method)) return args.every((arg) => this.isConstant(arg)) ? base() : undefined;
    return undefined;
  }

  private parsedOf(expr: ts.Expression, depth: number): Parsed | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const inner = unwrap(expr);
    if (ts.isAwaitExpression(inner)) return this.parsedOf(inner.expression, depth + 1);
    if (ts.isCallExpression(inner)) {
      const callee = unwrap(inner.expression);
      if (!ts.isPropertyAccessExpression(callee) || inner.arguments.length === 0) return undefined;
      const method = callee.name.text;
      if (PARSE_METHODS.has(method)) return { schema: callee.expression, result: false };
      if (SAFE_PARSE_METHODS.has(method)) return { schema: callee.expression, result: true };
      return undefined;
    }
    if (ts.isPropertyAccessExpression(inner)) return this.member(this.parsedOf(inner.expression, depth + 1), inner.name.text, depth);
    if (ts.isElementAccessExpression(inner)) {
      const key = unwrap(inner.argumentExpression);
      return ts.isStringLiteralLike(key) ? this.member(this.parsedOf(inner.expression, depth + 1), key.text, depth) : undefined;
    }
    if (ts.isIdentifier(inner)) return this.parsedOfName(inner, depth + 1);
    return undefined;
  }

  /** `parsed.key`: a field of a parsed object, or the `data` of a `safeParse` result. */
  private member(parsed: Parsed | undefined, key: string, depth: number): Parsed | undefined {
    if (!parsed) return undefined;
    if (parsed.result) return key === 'data' ? { schema: parsed.schema, result: false } : undefined;
    const field = this.objectField(parsed.schema, key, depth + 1);
    return field ? { schema: field, result: false } : undefined;
  }

  /** A variable that holds a parse result, whole or destructured, and is never written again. */
  private parsedOfName(identifier: ts.Identifier, depth: number): Parsed | undefined {
    const binding = this.onlyBinding(identifier);
    if (!binding) return undefined;
    const declaration = binding.declaration as ts.VariableDeclaration;
    let parsed = this.parsedOf(declaration.initializer as ts.Expression, depth);
    if (!binding.destructured) return parsed;
    // `const { data: { dir = 'asc' } } = Q.safeParse(input)`: walk the pattern from the declaration to the name
    const path: ts.BindingElement[] = [];
    for (let node: ts.Node = binding.identifier.parent; node !== declaration; node = node.parent.parent) {
      if (!ts.isBindingElement(node) || !ts.isObjectBindingPattern(node.parent) || node.dotDotDotToken) return undefined;
      path.unshift(node);
    }
    for (const element of path) {
      const key = element.propertyName ?? element.name;
      if (!ts.isIdentifier(key) && !ts.isStringLiteral(key)) return undefined;
      if (element.initializer && !this.isConstant(element.initializer)) return undefined;
      parsed = this.member(parsed, key.text, depth);
    }
    return parsed;
  }

  /** The single `const`-like declaration of a name with an initializer, never assigned or stored into. */
  private onlyBinding(identifier: ts.Identifier): Binding | undefined {
    const binding = this.scopes.resolveOnly(identifier);
    if (!binding || binding.kind !== 'variable') return undefined;
    const declaration = binding.declaration;
    // `for (const x of list)` also has an initializer (the list): not the value itself
    if (!ts.isVariableDeclaration(declaration) || !declaration.initializer || binding.initializer !== declaration.initializer) return undefined;
    return keepsItsValue(binding) ? binding : undefined;
  }

  /** A schema named by a `const` (`const Dir = z.enum([…])`): its initializer. */
  private schemaOfName(identifier: ts.Identifier): ts.Expression | undefined {
    const binding = this.onlyBinding(identifier);
    return binding && !binding.destructured ? binding.initializer : undefined;
  }

  /** The schema of a known field of an object schema. */
  private objectField(schema: ts.Expression, key: string, depth: number): ts.Expression | undefined {
    const call = this.schemaCall(schema, depth);
    if (!call) return undefined;
    const { method, args } = call;
    if (OBJECT_CONSTRUCTORS.has(method) && this.isZodNamespace(call.receiver)) return fieldOfShape(args[0], key);
    if (OBJECT_PRESERVING_METHODS.has(method)) return this.objectField(call.receiver, key, call.depth + 1);
    if (method === 'extend') {
      const shape = args[0];
      if (!shape || !ts.isObjectLiteralExpression(unwrap(shape)) || hasSpread(unwrap(shape) as ts.ObjectLiteralExpression)) return undefined;
      return fieldOfShape(shape, key) ?? this.objectField(call.receiver, key, call.depth + 1);
    }
    return undefined;
  }

  /** Whether every output of the schema is a number, a boolean, a constant it lists, a closed string format, or nullish. */
  private isClosedSchema(schema: ts.Expression, depth: number): boolean {
    const call = this.schemaCall(schema, depth);
    if (!call) return false;
    const { method, args } = call;
    if (this.isZodRoot(call.receiver)) {
      if (CLOSED_CONSTRUCTORS.has(method)) return true;
      if (CONSTANT_LIST_CONSTRUCTORS.has(method)) return args.length > 0 && args.every((arg) => this.isConstant(arg));
      if (method === 'nativeEnum') return args.length === 1 && this.isEnumName(args[0] as ts.Expression);
      if (method === 'union') {
        const members = args[0] && unwrap(args[0]);
        return members !== undefined && ts.isArrayLiteralExpression(members) && members.elements.every((member) => this.isClosedSchema(member, call.depth + 1));
      }
      if (WRAPPING_CONSTRUCTORS.has(method)) return args.length === 1 && this.isClosedSchema(args[0] as ts.Expression, call.depth + 1);
      return false;
    }
    if (PRESERVING_METHODS.has(method)) return this.isClosedSchema(call.receiver, call.depth + 1);
    if (DEFAULTING_METHODS.has(method)) return args.every((arg) => this.isConstant(arg)) && this.isClosedSchema(call.receiver, call.depth + 1);
    if (method === 'or') return args.length === 1 && this.isClosedSchema(call.receiver, call.depth + 1) && this.isClosedSchema(args[0] as ts.Expression, call.depth + 1);
    if (CLOSED_STRING_FORMATS.has(method) || (method === 'regex' && this.isSafePatternArgument(args[0]))) return this.isStringSchema(call.receiver, call.depth + 1);
    return false;
  }

  /** `.regex(/^\d+$/)`: an anchored pattern of safe characters (safePatterns.ts). */
  private isSafePatternArgument(arg: ts.Expression | undefined): boolean {
    let inner = arg && unwrap(arg);
    if (inner && ts.isIdentifier(inner)) inner = this.schemaOfName(inner);
    inner = inner && unwrap(inner);
    return inner !== undefined && ts.isRegularExpressionLiteral(inner) && isSafeRegexLiteral(inner);
  }

  /** `z.string()` (or `z.coerce.string()`) followed only by checks: a format check then holds of its output. */
  private isStringSchema(schema: ts.Expression, depth: number): boolean {
    const call = this.schemaCall(schema, depth);
    if (!call) return false;
    const { method } = call;
    if (method === 'string') return this.isZodRoot(call.receiver);
    return (PRESERVING_METHODS.has(method) || CLOSED_STRING_FORMATS.has(method) || method === 'regex') && this.isStringSchema(call.receiver, call.depth + 1);
  }

  /**
   * A schema as the method call that makes it (`z.number().max(100)`: `max` on
   * `z.number()`), through the names bound to schemas, with the depth reached (each
   * name followed counts, which ends `const a = b, b = a`); undefined for anything else.
   */
  private schemaCall(schema: ts.Expression, depth: number): { receiver: ts.Expression; method: string; args: ts.NodeArray<ts.Expression>; depth: number } | undefined {
    let inner = unwrap(schema);
    for (; ts.isIdentifier(inner); depth++) {
      const initializer = depth < MAX_DEPTH ? this.schemaOfName(inner) : undefined;
      if (!initializer) return undefined;
      inner = unwrap(initializer);
    }
    if (depth > MAX_DEPTH || !ts.isCallExpression(inner)) return undefined;
    const callee = unwrap(inner.expression);
    return ts.isPropertyAccessExpression(callee) ? { receiver: callee.expression, method: callee.name.text, args: inner.arguments, depth } : undefined;
  }

  /** `z` or `z.coerce`: where zod's constructors hang. */
  private isZodRoot(expr: ts.Expression): boolean {
    return this.isZodNamespace(expr) || this.isZodCoerce(expr);
  }

  /** `z`, however imported from zod (`import { z }`, `import * as z`, `import z`). */
  private isZodNamespace(expr: ts.Expression): boolean {
    const inner = unwrap(expr);
    if (!ts.isIdentifier(inner)) return false;
    const binding = this.scopes.resolve(inner);
    if (!binding || binding.kind !== 'import') return false;
    let node: ts.Node | undefined = binding.declaration;
    while (node && !ts.isImportDeclaration(node)) node = node.parent;
    return node !== undefined && ts.isStringLiteral(node.moduleSpecifier) && isZodModule(node.moduleSpecifier.text);
  }

  /** `z.coerce`. */
  private isZodCoerce(expr: ts.Expression): boolean {
    const inner = unwrap(expr);
    return ts.isPropertyAccessExpression(inner) && inner.name.text === 'coerce' && this.isZodNamespace(inner.expression);
  }

  /** `z.nativeEnum(Role)`: a name for code-defined values (an enum, an imported one, or a constant object), never a local variable. */
  private isEnumName(expr: ts.Expression): boolean {
    const inner = unwrap(expr);
    if (this.isConstant(inner)) return true;
    let root: ts.Expression = inner;
    while (ts.isPropertyAccessExpression(root)) root = root.expression;
    if (!ts.isIdentifier(root)) return false;
    // Enums are not value bindings in scopes.ts: an enum name resolves to nothing, or to its import.
    const binding = this.scopes.resolve(root);
    return !binding || binding.kind === 'import';
  }
}

/** The schema of `key` in a `z.object({ … })` shape literal; none when a spread could supply or override it. */
function fieldOfShape(shape: ts.Expression | undefined, key: string): ts.Expression | undefined {
  const literal = shape && unwrap(shape);
  if (!literal || !ts.isObjectLiteralExpression(literal) || hasSpread(literal)) return undefined;
  let found: ts.Expression | undefined;
  for (const property of literal.properties) {
    if (ts.isPropertyAssignment(property) && propertyKey(property.name) === key) found = property.initializer;
    else if (ts.isShorthandPropertyAssignment(property) && property.name.text === key) found = property.name;
  }
  return found;
}

function hasSpread(literal: ts.ObjectLiteralExpression): boolean {
  return literal.properties.some((property) => ts.isSpreadAssignment(property));
}

function propertyKey(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name) ? name.text : undefined;
}
