import { mkdir, readFile, rename, rm, stat, writeFile, copyFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** The site builder's record of what it wrote (and from what), so a rebuild can skip and clean up. */
export const SITE_MANIFEST = '.newsmirror-site.json';
const TMP_DIR = '.newsmirror-tmp';

interface Manifest {
  v: 1;
  /** Path from the output root → the key of what it was made from ('' when unknown). */
  files: Record<string, string>;
  /** Anything else a builder wants back next time (the search index's shard counts). */
  notes: Record<string, unknown>;
}

export interface SiteStats {
  /** Files whose bytes changed (or are new). */
  written: number;
  /** Files rendered again to the same bytes. */
  unchanged: number;
  /** Files skipped without rendering: made from the same input as last time. */
  kept: number;
  /** Files of the last build that this build no longer makes. */
  removed: number;
}

/**
 * The output folder of a static build. Every file goes through here: it is
 * written only when its bytes differ from what is there (so a rebuild after
 * a few new articles rewrites only what changed, and a git or rsync deploy
 * sees only those), atomically (renamed from a temporary file), and recorded
 * in a manifest; files the last build made and this one did not are removed.
 * Files the builder did not make (a CNAME, a .nojekyll) are left alone.
 */
export class SiteOutput {
  private readonly next: Manifest = { v: 1, files: {}, notes: {} };
  readonly stats: SiteStats = { written: 0, unchanged: 0, kept: 0, removed: 0 };
  /** The paths written and removed by this build, in order. */
  readonly changed: string[] = [];
  private tmpCount = 0;

  private constructor(
    readonly root: string,
    private readonly previous: Manifest,
  ) {}

  static async open(root: string): Promise<SiteOutput> {
    await mkdir(join(root, TMP_DIR), { recursive: true });
    let previous: Manifest = { v: 1, files: {}, notes: {} };
    try {
      const parsed = JSON.parse(await readFile(join(root, SITE_MANIFEST), 'utf8')) as Partial<Manifest>;
      if (parsed.v === 1 && parsed.files && typeof parsed.files === 'object') previous = { v: 1, files: parsed.files, notes: parsed.notes ?? {} };
    } catch {
      // No manifest (a first build) or a broken one: everything is made again.
    }
    return new SiteOutput(root, previous);
  }

  note(name: string): unknown {
    return this.previous.notes[name];
  }

  setNote(name: string, value: unknown): void {
    this.next.notes[name] = value;
  }

  /** True (and the file counted as made) when the last build made `path` from the same non-empty `key` and it is still there. */
  async unchangedSince(path: string, key: string): Promise<boolean> {
    if (key === '' || this.previous.files[path] !== key) return false;
    if (!(await exists(join(this.root, path)))) return false;
    this.next.files[path] = key;
    this.stats.kept += 1;
    return true;
  }

  /** Like unchangedSince for every file of the last build under `prefix` (a group made together from one key). */
  keep(prefix: string, key: string): boolean {
    const paths = Object.keys(this.previous.files).filter((p) => p.startsWith(prefix));
    if (key === '' || paths.length === 0 || paths.some((p) => this.previous.files[p] !== key)) return false;
    for (const p of paths) this.next.files[p] = key;
    this.stats.kept += paths.length;
    return true;
  }

  async write(path: string, content: string | Uint8Array, key = ''): Promise<void> {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
    const target = join(this.root, path);
    this.next.files[path] = key;
    const current = await readFile(target).catch(() => undefined);
    if (current?.equals(bytes)) {
      this.stats.unchanged += 1;
      return;
    }
    await mkdir(dirname(target), { recursive: true });
    const tmp = join(this.root, TMP_DIR, `${process.pid}-${(this.tmpCount += 1)}`);
    await writeFile(tmp, bytes);
    await rename(tmp, target);
    this.stats.written += 1;
    this.changed.push(path);
  }

  /** Copies a content-addressed file (its name says its bytes): skipped when already there. */
  async copyImmutable(from: string, path: string): Promise<void> {
    const target = join(this.root, path);
    this.next.files[path] = 'immutable';
    if (await exists(target)) {
      this.stats.unchanged += 1;
      return;
    }
    await mkdir(dirname(target), { recursive: true });
    const tmp = join(this.root, TMP_DIR, `${process.pid}-${(this.tmpCount += 1)}`);
    await copyFile(from, tmp);
    await rename(tmp, target);
    this.stats.written += 1;
    this.changed.push(path);
  }

  /** Removes what the last build made and this one did not, writes the manifest. */
  async finish(): Promise<SiteStats> {
    for (const path of Object.keys(this.previous.files)) {
      if (path in this.next.files) continue;
      await rm(join(this.root, path), { force: true });
      this.stats.removed += 1;
      this.changed.push(path);
    }
    const files = Object.fromEntries(Object.entries(this.next.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    // Not counted in the stats: the manifest describes the build, it is not part of the site.
    const tmp = join(this.root, TMP_DIR, 'manifest');
    await writeFile(tmp, `${JSON.stringify({ v: 1, files, notes: this.next.notes }, null, 1)}\n`);
    await rename(tmp, join(this.root, SITE_MANIFEST));
    await rm(join(this.root, TMP_DIR), { recursive: true, force: true });
    return this.stats;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
