// The memory settings the gateway runs with: V8 heap flags and one glibc
// malloc setting. `npm start` (package.json), the image (Dockerfile ENV and
// CMD) and the bench spell the same ones; test/process/artefact.test.ts
// fails when one of them drifts.
//
// A young generation of two 32 MB semi-spaces (Node's default is 16 MB
// each): a request's rows and result tree live for tens of milliseconds,
// and with 16 MB a young collection ran every ~50 ms under load, so many of
// them survived two collections and were copied into old space (about 100 MB/s
// at 64 connections), where they wait for a full collection. With 32 MB most
// die young. An old generation that grows by at most 100% of what survived
// the last full collection (V8 chooses the factor itself otherwise, and under
// load let old space reach three to four times the survivors): old space is
// mostly that promoted garbage, so the heap stays near what is live.
// Measured on scenario 1 (docs/performance.md, change 28): less CPU per
// request and about 40 MB less RSS at 10 and 64 connections. Neither is a
// hard cap: a burst that needs more heap still gets it.
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32', '--heap-growing-percent=100'];

// glibc's malloc gives threads arenas of their own (up to 8 per core); the
// gateway's allocations outside the V8 heap (socket and driver buffers, the
// answers' bytes) come from the main thread and a few helper threads, and
// the extra arenas held freed memory: two arenas measured 8–10 MB less RSS
// under load at the same CPU (docs/performance.md, change 30). Ignored by
// other C libraries (musl, macOS).
export const GATEWAY_RUNTIME_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/** The environment as a shell spells it before a command (`npm start`), and as the bench reports it. */
export const GATEWAY_ENV_ASSIGNMENTS = Object.entries(GATEWAY_RUNTIME_ENV)
  .map(([name, value]) => `${name}=${value}`)
  .join(' ');
