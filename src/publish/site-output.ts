import { mkdir, readFile, rename, rm, stat, writeFile, copyFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NewsmirrorError, describeError } from '../domain/errors.js';

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

/** How many of the files in the way the refusal names before it counts the rest. */
const NAMED_IN_THE_WAY = 3;

/**
 * The output folder of a static build. Every file goes through here: it is
 * written only when its bytes differ from what is there (so a rebuild after
 * a few new articles rewrites only what changed, and a git or rsync deploy
 * sees only those), and recorded in a manifest; files the last build made
 * and this one did not are removed. Files the builder did not make (not in
 * the manifest: a CNAME, a README, a page of the user's) are never replaced
 * nor removed: new bytes are staged in a temporary folder during the build
 * and moved into place by finish(), which first refuses, naming them, if
 * any would replace a file the builder did not make (a first build into a
 * docs/ folder that has its own index.html), so nothing is written then.
 */
export class SiteOutput {
  private readonly next: Manifest = { v: 1, files: {}, notes: {} };
  readonly stats: SiteStats = { written: 0, unchanged: 0, kept: 0, removed: 0 };
  /** The paths written and removed by this build, in order. */
  readonly changed: string[] = [];
  private tmpCount = 0;
  /** New bytes for `path`, in the temporary file `tmp`, moved into place by finish(). */
  private readonly staged: { path: string; tmp: string }[] = [];
  /** Paths whose file is there but not in the last build's manifest: the builder did not make it. */
  private readonly inTheWay: string[] = [];

  private constructor(
    readonly root: string,
    private readonly previous: Manifest,
    /** Why the last build's manifest could not be used, when there is one (none at all: a first build). */
    private readonly noManifest?: string,
  ) {}

  static async open(root: string): Promise<SiteOutput> {
    // Whatever an interrupted build left staged there is not part of any site.
    await rm(join(root, TMP_DIR), { recursive: true, force: true });
    await mkdir(join(root, TMP_DIR), { recursive: true });
    let previous: Manifest = { v: 1, files: {}, notes: {} };
    let noManifest: string | undefined;
    try {
      const parsed = JSON.parse(await readFile(join(root, SITE_MANIFEST), 'utf8')) as Partial<Manifest>;
      if (parsed.v === 1 && parsed.files && typeof parsed.files === 'object') {
        previous = { v: 1, files: parsed.files, notes: parsed.notes ?? {} };
        noManifest = undefined;
      } else {
        noManifest = `${SITE_MANIFEST} there is not one newsmirror site wrote`;
      }
    } catch (error) {
      // No manifest (a first build) or a broken one: everything is made again.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') noManifest = `${SITE_MANIFEST} there could not be read`;
    }
    return new SiteOutput(root, previous, noManifest);
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
    const ours = path in this.previous.files;
    const current = await readFile(target).catch(() => undefined);
    if (current?.equals(bytes)) {
      // A file the builder did not make that holds these very bytes stays the user's: not listed as
      // the builder's, or a later build that no longer writes it would remove it.
      if (ours) this.next.files[path] = key;
      this.stats.unchanged += 1;
      return;
    }
    this.next.files[path] = key;
    if (current !== undefined && !ours) this.inTheWay.push(path);
    const tmp = join(this.root, TMP_DIR, `${process.pid}-${(this.tmpCount += 1)}`);
    await writeFile(tmp, bytes).catch((error: unknown) => this.notStaged(path, error));
    this.stage(path, tmp);
  }

  /** Copies a content-addressed file (its name says its bytes): skipped when already there. */
  async copyImmutable(from: string, path: string): Promise<void> {
    const target = join(this.root, path);
    if (await exists(target)) {
      // Listed as the builder's only when it was (see write).
      if (path in this.previous.files) this.next.files[path] = 'immutable';
      this.stats.unchanged += 1;
      return;
    }
    this.next.files[path] = 'immutable';
    const tmp = join(this.root, TMP_DIR, `${process.pid}-${(this.tmpCount += 1)}`);
    await copyFile(from, tmp).catch((error: unknown) => this.notStaged(path, error));
    this.stage(path, tmp);
  }

  /**
   * A file that could not be staged (a full disk: node's 'ENOSPC ... write'
   * names none). Nothing of the build is in place yet; what it staged goes,
   * giving its space back.
   */
  private async notStaged(path: string, error: unknown): Promise<never> {
    await rm(join(this.root, TMP_DIR), { recursive: true, force: true });
    throw new NewsmirrorError('site_not_written', `--out ${this.root}: ${path}: not written (${describeError(error)}); nothing of this build was put in place`, { cause: error });
  }

  private stage(path: string, tmp: string): void {
    this.staged.push({ path, tmp });
    this.stats.written += 1;
    this.changed.push(path);
  }

  /** Refuses (nothing written) when staged files would replace files the builder did not make. */
  private async checkInTheWay(): Promise<void> {
    // A file where a staged file needs a folder (a file named `feeds`) is in the way too.
    const folders = new Set<string>();
    for (const { path } of this.staged) {
      for (let folder = dirname(path); folder !== '.' && !folders.has(folder); folder = dirname(folder)) folders.add(folder);
    }
    for (const folder of folders) {
      const found = await stat(join(this.root, folder)).catch(() => undefined);
      if (found !== undefined && !found.isDirectory() && !(folder in this.previous.files)) this.inTheWay.push(folder);
    }
    if (this.inTheWay.length === 0) return;
    await rm(join(this.root, TMP_DIR), { recursive: true, force: true });
    const paths = [...this.inTheWay].sort();
    const named = paths.slice(0, NAMED_IN_THE_WAY).join(', ');
    const more = paths.length > NAMED_IN_THE_WAY ? ` and ${paths.length - NAMED_IN_THE_WAY} more` : '';
    const files = paths.length === 1 ? '1 file there was' : `${paths.length} files there were`;
    // With its manifest unreadable an earlier build's own pages look foreign too: say why they are taken for the user's.
    const why = this.noManifest === undefined ? '' : ` (${this.noManifest}, which lists the files an earlier build made)`;
    throw new NewsmirrorError(
      'site_in_the_way',
      `--out ${this.root}: ${files} not made by newsmirror site${why} and would be replaced: ${named}${more}; nothing was written: remove them, or choose another --out`,
    );
  }

  private async writeManifest(files: Record<string, string>, notes: Record<string, unknown>): Promise<void> {
    const sorted = Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const tmp = join(this.root, TMP_DIR, 'manifest');
    await writeFile(tmp, `${JSON.stringify({ v: 1, files: sorted, notes }, null, 1)}\n`);
    await rename(tmp, join(this.root, SITE_MANIFEST));
  }

  /**
   * Refuses if files the builder did not make are in the way (see the
   * class); else moves the staged files into place, removes what the last
   * build made and this one did not, writes the manifest.
   */
  async finish(): Promise<SiteStats> {
    await this.checkInTheWay();
    if (this.staged.length > 0) {
      // Listed first, as the builder's, with no key (so never taken as up to date): a build
      // interrupted while moving its files leaves them known as its own, not in the way of the next.
      const files: Record<string, string> = { ...this.previous.files, ...this.next.files };
      for (const { path } of this.staged) files[path] = '';
      await this.writeManifest(files, this.previous.notes);
      for (const { path, tmp } of this.staged) {
        await mkdir(dirname(join(this.root, path)), { recursive: true });
        await rename(tmp, join(this.root, path));
      }
    }
    for (const path of Object.keys(this.previous.files)) {
      if (path in this.next.files) continue;
      await rm(join(this.root, path), { force: true });
      this.stats.removed += 1;
      this.changed.push(path);
    }
    // Not counted in the stats: the manifest describes the build, it is not part of the site.
    await this.writeManifest(this.next.files, this.next.notes);
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
