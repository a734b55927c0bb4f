/**
 * The original Retire-Cluster's one-shot messages (one JSON object per connection, no newline, one
 * reply, close), accepted only with --legacy-protocol because they carry no credentials. Legacy
 * devices are listed and watched but never given tasks: a one-shot client cannot receive them.
 */
import { createAck, createError, type Envelope } from '../protocol/envelope.ts';
import { ClusterError, ErrorCode } from '../protocol/errorCodes.ts';
import { validateEnvelope } from '../protocol/parse.ts';
import { LEGACY_SECRET_HASH } from './deviceAuth.ts';
import { deviceMetricsSchema, registerDataSchema } from './schemas.ts';
import type { ClusterService } from './service.ts';

export interface LegacyContext {
  serverId: string;
  enabled: boolean;
  service: ClusterService;
  heartbeatInterval: number;
}

export async function handleLegacy(text: string, ctx: LegacyContext): Promise<Envelope> {
  const parsed = validateEnvelope(safeJson(text));
  if (!parsed.ok) return createError(ctx.serverId, parsed.original, ErrorCode.BadMessage, parsed.error);
  const message = parsed.message;
  if (!ctx.enabled) {
    return createError(
      ctx.serverId,
      message,
      ErrorCode.UnsupportedProtocol,
      'legacy one-shot messages are disabled on this main node (start it with --legacy-protocol), or send newline-terminated messages',
    );
  }
  try {
    const result = await legacyResult(
      message.message_type,
      message.sender_id,
      message.data as Record<string, unknown>,
      ctx,
    );
    return createAck(ctx.serverId, message, result);
  } catch (error) {
    if (!(error instanceof ClusterError)) throw error;
    return createError(ctx.serverId, message, error.code, error.message);
  }
}

async function legacyResult(
  type: string,
  senderId: string,
  data: Record<string, unknown>,
  ctx: LegacyContext,
): Promise<unknown> {
  const { cluster, clock, journal } = ctx.service;
  switch (type) {
    case 'register': {
      const deviceId = typeof data.device_id === 'string' ? data.device_id : senderId;
      const existing = cluster.devices.get(deviceId);
      if (existing && existing.secret_hash !== LEGACY_SECRET_HASH) {
        throw new ClusterError(
          ErrorCode.DeviceIdTaken,
          `device id ${deviceId} belongs to an authenticated worker`,
        );
      }
      const profile = legacyProfile(deviceId, data);
      const { auth: _a, protocol_version: _p, running_tasks: _r, metrics, ...rest } = profile;
      cluster.register(rest, LEGACY_SECRET_HASH, [], metrics ?? null, clock.now());
      await journal.commit();
      return {
        success: true,
        device_id: deviceId,
        message: 'Device registered successfully',
        heartbeat_interval: ctx.heartbeatInterval,
      };
    }
    case 'heartbeat': {
      const device = cluster.devices.get(senderId);
      if (!device) return { success: false, message: 'Device not registered' };
      if (device.secret_hash !== LEGACY_SECRET_HASH) {
        throw new ClusterError(
          ErrorCode.Unauthorized,
          `device ${senderId} must send heartbeats on its own connection`,
        );
      }
      cluster.heartbeat(senderId, deviceMetricsSchema.parse(data.metrics ?? {}), clock.now());
      await journal.commit();
      return { success: true, message: 'Heartbeat recorded' };
    }
    case 'status': {
      const status = ctx.service.clusterStatus();
      const online = ctx.service
        .listDevices()
        .filter((d) => d.status === 'online' || d.status === 'draining');
      return {
        cluster_stats: status.cluster_stats,
        online_devices: online.length,
        device_list: online.map((d) => d.device_id),
        timestamp: new Date(clock.now()).toISOString(),
      };
    }
    case 'list_devices': {
      const status = typeof data.status === 'string' && data.status !== 'all' ? data.status : undefined;
      const role = typeof data.role === 'string' ? data.role : undefined;
      const devices = ctx.service.listDevices({ status, role });
      return { devices, count: devices.length, filters_applied: data };
    }
    case 'device_info': {
      const id = typeof data.device_id === 'string' ? data.device_id : '';
      if (!cluster.devices.has(id)) return { device: null, error: `Device ${id} not found` };
      return { device: ctx.service.getDevice(id), recent_heartbeats: [] };
    }
    default:
      throw new ClusterError(
        ErrorCode.UnsupportedMessage,
        `${type} is not supported as a legacy one-shot message`,
      );
  }
}

/** Takes what a legacy profile says where it fits our shapes; everything else falls back to defaults. */
function legacyProfile(deviceId: string, data: Record<string, unknown>) {
  const base = { device_id: deviceId, task_types: [], max_concurrent_tasks: 1, auth: {} };
  const full = registerDataSchema.safeParse({ ...data, ...base });
  return full.success ? full.data : registerDataSchema.parse(base);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
