/** The join script and page. The host and port come from the URL the person used to reach us. */
export interface JoinTarget {
  httpUrl: string;
  mainHost: string;
  mainPort: number;
}

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export function joinCommands(t: JoinTarget): { shell: string; termux: string; node: string } {
  const shell = `curl -fsSL ${t.httpUrl}/join.sh | sh -s -- --token <JOIN_TOKEN>`;
  return {
    shell,
    termux: `pkg install -y nodejs && ${shell} --role mobile`,
    node: `curl -fsSLO ${t.httpUrl}/worker.cjs && node worker.cjs --join ${t.mainHost}:${t.mainPort} --token <JOIN_TOKEN>`,
  };
}

export function joinScript(t: JoinTarget): string {
  return `#!/bin/sh
# Joins this device to the Retire-Cluster main node at ${t.httpUrl}.
#   curl -fsSL ${t.httpUrl}/join.sh | sh -s -- --token <JOIN_TOKEN> [worker options]
# Needs Node.js >= 18 (Termux: pkg install nodejs; Debian/Raspberry Pi OS: apt install nodejs).
set -eu
main_http=${shellQuote(t.httpUrl)}
main_host=${shellQuote(t.mainHost)}
main_port=${shellQuote(String(t.mainPort))}
dir="\${RC_WORKER_DIR:-$HOME/.retire-cluster-worker}"
node_bin="\${RC_NODE:-node}"

if ! command -v "$node_bin" >/dev/null 2>&1; then
  echo "error: Node.js >= 18 is needed. Termux: pkg install nodejs; Debian/Raspberry Pi OS: sudo apt install nodejs; macOS: brew install node" >&2
  exit 1
fi
major=$("$node_bin" -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 18 ]; then
  echo "error: Node.js >= 18 is needed, this is $("$node_bin" --version)" >&2
  exit 1
fi

mkdir -p "$dir"
if command -v curl >/dev/null 2>&1; then
  curl -fsSL "$main_http/worker.cjs" -o "$dir/worker.cjs.part"
elif command -v wget >/dev/null 2>&1; then
  wget -q -O "$dir/worker.cjs.part" "$main_http/worker.cjs"
else
  echo "error: curl or wget is needed to download the worker" >&2
  exit 1
fi
mv "$dir/worker.cjs.part" "$dir/worker.cjs"
echo "worker installed in $dir/worker.cjs; joining $main_host:$main_port" >&2
exec "$node_bin" "$dir/worker.cjs" --join "$main_host:$main_port" --state-dir "$dir" "$@"
`;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escape = (s: string) => s.replace(/[&<>"]/g, (ch) => ENTITIES[ch]!);

export function joinPage(t: JoinTarget): string {
  const c = joinCommands(t);
  const block = (title: string, text: string) => `<h2>${title}</h2><pre><code>${escape(text)}</code></pre>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Join Retire-Cluster</title>
<style>body{font:16px/1.5 ui-monospace,monospace;background:#0d1117;color:#e6edf3;max-width:60rem;margin:2rem auto;padding:0 1rem}
pre{background:#161b22;padding:1rem;overflow-x:auto;border:1px solid #30363d;border-radius:6px}h1,h2{color:#7ee787}a{color:#79c0ff}</style>
</head><body>
<h1>Join a device to Retire-Cluster</h1>
<p>Replace <code>&lt;JOIN_TOKEN&gt;</code> with the join token printed by the main node at start
(also in <code>join.token</code> in its data directory). Node.js 18 or newer is all a device needs.</p>
${block('Linux, macOS, Raspberry Pi', c.shell)}
${block('Android (Termux)', c.termux)}
${block('By hand', c.node)}
<p>Add <code>--role</code>, <code>--tags a,b</code>, <code>--max-tasks N</code> or <code>--install-service</code> after the token.</p>
</body></html>`;
}
