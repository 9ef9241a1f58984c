// One loopback list (src/loopback.ts) behind the dev-mode HOST rule and the
// dev-mode Host check: both accept exactly the names it accepts.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { hostPolicy } from '../src/http/origin.ts';
import { isLoopbackName } from '../src/loopback.ts';

const LOOPBACK = ['localhost', 'app.localhost', '127.0.0.1', '127.1.2.3', '::1', '0:0:0:0:0:0:0:1'];
const ELSEWHERE = ['0.0.0.0', '10.0.0.1', '::', 'example.com', 'localhost.example.com', '128.0.0.1'];

describe('the loopback list', () => {
  it('names this machine only', () => {
    expect(LOOPBACK.filter((name) => !isLoopbackName(name))).toEqual([]);
    expect(ELSEWHERE.filter(isLoopbackName)).toEqual([]);
  });

  it('is what dev mode may listen on', () => {
    for (const host of LOOPBACK) expect(loadConfig({ HOST: host }).host, host).toBe(host);
    for (const host of ELSEWHERE) expect(() => loadConfig({ HOST: host }), host).toThrow(/loopback/);
  });

  it('is what dev mode answers as Host', () => {
    const allowed = hostPolicy(loadConfig({}));
    expect(allowed).toBeDefined();
    expect(LOOPBACK.filter((name) => !allowed?.(name))).toEqual([]);
    expect(ELSEWHERE.filter((name) => allowed?.(name))).toEqual([]);
  });
});
