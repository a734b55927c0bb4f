import { Hono } from 'hono';
import type { ClusterService } from '../../main/service.ts';
import { ok } from '../envelope.ts';

export function deviceRoutes(service: ClusterService): Hono {
  return new Hono()
    .get('/', (c) => ok(c, service.devicePage(c.req.query())))
    .get('/summary', (c) => ok(c, service.deviceSummary()))
    .get('/:id', async (c) => ok(c, await service.deviceDetail(c.req.param('id'))))
    .get('/:id/status', (c) => ok(c, service.deviceStatus(c.req.param('id'))))
    .post('/:id/drain', async (c) => ok(c, { device: await service.setDraining(c.req.param('id'), true) }))
    .post('/:id/undrain', async (c) => ok(c, { device: await service.setDraining(c.req.param('id'), false) }))
    .delete('/:id', async (c) => {
      const deviceId = c.req.param('id');
      const requeued = await service.removeDevice(deviceId);
      return ok(c, { device_id: deviceId, removed: true, requeued_tasks: requeued });
    });
}
