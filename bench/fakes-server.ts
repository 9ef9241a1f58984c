// The fake Retool and Forgejo of the test suite, each answering every call
// after BENCH_BACKEND_LATENCY_MS, in a process of their own so that neither
// the gateway's nor the load generator's event loop delays their answers.
import { startFakeForge } from '../test/fakes/forge.ts';
import { startFakeRetool } from '../test/fakes/retool.ts';
import { failStartup, processStats, send, serveIpc } from './lib/protocol.ts';

async function start(): Promise<void> {
  const latencyMs = Number(process.env.BENCH_BACKEND_LATENCY_MS ?? '50');
  const [retool, forge] = await Promise.all([startFakeRetool({ latencyMs }), startFakeForge({ latencyMs })]);
  serveIpc(
    () => ({ queries: 0, requests: retool.state.calls.length + forge.state.calls.length, retoolCalls: retool.state.calls.length, forgeCalls: forge.state.calls.length, ...processStats() }),
    async () => {
      await Promise.all([retool.close(), forge.close()]);
    },
  );
  send({ type: 'ready', port: 0, info: { retoolUrl: retool.url, forgeUrl: forge.url } });
}

start().catch(failStartup);
