import { networkInterfaces } from 'node:os';

/** The MAC of the first real network interface, for Wake-on-LAN; null when none is known. */
export function detectMac(): string | null {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (!a.internal && a.mac && a.mac !== '00:00:00:00:00:00') return a.mac;
    }
  }
  return null;
}
