import { Hono } from 'hono';
import type { ClusterService } from '../../main/service.ts';
import { ok } from '../envelope.ts';

export function deviceRoutes(service: ClusterService): Hono {
  return new Hono()
    .get('/', (c) => {
      const tags = c.req.query('tags');
      const devices = service.listDevices({
        status: c.req.query('status'),
        role: c.req.query('role'),
        platform: c.req.query('platform'),
        tags: tags ? tags.split(',').filter(Boolean) : undefined,
      });
      return ok(c, { devices, count: devices.length });
    })
    .get('/:id', (c) => ok(c, { device: service.getDevice(c.req.param('id')) }));
}
