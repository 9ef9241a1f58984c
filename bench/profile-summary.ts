// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by
// function and by package, as a markdown table. Usable on its own:
//   npx tsx bench/profile-summary.ts path/to/file.cpuprofile [top]
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function isCpuProfile(value: unknown): value is CpuProfile {
  return typeof value === 'object' && value !== null && 'nodes' in value && 'samples' in value && 'timeDeltas' in value;
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Where a frame's code lives: an npm package, Node itself, the gateway's own source, or V8. */
export function areaOf(frame: CallFrame): string {
  if (SPECIAL.has(frame.functionName) && frame.url === '') return frame.functionName;
  const url = frame.url;
  const nodeModules = url.lastIndexOf('/node_modules/');
  if (nodeModules >= 0) {
    const [scope, name] = url.slice(nodeModules + '/node_modules/'.length).split('/');
    return scope?.startsWith('@') ? `${scope}/${name ?? ''}` : (scope ?? url);
  }
  if (url.startsWith('node:')) return 'node (built-in)';
  if (url.includes('/src/')) return 'gateway src/';
  if (url.includes('/bench/')) return 'bench/';
  if (url === '') return 'V8 / native';
  return url;
}

function shortLocation(frame: CallFrame): string {
  if (frame.url === '') return '';
  const url = frame.url.replace(/^file:\/\//, '');
  const nodeModules = url.lastIndexOf('/node_modules/');
  const short = nodeModules >= 0 ? url.slice(nodeModules + '/node_modules/'.length) : url.replace(/^.*\/(src|bench)\//, '$1/');
  return `${short}:${frame.lineNumber + 1}`;
}

export interface ProfileSummary {
  totalMs: number;
  busyMs: number;
  functions: Array<{ name: string; location: string; area: string; selfMs: number }>;
  areas: Array<{ area: string; selfMs: number }>;
}

/** A bundle's source map and the module each line came from (esbuild heads each module with a `// path` comment). */
interface Bundle {
  map: SourceMap | undefined;
  /** Line (0-based) where each module starts, ascending, with its path relative to the build's working directory. */
  modules: Array<{ line: number; path: string }>;
}

const MODULE_COMMENT = /^\/\/ ((?:node_modules|src|bench|test)\/\S+)$/;

function loadBundle(url: string): Bundle | undefined {
  const file = fileURLToPath(url);
  if (!existsSync(`${file}.map`)) return undefined;
  const modules: Bundle['modules'] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, line) => {
      const path = MODULE_COMMENT.exec(text)?.[1];
      if (path) modules.push({ line, path });
    });
  return { map: new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]), modules };
}

/**
 * The servers run bundled (scripts/build.ts), so a frame's file is the
 * bundle. Its source map gives the original file and line where that file
 * is on disk (our sources); a package whose own maps point at sources it
 * does not ship (drizzle-orm) is named by the module the line falls in,
 * with the line counted from the module's start in the bundle (near, not
 * exact: esbuild reprints the code).
 */
function originalFrame(frame: CallFrame, bundles: Map<string, Bundle | undefined>): CallFrame {
  if (!frame.url.startsWith('file://')) return frame;
  if (!bundles.has(frame.url)) bundles.set(frame.url, loadBundle(frame.url));
  const bundle = bundles.get(frame.url);
  if (!bundle) return frame;
  const entry = bundle.map?.findEntry(frame.lineNumber, frame.columnNumber);
  if (entry && 'originalSource' in entry) {
    const original = new URL(entry.originalSource, frame.url);
    if (existsSync(fileURLToPath(original))) return { ...frame, url: original.href, lineNumber: entry.originalLine };
  }
  let module: Bundle['modules'][number] | undefined;
  for (const candidate of bundle.modules) {
    if (candidate.line > frame.lineNumber) break;
    module = candidate;
  }
  if (!module) return frame;
  return { ...frame, url: pathToFileURL(module.path).href, lineNumber: frame.lineNumber - module.line - 1 };
}

export function summarise(profile: CpuProfile): ProfileSummary {
  const bundles = new Map<string, Bundle | undefined>();
  const byId = new Map(profile.nodes.map((node) => [node.id, { ...node, callFrame: originalFrame(node.callFrame, bundles) }]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));

  const functions = new Map<string, { name: string; location: string; area: string; selfMs: number }>();
  const areas = new Map<string, number>();
  let idleUs = 0;
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    totalUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const name = frame.functionName || '(anonymous)';
    const location = shortLocation(frame);
    const key = `${name}@${location}`;
    const entry = functions.get(key) ?? { name, location, area: areaOf(frame), selfMs: 0 };
    entry.selfMs += us / 1000;
    functions.set(key, entry);
    areas.set(entry.area, (areas.get(entry.area) ?? 0) + us / 1000);
  }
  return {
    totalMs: totalUs / 1000,
    busyMs: (totalUs - idleUs) / 1000,
    functions: [...functions.values()].sort((a, b) => b.selfMs - a.selfMs),
    areas: [...areas.entries()].map(([area, selfMs]) => ({ area, selfMs })).sort((a, b) => b.selfMs - a.selfMs),
  };
}

export function summaryMarkdown(summary: ProfileSummary, top = 25): string {
  const pct = (ms: number) => `${((100 * ms) / Math.max(1, summary.busyMs)).toFixed(1)}%`;
  const lines = [
    `Sampled ${(summary.totalMs / 1000).toFixed(1)} s, busy ${(summary.busyMs / 1000).toFixed(1)} s (idle excluded from the percentages).`,
    '',
    '**Self time by area**',
    '',
    '| area | self ms | share of busy |',
    '|---|---:|---:|',
    ...summary.areas.slice(0, 15).map((a) => `| ${a.area} | ${a.selfMs.toFixed(0)} | ${pct(a.selfMs)} |`),
    '',
    `**Top ${top} functions by self time**`,
    '',
    '| function | where | self ms | share of busy |',
    '|---|---|---:|---:|',
    ...summary.functions.slice(0, top).map((f) => `| \`${f.name}\` | ${f.location || f.area} | ${f.selfMs.toFixed(0)} | ${pct(f.selfMs)} |`),
  ];
  return `${lines.join('\n')}\n`;
}

export async function summariseFile(path: string, top = 25): Promise<string> {
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (!isCpuProfile(parsed)) throw new Error(`${path} is not a .cpuprofile`);
  return summaryMarkdown(summarise(parsed), top);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [path, top] = process.argv.slice(2);
  if (!path) {
    console.error('usage: tsx bench/profile-summary.ts file.cpuprofile [top]');
    process.exit(2);
  }
  process.stdout.write(await summariseFile(path, top ? Number(top) : 25));
}
