// The end state the process-level convergence tests ask for, read through a
// gateway's API and from the fake backends: every account converged to its
// user's status in both backends, no backend account twice (nor any the
// gateway does not know of), at most one gateway token per Forgejo account.
import { expect } from 'vitest';
import type { FakeBackends } from './backends.ts';
import type { ChildGateway } from './child-gateway.ts';

export const GATEWAY_STATE = `{ users(first: 100) { edges { node { id email username status accounts { backend status desiredStatus converged } } } } }`;

export interface GatewayUser {
  id: string;
  email: string;
  username: string;
  status: string;
  accounts: Array<{ backend: string; status: string; desiredStatus: string; converged: boolean }>;
}

/** Every user the gateway lists (at most 100, more than any of these tests makes). */
export async function gatewayUsers(gateway: ChildGateway): Promise<GatewayUser[]> {
  const answer = await gateway.graphql<{ users: { edges: Array<{ node: GatewayUser }> } }>(GATEWAY_STATE);
  return answer.data?.users.edges.map((edge) => edge.node) ?? [];
}

export const allConverged = (users: GatewayUser[]): boolean => users.length > 0 && users.every((user) => user.accounts.every((account) => account.converged));

/** Both backends hold exactly what the gateway says of each of `users`, and nothing else. */
export function expectBackendsAgree(fakes: FakeBackends, users: GatewayUser[], context: string): void {
  expect(users.length, context).toBeGreaterThan(0);
  for (const user of users) {
    const wanted = user.status;
    expect(user.accounts.map((a) => [a.backend, a.status, a.desiredStatus, a.converged]), `${user.username} ${context}`).toEqual([
      ['FORGE', wanted, wanted, true],
      ['RETOOL', wanted, wanted, true],
    ]);
    const retool = fakes.retool.byEmail(user.email);
    expect(retool, `${user.username} in Retool ${context}`).toHaveLength(1);
    expect(retool[0]?.active, `${user.username} active in Retool ${context}`).toBe(wanted === 'ACTIVE');
    const forge = fakes.forge.state.users.filter((u) => u.login.toLowerCase() === user.username.toLowerCase());
    expect(forge, `${user.username} in Forgejo ${context}`).toHaveLength(1);
    expect(forge[0]?.prohibit_login, `${user.username} prohibit_login ${context}`).toBe(wanted === 'DISABLED');
    expect(fakes.forge.state.tokens.filter((t) => t.userId === forge[0]?.id).length, `${user.username} tokens ${context}`).toBeLessThanOrEqual(1);
  }
  // No backend account the gateway does not know of (nothing created twice under another name).
  expect(fakes.retool.state.users, `Retool accounts ${context}`).toHaveLength(users.length);
  expect(fakes.forge.state.users.filter((u) => !u.is_admin), `Forgejo accounts ${context}`).toHaveLength(users.length);
}
