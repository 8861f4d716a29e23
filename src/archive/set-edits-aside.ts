import { editsAsideFolder } from '../domain/article.js';
import { listEditFiles } from './scan-archive.js';
import { moveNewFile } from './write-file-atomic.js';

/**
 * Moves the edit files of article `id` (edits/<slug>/<id>/) to
 * editsAsideFolder: its file holds another article now, which would show
 * them as its own. Never deleted: they are the archive's record of the
 * article that was there. Returns the paths written, empty when there were none.
 */
export async function setEditsAside(root: string, slug: string, id: number, at: number): Promise<string[]> {
  const folder = editsAsideFolder(slug, id, at);
  const moved: string[] = [];
  for (const path of await listEditFiles(root, slug, id)) {
    const target = `${folder}/${path.slice(path.lastIndexOf('/') + 1)}`;
    if (await moveNewFile(root, path, target)) moved.push(target);
  }
  return moved;
}
