// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by
// function and by package, as a markdown table. Usable on its own:
//   npx tsx bench/profile-summary.ts path/to/file.cpuprofile [top]
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
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

export function summarise(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
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
