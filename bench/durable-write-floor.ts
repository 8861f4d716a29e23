import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface FloorResult {
  files: number;
  seconds: number;
  filesPerSec: number;
}

/**
 * What the disk allows for durable article writes, with no archiver around
 * it: for each 4 KB file, write a temp file, fsync it, rename it into a
 * published folder; 16 files in flight (the definition). A run that
 * makes every article durable before it reports success cannot beat this.
 * Written by hand, not with the project's writer, so the floor stays put
 * when the project's writer changes.
 */
export async function measureDurableWriteFloor(parent: string, files: number): Promise<FloorResult> {
  const root = await mkdtemp(join(parent, 'floor-'));
  const tmp = join(root, 'tmp');
  const out = join(root, 'articles');
  await mkdir(tmp);
  await mkdir(out);
  const data = randomBytes(4096);
  let next = 0;
  const writeOne = async (i: number): Promise<void> => {
    const temp = join(tmp, `${i}.tmp`);
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, join(out, `${i}.md`));
  };
  const worker = async (): Promise<void> => {
    while (next < files) await writeOne(next++);
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: 16 }, worker));
  const seconds = (performance.now() - start) / 1000;
  await rm(root, { recursive: true, force: true });
  return { files, seconds, filesPerSec: files / seconds };
}
