// Statements a piece of work sends, as the store reports them: the count the
// N+1 tests assert. BEGIN, COMMIT and ROLLBACK are left out (node-postgres
// reports them, PGlite does not), so both stores give the same count.
import type { Store } from '../../src/store/client.ts';

const TRANSACTION_CONTROL = /^(begin|commit|rollback)\b/i;

/**
 * Runs `work` and answers its result with the first three words of each
 * statement it sent, and the transactions it opened: the BEGINs the store
 * reported, which only node-postgres does (undefined on PGlite).
 */
export async function statementsDuring<T>(store: Store, work: () => Promise<T>): Promise<{ result: T; statements: string[]; transactions: number | undefined }> {
  const statements: string[] = [];
  let begins = 0;
  const stop = store.onQuery((query) => {
    const text = query.trim();
    if (!TRANSACTION_CONTROL.test(text)) statements.push(text.split(/\s+/).slice(0, 3).join(' '));
    else if (/^begin\b/i.test(text)) begins += 1;
  });
  try {
    return { result: await work(), statements, transactions: store.kind === 'postgres' ? begins : undefined };
  } finally {
    stop();
  }
}
