/**
 * The MCP server (issue 5): the cluster as a tool for AI agents. Built once here and served over
 * stdio (`retire-cluster mcp`, see stdio.ts) or Streamable HTTP at `/mcp` (see httpRoutes.ts); both
 * reach the cluster through its REST API via a ClusterClient.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { VERSION } from '../main/version.ts';
import { ClusterApi, type ClusterClient } from './clusterClient.ts';
import { registerPrompts } from './prompts.ts';
import { registerResources } from './resources.ts';
import { registerDeviceTools } from './tools/deviceTools.ts';
import { registerRunCommand } from './tools/runCommand.ts';
import { registerTaskTools } from './tools/taskTools.ts';

const INSTRUCTIONS = `Retire-Cluster runs tasks on a person's own devices (old phones, laptops, Raspberry Pis, a NAS).
Look before you place work: cluster_status and list_devices show which devices are online and what
they offer. run_command is the quickest way to run a shell command somewhere; submit_task handles
every task type. Tasks pick devices by requirements; wait for results with wait_seconds or
wait_for_task. Errors start with the cluster's error code (e.g. VALIDATION_ERROR, TASK_NOT_FOUND).`;

export function createMcpServer(client: ClusterClient): McpServer {
  const server = new McpServer({ name: 'retire-cluster', version: VERSION }, { instructions: INSTRUCTIONS });
  const api = new ClusterApi(client);
  registerDeviceTools(server, api);
  registerTaskTools(server, api);
  registerRunCommand(server, api);
  registerResources(server, api);
  registerPrompts(server);
  return server;
}
