/** Prompts that help an agent plan work across the devices instead of treating them as one machine. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    'plan_cluster_work',
    {
      title: 'Plan work across the cluster',
      description: 'Split a goal into tasks and place them on the devices that fit',
      argsSchema: { goal: z.string().describe('what should get done') },
    },
    ({ goal }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: `Goal: ${goal}

Use the Retire-Cluster tools to get this done on my devices:
1. Call cluster_status and list_devices (status "online") to see what is available: platforms,
   CPU cores, memory, tags, free slots and the task types each device accepts.
2. Split the goal into independent tasks. Prefer several small tasks that can run in parallel over
   one big one; keep each under its timeout_seconds.
3. For each task choose requirements that describe what it needs (min_memory_gb, required_platform,
   required_tags, gpu_required ...) rather than naming a device, so the scheduler can balance the
   load; pin device_id only when the data lives on one device. Use priority for what matters first.
4. Submit them with submit_task (or run_command for a shell command), then collect the results
   with wait_for_task. If a task fails, read its error and error_history before retrying it.
5. Summarise what ran where, what succeeded, and anything that needs my attention.`,
          },
        },
      ],
    }),
  );

  server.registerPrompt(
    'run_on_every_device',
    {
      title: 'Run a command on every device',
      description: 'Run one shell command on each online device and compare the outputs',
      argsSchema: { command: z.string().describe('the shell command to run everywhere') },
    },
    ({ command }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: `Run this shell command on every online device of my Retire-Cluster and compare the results:

    ${command}

Call list_devices with status "online"; skip devices that do not accept shell_command. Call
run_command once per device with its device_id (the calls can run in parallel). Then give me a
table of device, exit code and the relevant part of the output, and point out the devices whose
result differs from the rest.`,
          },
        },
      ],
    }),
  );
}
