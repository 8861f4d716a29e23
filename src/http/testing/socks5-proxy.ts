import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy was asked to reach: ATYP 1/4 is an IP the client resolved, 3 a name. */
export interface SocksRequest {
  addressType: 'ipv4' | 'domain' | 'ipv6';
  host: string;
  port: number;
}

/** A minimal in-process SOCKS5 server (RFC 1928, CONNECT only; RFC 1929 auth optional), for tests. */
export interface Socks5Proxy {
  port: number;
  url(scheme?: 'socks5' | 'socks5h', credentials?: string): string;
  requests: SocksRequest[];
  close(): Promise<void>;
}

/** Reads exact byte counts from a socket whose data arrives in arbitrary pieces. */
class ByteReader {
  #buffer = Buffer.alloc(0);
  #waiter: (() => void) | undefined;
  constructor(socket: Socket) {
    socket.on('data', (data: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, data]);
      this.#waiter?.();
    });
  }
  async read(n: number): Promise<Buffer> {
    while (this.#buffer.length < n) await new Promise<void>((resolve) => (this.#waiter = resolve));
    const out = this.#buffer.subarray(0, n);
    this.#buffer = this.#buffer.subarray(n);
    return out;
  }
  rest(): Buffer {
    return this.#buffer;
  }
}

async function authenticate(client: Socket, reader: ByteReader, credentials: string | undefined): Promise<boolean> {
  const [, count = 0] = await reader.read(2);
  const methods = [...(await reader.read(count))];
  const wanted = credentials === undefined ? 0x00 : 0x02;
  if (!methods.includes(wanted)) {
    client.end(Buffer.from([0x05, 0xff]));
    return false;
  }
  client.write(Buffer.from([0x05, wanted]));
  if (credentials === undefined) return true;
  const [, userLength = 0] = await reader.read(2);
  const user = (await reader.read(userLength)).toString();
  const [passLength = 0] = await reader.read(1);
  const pass = (await reader.read(passLength)).toString();
  const ok = `${user}:${pass}` === credentials;
  client.write(Buffer.from([0x01, ok ? 0x00 : 0x01]));
  if (!ok) client.end();
  return ok;
}

async function readRequest(reader: ByteReader): Promise<SocksRequest> {
  const [, , , atyp] = await reader.read(4);
  let addressType: SocksRequest['addressType'];
  let host: string;
  if (atyp === 0x01) {
    addressType = 'ipv4';
    host = [...(await reader.read(4))].join('.');
  } else if (atyp === 0x04) {
    addressType = 'ipv6';
    const raw = await reader.read(16);
    host = Array.from({ length: 8 }, (_, i) => raw.readUInt16BE(i * 2).toString(16)).join(':');
  } else {
    addressType = 'domain';
    const [length = 0] = await reader.read(1);
    host = (await reader.read(length)).toString();
  }
  const port = (await reader.read(2)).readUInt16BE(0);
  return { addressType, host, port };
}

/** `credentials` as `user:pass` makes the proxy demand RFC 1929 authentication. */
export async function startSocks5Proxy(credentials?: string): Promise<Socks5Proxy> {
  const requests: SocksRequest[] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer((client) => {
    track(client);
    const reader = new ByteReader(client);
    void (async () => {
      if (!(await authenticate(client, reader, credentials))) return;
      const request = await readRequest(reader);
      requests.push(request);
      // Names resolve here, as a real socks5h proxy would; 'localhost' covers the test server.
      const upstream = connect(request.port, request.host, () => {
        client.write(Buffer.from([0x05, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]));
        client.removeAllListeners('data');
        upstream.write(reader.rest());
        upstream.pipe(client);
        client.pipe(upstream);
      });
      track(upstream);
      upstream.on('error', () => {
        client.end(Buffer.from([0x05, 0x05, 0x00, 0x01, 0, 0, 0, 0, 0, 0])); // connection refused
      });
      client.on('close', () => upstream.destroy());
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (scheme = 'socks5h', auth) => `${scheme}://${auth !== undefined ? `${auth}@` : ''}127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
