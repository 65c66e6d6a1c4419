// Mongoose schemas declared in code: `new Schema({ owner: { type: ObjectId, ref: 'User', index: true } })`,
// `schema.index({ owner: 1, createdAt: -1 })` and `model('Order', schema)`.
import { ts } from '../ts';
import type { SchemaField, SchemaModel } from './appModel';
import { MONGOOSE_ID_TYPES } from './schemaModels';
import { unwrap } from './scopes';

interface Found {
  schema: ts.ObjectLiteralExpression;
  /** The variable the schema is assigned to, if any. */
  variable?: string;
  line: number;
  model?: { name: string; collection?: string };
  indexes: { fields: string[]; unique: boolean }[];
}

export function collectMongooseModels(sourceFile: ts.SourceFile, path: string): SchemaModel[] {
  const schemas: Found[] = [];
  const byVariable = new Map<string, Found>();
  const modelCalls: { name: string; collection?: string; schema: ts.Expression }[] = [];
  const indexCalls: { variable: string; fields: string[]; unique: boolean }[] = [];

  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && isSchemaConstructor(node.expression)) {
      const first = node.arguments?.[0] ? unwrap(node.arguments[0]) : undefined;
      if (first && ts.isObjectLiteralExpression(first)) {
        const parent = node.parent;
        const variable = parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name) ? parent.name.text : undefined;
        const found: Found = { schema: first, variable, line: sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line, indexes: [] };
        schemas.push(found);
        if (variable) byVariable.set(variable, found);
      }
    } else if (ts.isCallExpression(node)) {
      const callee = unwrap(node.expression);
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
      const [first, second, third] = node.arguments;
      if (method === 'model' && first && ts.isStringLiteralLike(first) && second) {
        modelCalls.push({ name: first.text, collection: third && ts.isStringLiteralLike(third) ? third.text : undefined, schema: unwrap(second) });
      } else if (method === 'index' && ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && first && ts.isObjectLiteralExpression(unwrap(first))) {
        const options = second && ts.isObjectLiteralExpression(unwrap(second)) ? (unwrap(second) as ts.ObjectLiteralExpression) : undefined;
        const unique = options?.properties.some((p) => ts.isPropertyAssignment(p) && p.name.getText() === 'unique' && p.initializer.kind === ts.SyntaxKind.TrueKeyword) ?? false;
        indexCalls.push({ variable: callee.expression.text, fields: keysOf(unwrap(first) as ts.ObjectLiteralExpression), unique });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);

  for (const call of modelCalls) {
    const found = ts.isIdentifier(call.schema) ? byVariable.get(call.schema.text) : schemas.find((schema) => schema.schema.parent === call.schema);
    if (found) found.model = { name: call.name, collection: call.collection };
  }
  for (const index of indexCalls) byVariable.get(index.variable)?.indexes.push({ fields: index.fields, unique: index.unique });

  const models: SchemaModel[] = [];
  for (const found of schemas) {
    const name = found.model?.name ?? modelNameFromVariable(found.variable);
    if (!name) continue;
    const fieldDetails: SchemaField[] = [];
    const indexes: string[][] = [['_id'], ...found.indexes.map((index) => index.fields)];
    const uniques: string[][] = [['_id'], ...found.indexes.filter((index) => index.unique).map((index) => index.fields)];
    const foreignKeys: SchemaModel['foreignKeys'] = [];
    for (const property of found.schema.properties) {
      if (!ts.isPropertyAssignment(property)) continue;
      const key = property.name.getText(sourceFile).replace(/^['"]|['"]$/g, '');
      const line = sourceFile.getLineAndCharacterOfPosition(property.getStart(sourceFile)).line;
      let value = unwrap(property.initializer);
      const list = ts.isArrayLiteralExpression(value);
      if (ts.isArrayLiteralExpression(value)) value = value.elements[0] ? unwrap(value.elements[0]) : value;
      let type = ts.isObjectLiteralExpression(value) ? '' : value.getText(sourceFile);
      let optional = true;
      if (ts.isObjectLiteralExpression(value)) {
        const option = (option: string): ts.Expression | undefined => {
          for (const p of (value as ts.ObjectLiteralExpression).properties) if (ts.isPropertyAssignment(p) && p.name.getText(sourceFile) === option) return p.initializer;
          return undefined;
        };
        type = option('type')?.getText(sourceFile) ?? 'Mixed';
        const ref = option('ref');
        if (ref && ts.isStringLiteralLike(ref)) foreignKeys.push({ field: key, references: ref.text, line });
        if (isTrue(option('index')) || isTrue(option('unique'))) indexes.push([key]);
        if (isTrue(option('unique'))) uniques.push([key]);
        if (isTrue(option('required'))) optional = false;
      }
      if (list && type === '') type = 'Array';
      fieldDetails.push({ name: key, type: MONGOOSE_ID_TYPES.has(type) ? 'ObjectId' : type, optional, list, line });
    }
    models.push({
      name,
      aliases: [name, found.model?.collection ?? pluralize(name.toLowerCase())],
      fields: ['_id', ...fieldDetails.map((field) => field.name)],
      indexes,
      uniques,
      foreignKeys,
      source: { path, line: found.line },
      fieldDetails,
      origin: 'mongoose',
    });
  }
  return models;
}

function isSchemaConstructor(expr: ts.Expression): boolean {
  const inner = unwrap(expr);
  if (ts.isIdentifier(inner)) return inner.text === 'Schema';
  return ts.isPropertyAccessExpression(inner) && inner.name.text === 'Schema';
}

function keysOf(object: ts.ObjectLiteralExpression): string[] {
  return object.properties.filter(ts.isPropertyAssignment).map((property) => property.name.getText().replace(/^['"]|['"]$/g, ''));
}

function isTrue(expr: ts.Expression | undefined): boolean {
  return expr !== undefined && (expr.kind === ts.SyntaxKind.TrueKeyword || (ts.isArrayLiteralExpression(expr) && expr.elements[0]?.kind === ts.SyntaxKind.TrueKeyword));
}

/** `orderSchema` / `OrderSchema` -> `Order`. */
function modelNameFromVariable(variable: string | undefined): string | undefined {
  const base = variable?.replace(/Schema$/, '');
  if (!base) return undefined;
  return base.charAt(0).toUpperCase() + base.slice(1);
}

/** Mongoose's default collection name: lower-cased and pluralized. */
function pluralize(name: string): string {
  if (/(s|x|z|ch|sh)$/.test(name)) return `${name}es`;
  if (/[^aeiou]y$/.test(name)) return `${name.slice(0, -1)}ies`;
  return `${name}s`;
}
