// After each test file: no log line any of its gateways wrote contains a
// secret it used or was shown (tokens, one-time passwords, client secrets).
import { afterAll, expect } from 'vitest';
import { runLog } from './gateway.ts';

afterAll(() => {
  const text = runLog.lines.join('');
  const leaked = [...runLog.secrets].filter((secret) => text.includes(secret));
  runLog.lines.length = 0;
  // Never print the secret itself: its length and the first characters are enough to find it.
  expect(leaked.map((secret) => `${secret.slice(0, 4)}… (${secret.length} chars)`), 'secrets found in the gateway logs').toEqual([]);
});
