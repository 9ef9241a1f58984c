// The environment an operator sets to point a gateway at the fake Retool and
// Forgejo: shared by tests, the demo and the bench (no test runner needed).
import { DEFAULT_FORGE_OPTIONS, type FakeForge } from './forge.ts';
import { DEFAULT_RETOOL_TOKEN, type FakeRetool } from './retool.ts';

export function backendEnv(retool: Pick<FakeRetool, 'url'> | undefined, forge: Pick<FakeForge, 'url'> | undefined): Record<string, string> {
  return {
    ...(retool ? { RETOOL_API_BASE_URL: retool.url, RETOOL_API_TOKEN: DEFAULT_RETOOL_TOKEN } : {}),
    ...(forge
      ? {
          FORGE_BASE_URL: forge.url,
          FORGE_ADMIN_TOKEN: DEFAULT_FORGE_OPTIONS.adminToken,
          FORGE_ADMIN_USERNAME: DEFAULT_FORGE_OPTIONS.adminUsername,
          FORGE_ADMIN_PASSWORD: DEFAULT_FORGE_OPTIONS.adminPassword,
        }
      : {}),
  };
}
