/**
 * `node bench/profile.ts FILE.cpuprofile [N]`: the functions that used the most CPU in a profile
 * written by `--cpu-prof` (see BENCH_PROFILE in bench/README.md), by self time and by total time.
 * A text flame graph for a terminal; Chrome DevTools or speedscope show the same file graphically.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile.ts FILE.cpuprofile [N]');
  process.exit(2);
}
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const total = profile.nodes.reduce((sum, n) => sum + n.hitCount, 0);

const name = (n: Node) => {
  const url = n.callFrame.url ? relative(process.cwd(), n.callFrame.url.replace('file://', '')) : '';
  return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
};

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
function walk(node: Node, stack: Set<string>): number {
  let hits = node.hitCount;
  const key = name(node);
  self.set(key, (self.get(key) ?? 0) + node.hitCount);
  const fresh = !stack.has(key);
  if (fresh) stack.add(key);
  for (const child of node.children ?? []) hits += walk(byId.get(child)!, stack);
  if (fresh) {
    stack.delete(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + hits);
  }
  return hits;
}
walk(profile.nodes[0]!, new Set());

const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title} (of ${total} samples)`);
  for (const [key, hits] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((hits / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
  }
};
print('self time', self);
print('total time', inclusive);
