import { isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { didYouMean } from '../text/did-you-mean';
import { definitionSchema } from './references';
import type { ParsedDefinition } from './schema';

/** One problem in a definition file, pointing at the spot: `fit[2].when.operator`, line 31. */
export interface DefinitionProblem {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export class DefinitionError extends Error {
  constructor(
    readonly file: string,
    readonly problems: DefinitionProblem[],
  ) {
    super(
      `${file}: invalid lead definition (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${p.line !== undefined ? `line ${p.line}: ` : ''}${p.path ? `${p.path}: ` : ''}${p.message}`).join('\n'),
    );
    this.name = 'DefinitionError';
  }
}

/** `fit[2].when.operator` from zod's path. */
export function formatPath(p: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of p) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}

/** Words for one zod issue, in the form "expected X, found Y". */
function issueMessage(issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}, found ${describe(input)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => String(v)).join(', ')}; found ${describe(input)}`;
    case 'invalid_union':
      return `expected ${issue.message.replace(/^Invalid input:?\s*/i, '') || 'a different shape'}, found ${describe(input)}`;
    case 'too_small':
      return issue.origin === 'array' ? `expected at least ${issue.minimum} item(s)` : `expected ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}, found ${describe(input)}`;
    case 'too_big':
      return `expected ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}, found ${describe(input)}`;
    case 'invalid_format':
      return `${issue.message}, found ${describe(input)}`;
    default:
      return issue.message;
  }
}

function valueAt(data: unknown, p: ReadonlyArray<PropertyKey>): unknown {
  let cur: unknown = data;
  for (const seg of p) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

/** Line and column of the node at a path (or of the closest existing parent), 1-based. */
function locate(doc: Document | undefined, counter: LineCounter, p: ReadonlyArray<PropertyKey>, key?: string): { line: number; column: number } | undefined {
  if (!doc) return undefined;
  for (let n = p.length; n >= 0; n--) {
    const node = doc.getIn(p.slice(0, n) as Array<string | number>, true) as YamlNode | undefined;
    if (node && typeof node === 'object' && 'range' in node && node.range) {
      let offset = node.range[0];
      if (key !== undefined && n === p.length && isMap(node)) {
        const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === key);
        if (pair && isScalar(pair.key) && pair.key.range) offset = pair.key.range[0];
      }
      const pos = counter.linePos(offset);
      return { line: pos.line, column: pos.col };
    }
  }
  return undefined;
}

/** Parses and validates definition text. Throws DefinitionError listing every problem with its line. */
export function parseDefinitionText(text: string, file = '<definition>', format?: 'yaml' | 'json'): ParsedDefinition {
  const fmt = format ?? (/\.json$/i.test(file) ? 'json' : 'yaml');
  const counter = new LineCounter();
  let data: unknown;
  let doc: Document | undefined;
  if (fmt === 'json') {
    try {
      data = JSON.parse(text);
    } catch (err) {
      const m = /position (\d+)/.exec((err as Error).message);
      const line = m ? text.slice(0, Number(m[1])).split('\n').length : undefined;
      throw new DefinitionError(file, [{ path: '', message: `not valid JSON: ${(err as Error).message}`, line }]);
    }
    // JSON is YAML 1.2, so the YAML parser gives us positions for the problems found below.
    doc = parseDocument(text, { lineCounter: counter });
  } else {
    doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length > 0) {
      throw new DefinitionError(
        file,
        doc.errors.map((e) => {
          const pos = counter.linePos(e.pos[0]);
          return { path: '', message: `not valid YAML: ${e.message.split('\n')[0]}`, line: pos.line, column: pos.col };
        }),
      );
    }
    data = doc.toJS();
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new DefinitionError(file, [{ path: '', message: `expected a mapping with version, name, ladder, ...; found ${describe(data)}` }]);
  }

  const result = definitionSchema.safeParse(data);
  if (result.success) return result.data;

  const problems: DefinitionProblem[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const hint = didYouMean(key, FIELD_NAMES);
        problems.push({
          path: formatPath([...issue.path, key]),
          message: `unknown field "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}${key === 'decay' && issue.path[0] === 'fit' ? ': fit never decays; decay belongs to engagement criteria' : ''}`,
          ...locate(doc, counter, issue.path, key),
        });
      }
      continue;
    }
    problems.push({
      path: formatPath(issue.path),
      message: issueMessage(issue, valueAt(data, issue.path)),
      ...locate(doc, counter, issue.path),
    });
  }
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  throw new DefinitionError(file, problems);
}

/** Every field name the format knows, for "did you mean" hints on unknown fields. */
const FIELD_NAMES = [
  'version', 'name', 'description', 'lists', 'required', 'fit', 'engagement', 'disqualifiers', 'caps', 'ladder', 'hubspot',
  'id', 'label', 'group', 'when', 'points', 'decay', 'reason', 'type', 'days', 'from', 'all', 'any', 'not', 'property',
  'operator', 'value', 'values', 'list', 'min', 'max', 'pattern', 'flags', 'caseInsensitive', 'total', 'groups',
  'leadStatus', 'lifecycleStage', 'sales_ready', 'marketing_qualified',
  'accounts', 'coverage', 'measure', 'score', 'window', 'atLeast', 'roles', 'engagedOnly', 'qualified', 'engaged',
];

