import { PassThrough } from 'node:stream';
import { tuneMemory } from '../src/cli/tune-memory.js';
import { main } from '../src/cli/main.js';

/**
 * One `newsmirror run --json` in a process of its own (hostile.bench.ts):
 * its peak RSS (ru_maxrss, which never goes down) is that run's alone.
 * Replies { seconds, peakRssMB, sources } over IPC.
 */
const config = process.argv[2]!;
tuneMemory();
const out = new PassThrough();
const chunks: Buffer[] = [];
out.on('data', (c: Buffer) => chunks.push(c));
const started = performance.now();
await main(['run', '--config', config, '--json'], { out, err: new PassThrough(), interactive: false });
const seconds = (performance.now() - started) / 1000;
const report = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { sources: Array<{ slug: string; status: string; added: unknown[]; ms: number; error?: { code: string } }> };
const sources = report.sources.map((s) => ({ slug: s.slug, status: s.status, added: s.added.length, code: s.error?.code ?? null, seconds: s.ms / 1000 }));
process.send?.({ seconds, peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024), sources });
