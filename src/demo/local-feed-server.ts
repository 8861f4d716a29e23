import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  status?: number;
  headers?: Record<string, string>;
  body: string | Uint8Array;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A small HTTP server on 127.0.0.1 that serves fixed routes (or handlers):
 * the demo's feeds, and the end-to-end tests' sources. Routes can be changed
 * while it runs; every request is counted per path.
 */
export class LocalFeedServer {
  readonly routes = new Map<string, Route | Handler>();
  readonly hits = new Map<string, number>();
  private server: Server | undefined;
  private base = '';

  get url(): string {
    return this.base;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
    const route = this.routes.get(path);
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    } else if (typeof route === 'function') {
      route(req, res);
    } else {
      res.writeHead(route.status ?? 200, route.headers ?? {}).end(route.body);
    }
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
