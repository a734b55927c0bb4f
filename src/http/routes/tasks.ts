import { Hono } from 'hono';
import { waitQuerySchema } from '../../main/schemas.ts';
import type { ClusterService } from '../../main/service.ts';
import { validate } from '../../main/validate.ts';
import { ok } from '../envelope.ts';
import { readJsonBody } from '../readJsonBody.ts';

export function taskRoutes(service: ClusterService): Hono {
  return (
    new Hono()
      .post('/', async (c) => {
        const body = await readJsonBody(c);
        if (Array.isArray(body)) {
          const results = await service.submitTasks(body);
          return ok(c, { tasks: results.map((r) => r.task), count: results.length }, 201);
        }
        const { task, created } = await service.submitTask(body);
        return ok(c, { task_id: task.task_id, task, created }, created ? 201 : 200);
      })
      .get('/', async (c) => ok(c, await service.listTasks(c.req.query())))
      // Fixed paths before `/:id`, which would otherwise take them for task ids.
      .get('/statistics', async (c) => ok(c, await service.taskStatistics()))
      .get('/types', (c) => {
        const types = service.taskTypes();
        return ok(c, { task_types: types, count: types.length });
      })
      .get('/:id', async (c) => ok(c, { task: await service.getTask(c.req.param('id')) }))
      .get('/:id/status', async (c) => ok(c, await service.taskStatus(c.req.param('id'))))
      .get('/:id/result', async (c) => ok(c, await service.taskResult(c.req.param('id'))))
      .get('/:id/events', async (c) => {
        const events = await service.taskEvents(c.req.param('id'));
        return ok(c, { task_id: c.req.param('id'), events, count: events.length });
      })
      .get('/:id/wait', async (c) => {
        const { timeout } = validate(waitQuerySchema, c.req.query());
        const task = await service.waitForTask(c.req.param('id'), timeout * 1000, c.req.raw.signal);
        return ok(c, { task, is_terminal: service.isTerminalTask(task) });
      })
      .post('/:id/cancel', async (c) => ok(c, { task: await service.cancelTask(c.req.param('id')) }))
      .post('/:id/retry', async (c) => ok(c, { task: await service.retryTask(c.req.param('id')) }))
  );
}
