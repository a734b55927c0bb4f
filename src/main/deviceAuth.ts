/**
 * Who may register as a device id: its owner (the holder of its device secret), or, for a new id,
 * anyone with the join token, who then receives the id's own secret. An id owned by another secret is
 * never handed over (no hijacking); a worker that lost its secret must be removed by an admin first.
 */
import type { Cluster } from '../core/cluster.ts';
import { ClusterError, ErrorCode } from '../protocol/errorCodes.ts';
import { parseJoinToken } from '../protocol/joinToken.ts';
import { hashSecret, newSecret, secretsEqual } from './secrets.ts';

/** Devices registered by legacy one-shot clients carry no secret; a real worker may claim them. */
export const LEGACY_SECRET_HASH = 'legacy';

export interface DeviceCredentials {
  secretHash: string;
  /** Set only when the device joined just now: sent to it once, never stored in clear. */
  issuedSecret: string | null;
}

export function authenticateDevice(
  cluster: Cluster,
  deviceId: string,
  auth: { join_token?: string | undefined; device_secret?: string | undefined },
  joinSecret: string,
): DeviceCredentials {
  if (cluster.isRevoked(deviceId)) {
    throw new ClusterError(
      ErrorCode.Unauthorized,
      `device ${deviceId} was removed from the cluster by an administrator; it cannot join again under this id`,
    );
  }
  const existing = cluster.devices.get(deviceId);
  if (auth.device_secret !== undefined) {
    if (existing && existing.secret_hash !== LEGACY_SECRET_HASH) {
      if (secretsEqual(hashSecret(auth.device_secret), existing.secret_hash)) {
        return { secretHash: existing.secret_hash, issuedSecret: null };
      }
      throw new ClusterError(ErrorCode.Unauthorized, `wrong device secret for ${deviceId}`);
    }
    // Not known (e.g. removed by an admin): it may join again, but only with the join token.
    if (auth.join_token === undefined) {
      throw new ClusterError(
        ErrorCode.Unauthorized,
        `device ${deviceId} is not registered here; join with the join token`,
      );
    }
  }
  const given = auth.join_token === undefined ? undefined : parseJoinToken(auth.join_token).secret;
  if (!secretsEqual(given, joinSecret)) {
    throw new ClusterError(ErrorCode.Unauthorized, 'wrong or missing join token');
  }
  if (existing && existing.secret_hash !== LEGACY_SECRET_HASH) {
    throw new ClusterError(
      ErrorCode.DeviceIdTaken,
      `device id ${deviceId} already belongs to another device; choose another id, or remove the old device first`,
    );
  }
  const secret = newSecret();
  return { secretHash: hashSecret(secret), issuedSecret: secret };
}
