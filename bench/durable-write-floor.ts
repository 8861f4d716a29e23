import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { timeOnce } from './measure.js';

export interface FloorResult {
  files: number;
  seconds: number;
  filesPerSec: number;
  /** CPU milliseconds (user + system) this process spent per file: what a durable write costs the machine, beside its latency. */
  cpuMsPerFile: number;
}

/**
 * What the disk allows for durable article writes, with no archiver around
 * it: for each 4 KB file, write a temp file, fsync it, rename it into a
 * published folder; 16 files in flight (the definition). A run that
 * makes every article durable before it reports success cannot beat this.
 * Written by hand, not with the project's writer, so the floor stays put
 * when the project's writer changes.
 *
 * The files stay (in a folder under `parent`, which the caller removes at
 * the end): on a journal-less ext4, like this machine's, the kernel skips
 * inodes freed in the last 60-300 s when it allocates one, scanning them
 * one by one under the folder's lock, so deleting 4,000 files just before
 * the run would slow the run's own file creation.
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
  const { seconds, userSeconds, systemSeconds } = await timeOnce(() => Promise.all(Array.from({ length: 16 }, worker)));
  return { files, seconds, filesPerSec: files / seconds, cpuMsPerFile: ((userSeconds + systemSeconds) * 1000) / files };
}
