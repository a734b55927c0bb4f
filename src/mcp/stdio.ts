/**
 * `retire-cluster mcp` on stdio: stdout carries protocol messages only, so nothing else may write
 * there (diagnostics go to stderr).
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { ClusterClient } from './clusterClient.ts';
import { createMcpServer } from './server.ts';

/** Serves until the client closes stdin (how MCP clients end a stdio server). */
export async function serveStdio(
  client: ClusterClient,
  stdin: NodeJS.ReadableStream = process.stdin,
  stdout: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const server = createMcpServer(client);
  const transport = new StdioServerTransport(stdin as typeof process.stdin, stdout as typeof process.stdout);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = resolve;
  });
  // The SDK's transport does not watch for end of input itself.
  const end = () => void server.close();
  stdin.once('end', end);
  stdin.once('close', end);
  await server.connect(transport);
  await closed;
  stdin.off('end', end);
  stdin.off('close', end);
}
