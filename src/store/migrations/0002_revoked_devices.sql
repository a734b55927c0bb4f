-- Devices an administrator removed: their ids may not join again (revocation), even with the join token.
CREATE TABLE revoked_devices (
  device_id TEXT PRIMARY KEY,
  revoked_at INTEGER NOT NULL
) STRICT;
