import type { Command } from 'commander';
import { serveStdio } from '../../mcp/stdio.ts';
import { ApiClient } from '../client.ts';
import { addClientOptions, type ClientFlags, clientOptions } from '../clientFlags.ts';

const HELP = `
Speaks the Model Context Protocol on stdin/stdout, for desktop AI agents that start their tools as
processes; it talks to the main node's HTTP API like the other client commands. A main node also
serves MCP itself over Streamable HTTP at /mcp (API token as bearer).

Add it to an MCP client, e.g.:
  {"mcpServers": {"retire-cluster": {"command": "retire-cluster",
     "args": ["mcp", "--url", "http://192.168.1.10:8081", "--token", "<api token>"]}}}`;

export function registerMcp(program: Command): void {
  addClientOptions(
    program
      .command('mcp')
      .description('serve the cluster to AI agents over MCP on stdio')
      .addHelpText('after', HELP),
  ).action(async (flags: ClientFlags) => {
    await serveStdio(new ApiClient(clientOptions(flags)));
  });
}
