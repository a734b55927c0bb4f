/**
 * What starts a Retire-Cluster program at boot on each platform: a systemd unit (Linux), a launchd
 * plist (macOS), a Termux:Boot script (Android). Pure text; installService.ts writes and enables them.
 */
export interface ServiceSpec {
  /** `retire-cluster-worker` or `retire-cluster-main`. */
  name: string;
  description: string;
  /** The full command, absolute paths. */
  command: string[];
  /** A file of KEY=value lines (mode 0600) holding secrets, so they stay out of world-readable units. */
  envFile: string | null;
  workingDirectory: string;
  logFile: string;
}

/** Quoting for systemd's ExecStart (double quotes, backslash escapes). */
function systemdQuote(arg: string): string {
  return /^[A-Za-z0-9_./:@=,+-]+$/.test(arg)
    ? arg
    : `"${arg.replace(/(["\\])/g, '\\$1').replace(/%/g, '%%')}"`;
}

export function systemdUnit(spec: ServiceSpec, user: boolean): string {
  return [
    '[Unit]',
    `Description=${spec.description}`,
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${spec.command.map(systemdQuote).join(' ')}`,
    `WorkingDirectory=${spec.workingDirectory}`,
    ...(spec.envFile ? [`EnvironmentFile=-${spec.envFile}`] : []),
    'Restart=always',
    'RestartSec=5',
    // SIGTERM first: the worker gives its tasks back so the main node can retry them elsewhere.
    'KillSignal=SIGTERM',
    'TimeoutStopSec=20',
    'NoNewPrivileges=yes',
    '',
    '[Install]',
    `WantedBy=${user ? 'default.target' : 'multi-user.target'}`,
    '',
  ].join('\n');
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function launchdPlist(spec: ServiceSpec, label: string): string {
  // launchd has no EnvironmentFile: a tiny sh wrapper reads it, so secrets stay out of the plist.
  const program = spec.envFile
    ? ['/bin/sh', '-c', `set -a; . '${spec.envFile}'; set +a; exec "$0" "$@"`, ...spec.command]
    : spec.command;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    `  <key>Label</key><string>${xml(label)}</string>`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...program.map((arg) => `    <string>${xml(arg)}</string>`),
    '  </array>',
    `  <key>WorkingDirectory</key><string>${xml(spec.workingDirectory)}</string>`,
    '  <key>RunAtLoad</key><true/>',
    '  <key>KeepAlive</key><true/>',
    `  <key>StandardOutPath</key><string>${xml(spec.logFile)}</string>`,
    `  <key>StandardErrorPath</key><string>${xml(spec.logFile)}</string>`,
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

const shQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function termuxBootScript(spec: ServiceSpec): string {
  return [
    '#!/data/data/com.termux/files/usr/bin/sh',
    `# ${spec.description}: started by Termux:Boot when the phone boots.`,
    '# Keep the CPU awake while tasks run (Android otherwise suspends Termux).',
    'termux-wake-lock',
    ...(spec.envFile
      ? ['set -a', `[ -f ${shQuote(spec.envFile)} ] && . ${shQuote(spec.envFile)}`, 'set +a']
      : []),
    `cd ${shQuote(spec.workingDirectory)}`,
    // Restarted if it ever exits, like systemd's Restart=always.
    `while :; do ${spec.command.map(shQuote).join(' ')} >> ${shQuote(spec.logFile)} 2>&1; sleep 5; done`,
    '',
  ].join('\n');
}
