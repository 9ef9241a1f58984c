// `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9): which
// attributes of a resource are returned. `id` and `schemas` always are.
// Names are matched ignoring case and may carry their schema URN.
import { ScimHttpError } from './errors.ts';
import { attributeKind, canonicalAttribute, canonicalSubAttribute, CORE_USER, GATEWAY_USER, splitSchema } from './schema.ts';
import { isObject, type JsonObject } from './user-resource.ts';

interface Selector {
  /** The top-level key in the resource: a core attribute or an extension URN. */
  key: string;
  sub: string | undefined;
}

const ALWAYS = new Set(['id', 'schemas']);

function selectors(parameter: string | null, name: string): Selector[] | undefined {
  if (parameter === null || parameter.trim() === '') return undefined;
  return parameter.split(',').map((raw) => {
    const text = raw.trim();
    const split = splitSchema(text);
    if (!split) throw new ScimHttpError(400, 'invalidValue', `${name}: "${text}" names no schema the gateway knows`);
    if (split.rest === '') return { key: split.schema === CORE_USER ? '' : split.schema, sub: undefined };
    const [head = '', sub] = split.rest.split('.');
    if (split.schema === GATEWAY_USER) return { key: GATEWAY_USER, sub: canonicalSubAttribute(head) };
    if (attributeKind(split.schema, head) === 'unknown') throw new ScimHttpError(400, 'invalidValue', `${name}: "${text}" is not an attribute of the User schema`);
    if (split.schema !== CORE_USER) return { key: split.schema, sub: undefined };
    return { key: canonicalAttribute(head), sub: sub === undefined ? undefined : canonicalSubAttribute(sub) };
  });
}

function pick(resource: JsonObject, chosen: Selector[]): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(resource)) {
    if (ALWAYS.has(key)) {
      out[key] = value;
      continue;
    }
    const wanted = chosen.filter((selector) => selector.key === key || selector.key === '');
    if (wanted.length === 0) continue;
    if (wanted.some((selector) => selector.sub === undefined) || !isObject(value)) {
      out[key] = value;
      continue;
    }
    out[key] = Object.fromEntries(Object.entries(value).filter(([sub]) => wanted.some((selector) => selector.sub === sub)));
  }
  return out;
}

function omit(resource: JsonObject, excluded: Selector[]): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(resource)) {
    const matching = excluded.filter((selector) => selector.key === key);
    if (ALWAYS.has(key) || matching.length === 0) {
      out[key] = value;
      continue;
    }
    if (matching.some((selector) => selector.sub === undefined) || !isObject(value)) continue;
    out[key] = Object.fromEntries(Object.entries(value).filter(([sub]) => !matching.some((selector) => selector.sub === sub)));
  }
  return out;
}

export type Projection = (resource: JsonObject) => JsonObject;

/** The projection the query asks for; throws `invalidValue` for a name no schema defines. */
export function projectionOf(params: URLSearchParams): Projection {
  const attributes = selectors(params.get('attributes'), 'attributes');
  const excluded = selectors(params.get('excludedAttributes'), 'excludedAttributes');
  if (attributes) return (resource) => pick(resource, attributes);
  if (excluded) return (resource) => omit(resource, excluded);
  return (resource) => resource;
}
