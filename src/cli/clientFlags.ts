import type { Command } from 'commander';
import type { ClientOptions } from './client.ts';

export interface ClientFlags {
  url?: string;
  token?: string;
  dataDir?: string;
}

export function addClientOptions(command: Command): Command {
  return command
    .option('--url <url>', 'HTTP API of the main node (env RC_URL; default http://127.0.0.1:8081)')
    .option('--token <token>', 'API token (env RC_API_TOKEN; default: read from the data dir)')
    .option('--data-dir <dir>', 'main node data dir to read the API token from (env RC_DATA_DIR)');
}

export function clientOptions(flags: ClientFlags): ClientOptions {
  const options: ClientOptions = {};
  if (flags.url) options.url = flags.url;
  if (flags.token) options.token = flags.token;
  if (flags.dataDir) options.dataDir = flags.dataDir;
  return options;
}
