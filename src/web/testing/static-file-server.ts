import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  png: 'image/png',
  ico: 'image/x-icon',
  xml: 'application/atom+xml; charset=utf-8',
};

/**
 * A plain static file server on 127.0.0.1, as GitHub Pages or any host
 * would serve a built site: no rewriting, a directory gets its index.html,
 * no special headers. For the static site's browser test.
 */
export class StaticFileServer {
  private server: Server | undefined;
  url = '';

  constructor(private readonly root: string) {}

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      void (async () => {
        let path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
        if (path.endsWith('/')) path += 'index.html';
        const file = normalize(join(this.root, path));
        if (!file.startsWith(this.root + sep)) return void res.writeHead(404).end();
        try {
          const body = await readFile(file);
          res.writeHead(200, { 'content-type': TYPES[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream' }).end(body);
        } catch {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        }
      })();
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
