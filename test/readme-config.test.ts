import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { PROJECT_ROOT } from './helpers/shared.js';
import { tempDir } from './helpers/temp-dir.js';

describe('the README', () => {
  it('shows a newsmirror.yaml that loads as written, every key in it', async () => {
    const readme = await readFile(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const sample = /`newsmirror\.yaml` \(every key but `sources` is optional\):\n\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(sample, 'the sample config after "`newsmirror.yaml` (every key but `sources` is optional):"').toBeDefined();
    const dir = await tempDir();
    const file = join(dir, 'newsmirror.yaml');
    await writeFile(file, sample!);
    const config = await loadConfig({ config: file, cwd: dir });
    expect(config.archiveDir).toBe(join(dir, 'archive'));
    expect(config.sources.map((s) => s.slug)).toContain('rfi');
    expect(config.sources.find((s) => s.slug === 'rfi')?.proxy).toBe('http://127.0.0.1:8080');
  });
});
