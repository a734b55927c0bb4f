import { Hono } from 'hono';
import type { ClusterService } from '../../main/service.ts';
import { ok } from '../envelope.ts';
import { readJsonBody } from '../readJsonBody.ts';

export function taskRoutes(service: ClusterService): Hono {
  return new Hono()
    .post('/', async (c) => {
      const body = await readJsonBody(c);
      if (Array.isArray(body)) {
        const results = await service.submitTasks(body);
        return ok(c, { tasks: results.map((r) => r.task), count: results.length }, 201);
      }
      const { task, created } = await service.submitTask(body);
      return ok(c, { task_id: task.task_id, task, created }, created ? 201 : 200);
    })
    .get('/:id', async (c) => ok(c, { task: await service.getTask(c.req.param('id')) }))
    .get('/:id/wait', async (c) => {
      const seconds = Math.min(Math.max(Number(c.req.query('timeout') ?? 30) || 0, 0), 300);
      const task = await service.waitForTask(c.req.param('id'), seconds * 1000, c.req.raw.signal);
      return ok(c, { task, is_terminal: service.isTerminalTask(task) });
    })
    .post('/:id/cancel', async (c) => ok(c, { task: await service.cancelTask(c.req.param('id')) }))
    .post('/:id/retry', async (c) => ok(c, { task: await service.retryTask(c.req.param('id')) }));
}
