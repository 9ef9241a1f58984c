import { describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from '../src/config.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('configuration', () => {
  it('defaults to embedded PGlite on loopback port 4000 in dev mode', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, host: '127.0.0.1', store: { kind: 'pglite', dataDir: './.data/pglite' }, auth: { devMode: true } });
    expect(config.publicUrl).toBe('http://127.0.0.1:4000');
  });

  it('uses Postgres when DATABASE_URL is set', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db:5432/gw' }).store).toEqual({
      kind: 'postgres',
      url: 'postgres://u@db:5432/gw',
      timeouts: { connectMs: 5_000, statementMs: 15_000, idleMs: 30_000 },
    });
  });

  it('bounds convergence: a 10 s mutation deadline, a lease of at most 30 s, a 20 s drain', () => {
    expect(loadConfig({})).toMatchObject({ provisioning: { deadlineMs: 10_000, leaseMs: 30_000 }, shutdown: { delayMs: 0, drainMs: 20_000 }, retryWorkerIntervalMs: 10_000 });
    expect(() => loadConfig({ PROVISIONING_LEASE_MS: '300000' })).toThrow(/PROVISIONING_LEASE_MS/);
  });

  it('sets inline backend retries per backend, each defaulting to BACKEND_MAX_RETRIES', () => {
    expect(loadConfig({}).backendMaxRetries).toEqual({ RETOOL: 3, FORGE: 3 });
    expect(loadConfig({ BACKEND_MAX_RETRIES: '5', RETOOL_MAX_RETRIES: '0' }).backendMaxRetries).toEqual({ RETOOL: 0, FORGE: 5 });
    expect(loadConfig({ FORGE_MAX_RETRIES: '1' }).backendMaxRetries).toEqual({ RETOOL: 3, FORGE: 1 });
    expect(() => loadConfig({ FORGE_MAX_RETRIES: '11' })).toThrow(/FORGE_MAX_RETRIES/);
  });

  it('stops on a bad value with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ GATEWAY_SECRET_KEY: 'short' })).toThrow(/GATEWAY_SECRET_KEY: must be 32 bytes/);
    expect(() => loadConfig({ RETOOL_API_BASE_URL: 'http://retool.local' })).toThrow(/RETOOL_API_TOKEN/);
  });

  it('never puts a secret value in its error messages', () => {
    const secret = 'super-secret-admin-token-value';
    try {
      loadConfig({ GATEWAY_ADMIN_TOKEN: secret, PORT: 'x', RETOOL_API_TOKEN: 'retool-secret' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect(String(error)).not.toContain(secret);
      expect(String(error)).not.toContain('retool-secret');
    }
  });

  it('refuses production without authentication or a secret key', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/GATEWAY_ADMIN_TOKEN/);
    expect(() => loadConfig({ NODE_ENV: 'production', GATEWAY_ADMIN_TOKEN: 'a'.repeat(32) })).toThrow(/GATEWAY_SECRET_KEY/);
    const config = loadConfig({ NODE_ENV: 'production', GATEWAY_ADMIN_TOKEN: 'a'.repeat(32), GATEWAY_SECRET_KEY: KEY });
    expect(config).toMatchObject({ graphiql: false, introspection: false, auth: { devMode: false } });
  });

  it('reads OAUTH2_ALLOWED_PRIVATE_HOSTS as host names, addresses and CIDRs, and refuses anything else', () => {
    expect(loadConfig({ OAUTH2_ALLOWED_PRIVATE_HOSTS: 'idp.corp, 10.0.0.0/8,fd00::/8,192.168.1.5' }).oauth2AllowedPrivateHosts).toEqual([
      'idp.corp',
      '10.0.0.0/8',
      'fd00::/8',
      '192.168.1.5',
    ]);
    for (const bad of ['10.0.0.0/33', 'idp.corp/8', 'http://idp.corp', '10.0.0.0/8/1', 'fd00::/129']) {
      expect(() => loadConfig({ OAUTH2_ALLOWED_PRIVATE_HOSTS: bad }), bad).toThrow(/OAUTH2_ALLOWED_PRIVATE_HOSTS/);
    }
  });

  it('refuses dev mode on a non-loopback address', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(/loopback/);
  });

  it('turns a backend on only when fully configured', () => {
    const config = loadConfig({ RETOOL_API_BASE_URL: 'http://127.0.0.1:9/retool', RETOOL_API_TOKEN: 'tok' });
    expect(config.retool).toMatchObject({ baseUrl: 'http://127.0.0.1:9/retool' });
    expect(config.forge).toBeUndefined();
  });

  it('describes itself without secrets', () => {
    const text = JSON.stringify(describeConfig(loadConfig({ GATEWAY_ADMIN_TOKEN: 'b'.repeat(40), RETOOL_API_BASE_URL: 'http://127.0.0.1:9', RETOOL_API_TOKEN: 'retool-tok' })));
    expect(text).not.toContain('b'.repeat(40));
    expect(text).not.toContain('retool-tok');
  });
});
