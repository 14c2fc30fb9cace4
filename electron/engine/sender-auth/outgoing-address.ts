/**
 * This machine's outgoing address towards a target: the local end of a UDP "connect" (which sends nothing;
 * the kernel only picks the route and the source address). That is the address a receiver's SPF check sees,
 * unless NAT or a relay stands between.
 */
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import type { Result } from '../../../shared/result';
import { fail, ok } from '../../../shared/result';

export function outgoingAddressTo(targetIp: string, timeoutMs = 2000): Promise<Result<string>> {
  const family = isIP(targetIp);
  if (family === 0) return Promise.resolve(fail('invalid_input', `The target ${targetIp} is not an IP address.`, { field: 'target' }));
  return new Promise((resolve) => {
    const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
    let settled = false;
    const done = (r: Result<string>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      resolve(r);
    };
    const timer = setTimeout(() => done(fail('route_failed', `Finding the outgoing address towards ${targetIp} took over ${timeoutMs} ms.`, { stage: 'route' })), timeoutMs);
    socket.once('error', (e) => done(fail('route_failed', `No route to ${targetIp}: ${e.message}.`, { stage: 'route' })));
    // Port 25: the route chosen is the one SMTP would use. connect() on UDP sends no packet.
    socket.connect(25, targetIp, () => {
      try {
        done(ok(socket.address().address));
      } catch (e) {
        done(fail('route_failed', `No route to ${targetIp}: ${(e as Error).message}.`, { stage: 'route' }));
      }
    });
  });
}
