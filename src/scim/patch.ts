// PATCH /Users/{id} (RFC 7644 §3.5.2): the operations are normalised for
// what real identity providers send, then applied by scim-patch to the
// user's writable resource; the result is replaced like a PUT.
//
// Normalised, after Microsoft Entra ID's "Known issues and resolutions with
// SCIM 2.0 protocol compliance" and Okta's SCIM 2.0 reference:
// - `op` in any case ("Replace", "Add": Entra ID);
// - an operation without a path whose value is an object of attributes
//   (`{"op":"replace","value":{"active":false}}`: Okta and Entra ID), each
//   attribute becoming an operation of its own; keys may be dotted
//   (`name.givenName`) or name an extension schema;
// - `active` as the string "True"/"False" (Entra ID);
// - attribute names in any case.
// Attributes of RFC 7643's User the gateway does not keep (title,
// phoneNumbers, the enterprise extension, ...) are accepted and ignored;
// an attribute no schema defines is `invalidPath`; `id`, `meta` and the
// gateway's `accounts` are `mutability`.
import { type ScimPatchOperation, ScimError, type ScimResource, scimPatch } from 'scim-patch';
import { ScimHttpError, type ScimType } from './errors.ts';
import { attributeKind, canonicalAttribute, canonicalSubAttribute, CORE_USER, GATEWAY_USER, isIgnoredNamePart, isSubAttribute, knownSchema, PATCH_OP, splitSchema } from './schema.ts';
import { booleanOf, isObject, type JsonObject, member } from './user-resource.ts';

const MAX_OPERATIONS = 100;

type Op = 'add' | 'replace' | 'remove';

interface Operation {
  op: Op;
  path: string | undefined;
  value: unknown;
}

const syntax = (detail: string) => new ScimHttpError(400, 'invalidSyntax', detail);

function operationsOf(body: JsonObject): Operation[] {
  const schemas = member(body, 'schemas');
  if (schemas !== undefined && (!Array.isArray(schemas) || !schemas.some((urn) => typeof urn === 'string' && urn.toLowerCase() === PATCH_OP.toLowerCase()))) {
    throw syntax(`a PATCH body lists "${PATCH_OP}" in schemas`);
  }
  const operations = member(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) throw syntax('a PATCH body has a non-empty "Operations" list');
  if (operations.length > MAX_OPERATIONS) throw new ScimHttpError(400, 'tooMany', `at most ${MAX_OPERATIONS} operations in one PATCH`);
  return operations.map((raw) => {
    if (!isObject(raw)) throw syntax('each operation is an object with "op"');
    const op = member(raw, 'op');
    const lower = typeof op === 'string' ? op.toLowerCase() : '';
    if (lower !== 'add' && lower !== 'replace' && lower !== 'remove') throw syntax(`"op" is add, replace or remove, not ${JSON.stringify(op)}`);
    const path = member(raw, 'path');
    if (path !== undefined && path !== null && typeof path !== 'string') throw syntax('"path" is a string');
    if (lower !== 'remove' && !('value' in raw) && member(raw, 'value') === undefined) throw syntax(`"${lower}" needs a value`);
    return { op: lower, path: typeof path === 'string' && path.trim() !== '' ? path.trim() : undefined, value: member(raw, 'value') };
  });
}

/** A path-less add/replace: one operation per attribute of its value. */
function expandPathless(operation: Operation): Operation[] {
  if (operation.op === 'remove') throw new ScimHttpError(400, 'noTarget', 'a remove operation needs a path');
  if (!isObject(operation.value)) throw new ScimHttpError(400, 'invalidValue', 'an operation without a path has an object of attributes as its value');
  const expanded: Operation[] = [];
  for (const [key, value] of Object.entries(operation.value)) {
    const schema = knownSchema(key);
    if (schema && schema !== CORE_USER && isObject(value)) {
      for (const [sub, subValue] of Object.entries(value)) expanded.push({ op: operation.op, path: `${schema}:${sub}`, value: subValue });
    } else if (schema === CORE_USER && isObject(value)) {
      for (const [sub, subValue] of Object.entries(value)) expanded.push({ op: operation.op, path: sub, value: subValue });
    } else if (key.toLowerCase() === 'schemas') {
      continue;
    } else {
      expanded.push({ op: operation.op, path: key, value });
    }
  }
  return expanded;
}

/** Attribute names outside quoted strings in a value filter, as the gateway spells them. */
function canonicalFilter(filter: string): string {
  return filter.replace(/"(?:[^"\\]|\\.)*"|[A-Za-z_$][\w$-]*/g, (token) => (token.startsWith('"') ? token : canonicalSubAttribute(token)));
}

/**
 * The operation with its path spelled as the resource spells it, or
 * undefined when it is about an attribute the gateway ignores.
 */
function normalised(operation: Operation): Operation | undefined {
  const raw = operation.path ?? '';
  const split = splitSchema(raw);
  if (!split) throw new ScimHttpError(400, 'invalidPath', `"${raw}" names no schema the gateway knows`);
  const match = /^([A-Za-z$][\w$-]*)(?:\[(.*)\])?(?:\.([A-Za-z$][\w$-]*))?$/s.exec(split.rest);
  if (!match) throw new ScimHttpError(400, 'invalidPath', `"${raw}" is not an attribute path`);
  const [, head = '', filter, sub] = match;
  const kind = attributeKind(split.schema, head);
  if (kind === 'unknown') throw new ScimHttpError(400, 'invalidPath', `"${raw}" is not an attribute of the User schema`);
  if (kind === 'readOnly') throw new ScimHttpError(400, 'mutability', `"${raw}" is read-only`);
  if (kind === 'ignored') return undefined;
  if (split.schema === GATEWAY_USER) return { ...operation, path: `${GATEWAY_USER}:${canonicalSubAttribute(head)}` };
  const attr = canonicalAttribute(head);
  if (sub !== undefined && !isSubAttribute(attr, sub)) throw new ScimHttpError(400, 'invalidPath', `"${raw}": ${attr} has no sub-attribute "${sub}"`);
  if (attr === 'name' && sub !== undefined && isIgnoredNamePart(sub)) return undefined;
  if (attr === 'name' && sub !== undefined && canonicalSubAttribute(sub) === 'formatted') return undefined;
  const path = `${attr}${filter !== undefined ? `[${canonicalFilter(filter)}]` : ''}${sub !== undefined ? `.${canonicalSubAttribute(sub)}` : ''}`;
  const value = attr === 'active' && operation.op !== 'remove' ? booleanOf(operation.value, 'active') : normalisedValue(attr, operation.value);
  return { ...operation, path, value };
}

/** Object values (`name`, `emails` items) with their keys spelled as the resource spells them. */
function normalisedValue(attr: string, value: unknown): unknown {
  const rekey = (object: JsonObject) => Object.fromEntries(Object.entries(object).map(([key, v]) => [canonicalSubAttribute(key), key.toLowerCase() === 'primary' && v !== undefined && v !== null ? booleanOf(v, `${attr}.primary`) : v]));
  if (attr === 'name' && isObject(value)) return rekey(value);
  if (attr === 'emails' && Array.isArray(value)) return value.map((item) => (isObject(item) ? rekey(item) : item));
  if (attr === 'emails' && isObject(value)) return [rekey(value)];
  return value;
}

/** `resource` with the PATCH body applied; throws ScimHttpError for a body it cannot apply. */
export function applyPatch(resource: JsonObject, body: JsonObject): JsonObject {
  const operations = operationsOf(body)
    .flatMap((operation) => (operation.path === undefined ? expandPathless(operation) : [operation]))
    .map(normalised)
    .filter((operation): operation is Operation => operation !== undefined)
    .map((operation) => ({ op: operation.op, path: operation.path, value: operation.value }) as ScimPatchOperation);
  if (operations.length === 0) return resource;
  try {
    // scim-patch wants a resource with `meta`; the gateway's meta is not writable, so a stand-in is enough.
    const document: ScimResource & JsonObject = { ...resource, schemas: [CORE_USER, GATEWAY_USER], meta: { created: new Date(0), lastModified: new Date(0) } };
    const patched: JsonObject = scimPatch(document, operations, { mutateDocument: false, treatMissingAsAdd: true });
    return patched;
  } catch (error) {
    if (error instanceof ScimError) {
      const scimType = (error as ScimError & { scimCode?: string }).scimCode;
      throw new ScimHttpError(400, (scimType ?? 'invalidSyntax') as ScimType, error.message);
    }
    // scim-patch has no typed error for every malformed operation (a value of the wrong shape for its path).
    throw new ScimHttpError(400, 'invalidValue', 'the operations cannot be applied to this User');
  }
}
