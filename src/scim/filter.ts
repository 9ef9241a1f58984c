// `filter=` of GET /Users (RFC 7644 §3.4.2.2): parsed by scim2-parse-filter,
// then checked and mapped onto the columns the store filters by. An unknown
// attribute, an operator an attribute does not take, or a value of the wrong
// type is a 400 `invalidFilter`, never a query that matches nothing.
import { type Filter, parse } from 'scim2-parse-filter';
import type { ScimColumn, ScimCompareOp, ScimCondition } from '../store/repositories/scim-users.ts';
import { ScimHttpError } from './errors.ts';
import { canonicalAttribute, canonicalSubAttribute, CORE_USER, splitSchema } from './schema.ts';

const MAX_FILTER_LENGTH = 2000;
const MAX_NODES = 50;

const TEXT: Record<string, ScimColumn> = {
  id: 'id',
  userName: 'userName',
  externalId: 'externalId',
  displayName: 'displayName',
  'name.givenName': 'givenName',
  'name.familyName': 'familyName',
  emails: 'email',
  'emails.value': 'email',
};
const DATES: Record<string, ScimColumn> = { 'meta.created': 'created', 'meta.lastModified': 'lastModified' };

const invalid = (detail: string) => new ScimHttpError(400, 'invalidFilter', detail);

/** `urn:...:User:name.givenName` or `NAME.GIVENNAME` as `name.givenName`. */
function attributePath(raw: string, parent: string | undefined): string {
  const split = splitSchema(raw);
  if (!split || split.schema !== CORE_USER) throw invalid(`the filter names "${raw}", which is not an attribute the gateway filters on`);
  const [head = '', ...rest] = split.rest.split('.');
  if (parent) return [parent, canonicalSubAttribute(head), ...rest.map(canonicalSubAttribute)].join('.');
  return [canonicalAttribute(head), ...rest.map(canonicalSubAttribute)].join('.');
}

/** The constant a comparison of an attribute every user has the same value of reduces to. */
function constantCompare(op: Filter['op'], actual: string | boolean, value: unknown): ScimCondition {
  const same = typeof actual === 'string' && typeof value === 'string' ? actual.toLowerCase() === value.toLowerCase() : actual === value;
  if (op === 'eq') return { kind: 'constant', value: same };
  if (op === 'ne') return { kind: 'constant', value: !same };
  if (op === 'pr') return { kind: 'constant', value: true };
  throw invalid(`operator "${op}" does not apply here`);
}

function booleanValue(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw invalid('active compares with true or false');
}

function convert(node: Filter, parent: string | undefined, budget: { nodes: number }): ScimCondition {
  budget.nodes += 1;
  if (budget.nodes > MAX_NODES) throw invalid(`the filter is too complex (at most ${MAX_NODES} expressions)`);
  switch (node.op) {
    case 'and':
    case 'or':
      return { kind: node.op, items: node.filters.map((item) => convert(item, parent, budget)) };
    case 'not':
      return { kind: 'not', item: convert(node.filter, parent, budget) };
    case '[]': {
      const path = attributePath(node.attrPath, parent);
      if (path !== 'emails') throw invalid(`"${node.attrPath}[...]": only emails takes a value filter`);
      return convert(node.valFilter, 'emails', budget);
    }
    default: {
      const path = attributePath(node.attrPath, parent);
      const value = node.op === 'pr' ? undefined : node.compValue;
      // The gateway keeps one email, of type work and primary.
      if (path === 'emails.type') return constantCompare(node.op, 'work', value);
      if (path === 'emails.primary') return constantCompare(node.op, true, typeof value === 'string' ? booleanValue(value) : value);
      if (path === 'meta.resourceType') return constantCompare(node.op, 'User', value);
      if (path === 'active') {
        if (node.op === 'pr') return { kind: 'constant', value: true };
        if (node.op !== 'eq' && node.op !== 'ne') throw invalid(`active takes eq, ne or pr, not "${node.op}"`);
        return { kind: 'compare', column: 'active', op: node.op, value: booleanValue(value) };
      }
      const date = DATES[path];
      if (date) {
        if (node.op === 'pr') return { kind: 'constant', value: true };
        const at = typeof value === 'string' ? new Date(value) : undefined;
        if (!at || Number.isNaN(at.getTime()) || !['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(node.op)) {
          throw invalid(`${path} compares with a dateTime ("2025-01-31T09:30:00Z") by eq, ne, gt, ge, lt or le`);
        }
        return { kind: 'compare', column: date, op: node.op as ScimCompareOp, value: at };
      }
      const column = TEXT[path];
      if (!column) throw invalid(`the filter names "${node.attrPath}", which is not an attribute the gateway filters on`);
      if (node.op === 'pr') return { kind: 'present', column };
      // `attr eq null` is RFC 7644's way of saying "has no value".
      if (value === null && (node.op === 'eq' || node.op === 'ne')) {
        const present: ScimCondition = { kind: 'present', column };
        return node.op === 'eq' ? { kind: 'not', item: present } : present;
      }
      if (typeof value !== 'string') throw invalid(`${path} compares with a string`);
      return { kind: 'compare', column, op: node.op, value };
    }
  }
}

/** The store condition of a `filter` parameter; undefined or empty matches every SCIM user. */
export function parseUserFilter(text: string | null): ScimCondition {
  if (text === null || text.trim() === '') return { kind: 'constant', value: true };
  if (text.length > MAX_FILTER_LENGTH) throw invalid(`the filter is longer than ${MAX_FILTER_LENGTH} characters`);
  let ast: Filter;
  try {
    ast = parse(text);
  } catch (error) {
    throw invalid(`the filter is not valid SCIM filter syntax: ${error instanceof Error ? error.message.slice(0, 200) : 'unreadable'}`);
  }
  return convert(ast, undefined, { nodes: 0 });
}
