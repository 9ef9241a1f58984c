// `prestart`: compiles src/ into dist/ when dist/ is missing or older than
// the sources, so `npm start` always runs what is checked out. A built
// artefact (dist/ with no src/, as in the container image) starts as it is.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const OUTPUT = 'dist/main.js';
const INPUTS = ['src', 'scripts/build.ts', 'tsconfig.json', 'package-lock.json'];

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

if (!existsSync('src')) {
  if (existsSync(OUTPUT)) process.exit(0);
  console.error(`neither ${OUTPUT} nor src/ is here: run npm start from the project directory`);
  process.exit(1);
}

const built = existsSync(OUTPUT) ? statSync(OUTPUT).mtimeMs : 0;
const sources = Math.max(...INPUTS.filter((path) => existsSync(path)).map(newestMtime));
if (built >= sources) process.exit(0);

console.error(built === 0 ? 'dist/ is missing: building (npm run build)' : 'src/ changed since the last build: rebuilding (npm run build)');
const npm = process.env.npm_execpath;
const result = npm ? spawnSync(process.execPath, [npm, 'run', 'build'], { stdio: 'inherit' }) : spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
