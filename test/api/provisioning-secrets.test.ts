// A forge password and token are revealed once, in the createUser payload,
// stored only sealed (the token; the password is deleted once shown), and
// never written to a log or shown again.
import { describe, expect, it } from 'vitest';
import { secretOwner } from '../../src/domain/provisioning.ts';
import { backendAccountsRepository } from '../../src/store/repositories/backend-accounts.ts';
import { graphql } from '../gql/index.ts';
import { useFakeBackends } from '../support/backends.ts';
import { startTestGateway } from '../support/gateway.ts';
import { useTestStore } from '../support/store.ts';

const testStore = useTestStore();
const fakes = useFakeBackends();

const CreateWithSecrets = graphql(`
  mutation CreateWithSecrets($input: CreateUserInput!) {
    createUser(input: $input) {
      __typename
      ... on CreateUserPayload { user { id } secrets { backend kind value } }
    }
  }
`);

const RetryForSecrets = graphql(`
  mutation RetryForSecrets($userId: ID!) {
    retryProvisioning(input: { userId: $userId }) {
      ... on RetryProvisioningPayload { secrets { value } }
    }
  }
`);

describe('one-time secrets', () => {
  it('reveals the forge password and token once, seals them at rest, and never logs them', async () => {
    const { store } = testStore();
    const api = startTestGateway(store, fakes().env);
    const { data } = await api.graphql(CreateWithSecrets, { input: { email: 'sec@example.com', username: 'sec', backends: ['FORGE'] } });
    if (data?.createUser.__typename !== 'CreateUserPayload') throw new Error('payload');
    const password = data.createUser.secrets.find((s) => s.kind === 'PASSWORD')?.value ?? '';
    const token = data.createUser.secrets.find((s) => s.kind === 'TOKEN')?.value ?? '';
    expect(password).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(token).toMatch(/^[0-9a-f]{40}$/);
    expect(fakes().forge.user('sec')?.password).toBe(password);

    // At rest: only ciphertext, in no encoding that would show the secret.
    const rows = await store.raw<{ ciphertext: Uint8Array; nonce: Uint8Array }>('select nonce, ciphertext from secrets');
    // The token only: the password was deleted once shown, its one other use
    // (the ownership proof) being over once the account was proven.
    expect(rows).toHaveLength(1);
    for (const row of rows) {
      const bytes = Buffer.from(row.ciphertext);
      for (const secret of [password, token]) {
        expect(bytes.toString('latin1')).not.toContain(secret);
        expect(bytes.toString('hex')).not.toContain(Buffer.from(secret).toString('hex'));
        expect(bytes.toString('base64')).not.toContain(Buffer.from(secret).toString('base64').slice(0, 20));
      }
    }
    // Sealed, not lost: the gateway itself can open them.
    const [account] = await backendAccountsRepository.byUserIds(store.db, [await userRowId(api, data.createUser.user.id)]);
    if (!account) throw new Error('account');
    expect(await api.deps.secrets.get(store.db, secretOwner(account, 'TOKEN'))).toBe(token);
    expect(await api.deps.secrets.get(store.db, secretOwner(account, 'PASSWORD'))).toBeUndefined();

    // Never shown again.
    const again = await api.graphql(RetryForSecrets, { userId: data.createUser.user.id });
    expect(JSON.stringify(again)).not.toContain(token);
    expect(again.data?.retryProvisioning).toEqual({ secrets: [] });

    // Never logged.
    const logs = api.logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(password);
    expect(logs).not.toContain(token);
  });
});

async function userRowId(api: ReturnType<typeof startTestGateway>, globalId: string): Promise<string> {
  return Buffer.from(globalId, 'base64').toString('utf8').replace(/^User:/, '');
}
