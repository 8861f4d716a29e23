import { createServer } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

/** An in-process HTTP proxy that only speaks CONNECT (RFC 9110 §9.3.6), for tests. */
export interface ConnectProxy {
  url: string;
  /** `host:port` of every CONNECT it accepted, in order. */
  tunnels: string[];
  /** The Proxy-Authorization header of each CONNECT (undefined when absent). */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/**
 * When the target refuses, a well-behaved proxy answers 502 (`'502'`); some
 * simply hang up (`'hang-up'`), which undici once turned into a reconnect storm.
 */
export async function startConnectProxy(onRefused: '502' | 'hang-up' = '502'): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => {
    res.writeHead(405);
    res.end('CONNECT only');
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    tunnels.push(target);
    authorizations.push(req.headers['proxy-authorization']);
    const [host = '', port = '80'] = target.split(/:(?=\d+$)/);
    const upstream = connect(Number(port), host.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    upstream.on('error', () => {
      if (onRefused === 'hang-up') client.destroy();
      else client.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n');
    });
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    authorizations,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
