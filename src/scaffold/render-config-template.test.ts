import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load-config.js';
import { renderConfigTemplate } from './render-config-template.js';
import { tempDir } from '../../test/helpers/temp-dir.js';

describe('renderConfigTemplate', () => {
  it('loads as exactly the built-in configuration', async () => {
    const dir = await tempDir();
    const text = renderConfigTemplate();
    await writeFile(join(dir, 'newsmirror.yaml'), text);
    const fromFile = await loadConfig({ cwd: dir });
    const builtIn = await loadConfig({ cwd: await tempDir() });
    expect(fromFile.file).toBe(join(dir, 'newsmirror.yaml'));
    expect({ ...fromFile, file: undefined, archiveDir: undefined }).toEqual({ ...builtIn, file: undefined, archiveDir: undefined });
    expect(fromFile.archiveDir).toBe(join(dir, 'archive'));
  });

  it('writes each source in block style with its notes once, and quotes what YAML needs quoted', () => {
    const text = renderConfigTemplate();
    expect(text).toContain(`  - name: 路透${' '.repeat(21)} # display name: lists/<name>.md\n`);
    expect(text).toContain(`    slug: reuters${' '.repeat(18)} # folder articles/<slug>/ (ASCII)\n`);
    expect(text.match(/# tried in order when the one in use fails/g)).toHaveLength(1);
    expect(text).toMatch(/^ {4}requireCategory: .*Extended_Pictographic.* # only items/m);
    expect(text.endsWith('\n')).toBe(true);
  });
});
