// The README's GraphQL examples are valid against the schema, and every
// operation is named, so they can be pasted into one document and run.
import { readFileSync } from 'node:fs';
import { type OperationDefinitionNode, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/schema/index.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');

describe('README examples', () => {
  it('has at least one GraphQL example', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it.each(blocks.map((block, index) => ({ index, block })))('block $index is one valid document of named operations', ({ block }) => {
    const document = parse(block);
    expect(validate(schema, document).map((error) => error.message)).toEqual([]);
    const names = document.definitions.map((definition) => (definition as OperationDefinitionNode).name?.value);
    expect(names.every(Boolean)).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });
});
