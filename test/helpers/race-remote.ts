import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { LocalFeedServer } from '../../src/demo/local-feed-server.js';
import { bareRemote, gitIn } from '../../src/git/testing/git-fixture.js';
import { rss, type TestItem } from './feeds.js';
import { runCli } from './run-cli.js';

/**
 * A bare remote holding an archive of source `t` (测试, fed from `/t.xml` on
 * `server`) that pushes to it, first run over `base`; `clone` makes a clone
 * of it in `dir`, as a second machine running the same archive would.
 * `settings`: more top-level config lines (`allowPrivateNetworks: true\n`).
 */
export async function raceRemote(dir: string, server: LocalFeedServer, base: TestItem[], settings = ''): Promise<{ origin: string; clone: (name: string, ...options: string[]) => Promise<string> }> {
  const origin = await bareRemote(join(dir, 'origin.git'));
  const seed = join(dir, 'seed');
  await gitIn(dir, 'init', '--quiet', 'seed');
  await writeFile(
    join(seed, 'newsmirror.yaml'),
    `archive: archive\n${settings}git: { push: [origin] }\nsources:\n  - { name: 测试, slug: t, url: "${server.url}/t.xml", fullText: never }\n`,
  );
  await gitIn(seed, 'add', 'newsmirror.yaml');
  await gitIn(seed, 'commit', '--quiet', '-m', 'set up');
  await gitIn(seed, 'remote', 'add', 'origin', origin);
  server.routes.set('/t.xml', { body: rss(base) });
  const baseline = await runCli(['run', '--config', join(seed, 'newsmirror.yaml')]);
  expect(baseline.code, baseline.stdout + baseline.stderr).toBe(0);
  const clone = async (name: string, ...options: string[]) => {
    await gitIn(dir, 'clone', '--quiet', ...options, `file://${origin}`, name);
    return join(dir, name);
  };
  return { origin, clone };
}
