import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHttp } from './open-http.js';

describe('openHttp', () => {
  let server: Server;
  let url: string;
  const agents: (string | undefined)[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      agents.push(req.headers['user-agent']);
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("sends the config's User-Agent and keeps its SSRF setting", async () => {
    const configured = openHttp({ userAgent: 'mirror-bot/2 (+https://example.org/bot)', allowPrivateNetworks: true });
    try {
      // Not a trusted URL (an article's image, say): a private address is fetched only as the config allows.
      expect((await configured.fetch(url)).kind).toBe('fetched');
    } finally {
      await configured.close();
    }
    expect(agents).toEqual(['mirror-bot/2 (+https://example.org/bot)']);
    const defaults = openHttp({});
    try {
      await expect(defaults.fetch(url)).rejects.toMatchObject({ code: 'blocked' });
      expect((await defaults.fetch(url, { trusted: true })).kind).toBe('fetched');
    } finally {
      await defaults.close();
    }
    expect(agents[1]).toMatch(/^newsmirror\//);
  });
});
