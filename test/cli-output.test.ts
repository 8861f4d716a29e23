import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from './helpers/run-cli.js';
import { PROJECT_ROOT } from './helpers/shared.js';

// The built CLI (`npm test` builds first); skipped when vitest runs alone without a build, never in CI.
describe.skipIf(!existsSync(join(PROJECT_ROOT, 'dist/src/cli/main.js')) && !process.env.CI)('the CLI printing into a pipe', () => {
  it('ends quietly with its own exit code when the reader has gone (`newsmirror … | head -1`)', async () => {
    const child = spawn(process.execPath, [BIN, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // The reading end closes before the CLI writes a byte: every write of it fails with EPIPE.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect([code, stderr]).toEqual([0, '']);
  });
});
