import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that nothing listens on at the moment of asking: a connect to it is refused, and a
 * peer may bind it (retrying if another process took it in between).
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
