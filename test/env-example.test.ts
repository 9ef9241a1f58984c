// .env.example and docs/configuration.md name every variable src/config.ts
// reads, so a new setting cannot ship undocumented.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

// The keys of the environment schema: the object's top-level `NAME:` entries.
const configured = [...read('src/config.ts').matchAll(/^ {4}([A-Z][A-Z0-9_]+): /gm)].map((match) => match[1]);

describe('configuration files', () => {
  it('reads the variables from src/config.ts', () => {
    expect(configured).toContain('DATABASE_URL');
    expect(configured).toContain('OAUTH2_RETURN_TO_ALLOWLIST');
  });

  it('.env.example lists every variable config.ts reads', () => {
    const listed = new Set([...read('.env.example').matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));
    expect(configured.filter((name) => !listed.has(name))).toEqual([]);
  });

  it('docs/configuration.md describes every variable config.ts reads', () => {
    const docs = read('docs/configuration.md');
    expect(configured.filter((name) => !docs.includes(`\`${name}\``))).toEqual([]);
  });
});
