// A reader for the subset of schema.prisma that matters here: models (and views,
// composite types), their fields with @id/@unique/@map/@relation, block
// attributes @@id/@@unique/@@index/@@map, enums and the datasource. Prisma's
// syntax is line-oriented (one field or attribute per line), so this reads line
// by line and never throws: an unreadable line is skipped.
import type { SchemaField, SchemaModel } from './appModel';

export interface PrismaField extends SchemaField {
  /** Offset of the field name in the file. */
  offset: number;
  attributes: { id: boolean; unique: boolean };
}

export interface PrismaBlockAttribute {
  name: string;
  fields: string[];
  line: number;
}

export interface PrismaModel extends SchemaModel {
  kind: 'model' | 'view' | 'type';
  fieldDetails: PrismaField[];
  blockAttributes: PrismaBlockAttribute[];
  /** 0-based line of the closing brace. */
  closeLine: number;
  /** Offset of the start of the closing brace's line. */
  closeLineStart: number;
  /** Indentation of the model's member lines. */
  indent: string;
}

export interface PrismaSchemaFile {
  models: PrismaModel[];
  enums: string[];
  datasource?: { provider?: string; relationMode?: string; path: string };
  /** Offsets of line starts, for turning lines into offsets. */
  lineStarts: number[];
}

const BLOCK_START = /^\s*(model|view|type|enum|datasource|generator)\s+(\w+)\s*\{\s*$/;
const FIELD = /^(\s*)(\w+)\s+(\w+(?:\.\w+)?(?:\([^)]*\))?)(\[\])?(\?)?(.*)$/;
const BLOCK_ATTRIBUTE = /^\s*@@(\w+)\s*(?:\((.*)\))?\s*$/;
const ASSIGNMENT = /^\s*(\w+)\s*=\s*(.+?)\s*$/;

export function parsePrismaSchema(text: string, path: string): PrismaSchemaFile {
  const lines = text.split(/\r?\n|\r/);
  const lineStarts: number[] = [];
  {
    let offset = 0;
    const re = /\r?\n|\r/g;
    lineStarts.push(0);
    let match: RegExpExecArray | null;
    while ((match = re.exec(text))) {
      offset = match.index + match[0].length;
      lineStarts.push(offset);
    }
  }
  const file: PrismaSchemaFile = { models: [], enums: [], lineStarts };
  let block: { kind: string; name: string; line: number } | undefined;
  let model: PrismaModel | undefined;

  lines.forEach((raw, index) => {
    const line = stripComment(raw);
    if (!block) {
      const start = BLOCK_START.exec(line);
      if (!start) return;
      const [, kind = '', name = ''] = start;
      block = { kind, name, line: index };
      if (kind === 'model' || kind === 'view' || kind === 'type') {
        model = {
          kind,
          name,
          aliases: [name, lowerFirst(name)],
          fields: [],
          indexes: [],
          uniques: [],
          foreignKeys: [],
          source: { path, line: index },
          origin: 'prisma',
          fieldDetails: [],
          blockAttributes: [],
          closeLine: index,
          closeLineStart: lineStarts[index] ?? 0,
          indent: '  ',
        };
      } else if (kind === 'enum') {
        file.enums.push(name);
      } else if (kind === 'datasource') {
        file.datasource = { path };
      }
      return;
    }
    if (/^\s*\}\s*$/.test(line)) {
      if (model) {
        model.closeLine = index;
        model.closeLineStart = lineStarts[index] ?? 0;
        file.models.push(model);
      }
      block = undefined;
      model = undefined;
      return;
    }
    if (block.kind === 'datasource' && file.datasource) {
      const assignment = ASSIGNMENT.exec(line);
      const key = assignment?.[1];
      const value = unquote(assignment?.[2] ?? '');
      if (key === 'provider') file.datasource.provider = value;
      if (key === 'relationMode' || key === 'referentialIntegrity') file.datasource.relationMode = value;
      return;
    }
    if (!model) return;
    const attribute = BLOCK_ATTRIBUTE.exec(line);
    if (attribute) {
      const [, name = '', args = ''] = attribute;
      model.blockAttributes.push({ name, fields: fieldList(args), line: index });
      if (name === 'map') {
        const table = unquote(args.split(',')[0] ?? '');
        if (table) model.aliases.push(table);
      } else if (name === 'id' || name === 'unique' || name === 'index') {
        const fields = fieldList(args);
        if (fields.length > 0) model.indexes.push(fields);
        if (fields.length > 0 && name !== 'index') model.uniques?.push(fields);
      }
      return;
    }
    const field = FIELD.exec(line);
    if (!field) return;
    const [, indent = '', name = '', type = '', list, optional, rest = ''] = field;
    if (model.fieldDetails.length === 0) model.indent = indent;
    const attributes = readAttributes(rest);
    const detail: PrismaField = {
      name,
      type,
      list: list !== undefined,
      optional: optional !== undefined,
      line: index,
      offset: (lineStarts[index] ?? 0) + indent.length,
      attributes: { id: attributes.has('id'), unique: attributes.has('unique') },
    };
    const map = attributes.get('map');
    if (map !== undefined) detail.column = unquote(map.split(',')[0] ?? '');
    const relation = attributes.get('relation');
    if (relation !== undefined) detail.relation = { model: type, fields: namedList(relation, 'fields'), references: namedList(relation, 'references') };
    model.fieldDetails.push(detail);
    model.fields.push(name);
    if (detail.attributes.id || detail.attributes.unique) {
      model.indexes.push([name]);
      model.uniques?.push([name]);
    }
  });

  // Fields typed with another model are relations even without @relation (the back side: `orders Order[]`).
  const modelNames = new Set(file.models.map((m) => m.name));
  for (const m of file.models) completeRelations(m, modelNames);
  return file;
}

/** Marks fields typed with a model as relations and records the foreign keys their @relation names. */
export function completeRelations(model: PrismaModel, modelNames: ReadonlySet<string>): void {
  model.foreignKeys = [];
  for (const field of model.fieldDetails) {
    if (!field.relation && modelNames.has(field.type)) field.relation = { model: field.type, fields: [], references: [] };
    const first = field.relation?.fields[0];
    if (field.relation && first) {
      const scalar = model.fieldDetails.find((candidate) => candidate.name === first);
      model.foreignKeys.push({ field: first, references: field.relation.model, fields: field.relation.fields, line: scalar?.line ?? field.line });
    }
  }
}

/** `@id @default(cuid()) @map("user_id")` -> id, default, map -> their argument text. */
function readAttributes(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  let i = 0;
  while (i < text.length) {
    const at = text.indexOf('@', i);
    if (at === -1 || text.charAt(at + 1) === '@') break;
    const name = /^@([\w.]+)/.exec(text.slice(at))?.[1] ?? '';
    let j = at + 1 + name.length;
    let args = '';
    if (text.charAt(j) === '(') {
      let depth = 0;
      let quote: string | undefined;
      const start = j + 1;
      for (; j < text.length; j++) {
        const c = text.charAt(j);
        if (quote) {
          if (c === '\\') j++;
          else if (c === quote) quote = undefined;
        } else if (c === '"') quote = c;
        else if (c === '(') depth++;
        else if (c === ')' && --depth === 0) break;
      }
      args = text.slice(start, j);
      j++;
    }
    attributes.set(name, args);
    i = j;
  }
  return attributes;
}

/** The field list of `@@index([a, b(sort: Desc)], map: "x")` or `@@index(fields: [a])`. */
function fieldList(args: string): string[] {
  const named = /fields\s*:\s*\[([^\]]*)\]/.exec(args);
  const list = named?.[1] ?? /^\s*\[([^\]]*)\]/.exec(args)?.[1];
  if (list === undefined) return [];
  return splitNames(list);
}

function namedList(args: string, key: string): string[] {
  const match = new RegExp(`${key}\\s*:\\s*\\[([^\\]]*)\\]`).exec(args);
  return match?.[1] !== undefined ? splitNames(match[1]) : [];
}

function splitNames(list: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of list) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      names.push(current);
      current = '';
    } else current += c;
  }
  names.push(current);
  return names.map((name) => /^\s*(\w+)/.exec(name)?.[1] ?? '').filter((name) => name !== '');
}

/** Drops a `//` comment (Prisma has no block comments), leaving `"//"` inside strings alone. */
function stripComment(line: string): string {
  let quote = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (c === '"' && line.charAt(i - 1) !== '\\') quote = !quote;
    else if (!quote && c === '/' && line.charAt(i + 1) === '/') return line.slice(0, i);
  }
  return line;
}

function unquote(value: string): string {
  const trimmed = value.trim();
  return trimmed.startsWith('"') && trimmed.endsWith('"') && trimmed.length >= 2 ? trimmed.slice(1, -1) : trimmed;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
