/**
 * Sends Wake-on-LAN magic packets: 6 bytes of 0xFF, then the MAC 16 times, as a UDP broadcast
 * (port 9 by default). The core decides whom to wake; this only sends.
 */
import { createSocket } from 'node:dgram';

export function magicPacket(mac: string): Buffer {
  const bytes = Buffer.from(mac.replace(/[:-]/g, ''), 'hex');
  if (bytes.length !== 6) throw new Error(`not a MAC address: ${mac}`);
  return Buffer.concat([Buffer.alloc(6, 0xff), ...Array.from({ length: 16 }, () => bytes)]);
}

export function parseWakeAddress(address: string): { host: string; port: number } {
  const [host, port] = address.includes(':') ? address.split(':') : [address, '9'];
  return { host: host || '255.255.255.255', port: Number(port) || 9 };
}

export function sendMagicPacket(mac: string, target: { host: string; port: number }): Promise<void> {
  const socket = createSocket('udp4');
  return new Promise((resolve, reject) => {
    socket.once('error', (error) => {
      socket.close();
      reject(error);
    });
    socket.bind(() => {
      socket.setBroadcast(true);
      socket.send(magicPacket(mac), target.port, target.host, (error) => {
        socket.close();
        if (error) reject(error);
        else resolve();
      });
    });
  });
}
