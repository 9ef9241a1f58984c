// The bulk path: `count` new users against the fakes in createUsers calls of
// `batch` users one after the other (a call's variables count against
// LIMIT_MAX_TOKENS, 2,000 values by default: 9 per user, so about 220 users a
// call at production settings), timed from the first request to the last
// answer, with the server's own CPU and statement counters over the calls.
import type { ServerChild } from './child.ts';
import { postOnce } from './load.ts';
import { CREATE_USERS, requestBody } from './scenarios.ts';

export interface BulkResult {
  users: number;
  batch: number;
  backends: string[];
  wallSeconds: number;
  usersPerSecond: number;
  created: number;
  failed: number;
  cpuMsPerUser: number;
  sqlPerUser: number;
  /** Calls the fakes received per user (Retool / Forgejo). */
  retoolCallsPerUser: number;
  forgeCallsPerUser: number;
  rssMb: number;
}

async function createBatch(gateway: ServerChild, token: string, users: unknown[]): Promise<{ created: number; failed: number }> {
  const answer = await postOnce(gateway, token, requestBody(CREATE_USERS, { input: { users } }));
  const parsed = JSON.parse(answer.text) as { data?: { createUsers?: { __typename: string; created?: number; failed?: number } } };
  const payload = parsed.data?.createUsers;
  if (answer.status !== 200 || payload?.__typename !== 'CreateUsersPayload') throw new Error(`bulk: createUsers did not answer a payload (${answer.status}): ${answer.text.slice(0, 400)}`);
  return { created: payload.created ?? 0, failed: payload.failed ?? 0 };
}

export async function runBulk(gateway: ServerChild, fakes: ServerChild, token: string, count: number, batch: number, tag: string): Promise<BulkResult> {
  const backends = ['RETOOL', 'FORGE'];
  const users = Array.from({ length: count }, (_, i) => ({ email: `bulk-${tag}-${i}@bench.example`, username: `bulk-${tag}-${i}`, backends }));
  const [before, callsBefore] = await Promise.all([gateway.stats(), fakes.stats()]);
  let rssPeak = 0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, gateway.rssBytes() ?? 0)), 250);
  const started = performance.now();
  const totals = { created: 0, failed: 0 };
  try {
    for (let from = 0; from < users.length; from += batch) {
      const answered = await createBatch(gateway, token, users.slice(from, from + batch));
      totals.created += answered.created;
      totals.failed += answered.failed;
    }
  } finally {
    clearInterval(sampler);
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const [after, callsAfter] = await Promise.all([gateway.stats(), fakes.stats()]);
  return {
    users: count,
    batch,
    backends,
    wallSeconds,
    usersPerSecond: count / wallSeconds,
    ...totals,
    cpuMsPerUser: (after.cpuMicros - before.cpuMicros) / 1000 / count,
    sqlPerUser: (after.queries - before.queries) / count,
    retoolCallsPerUser: ((callsAfter.retoolCalls ?? 0) - (callsBefore.retoolCalls ?? 0)) / count,
    forgeCallsPerUser: ((callsAfter.forgeCalls ?? 0) - (callsBefore.forgeCalls ?? 0)) / count,
    rssMb: Math.max(rssPeak, after.rssBytes) / 2 ** 20,
  };
}
