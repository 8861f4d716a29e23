import { parentPort } from 'node:worker_threads';
import type { SourceConfig } from '../config/config-schema.js';
import { cleanForSource } from './clean-for-source.js';

/** A cleaning thread of the CleanPool: one message in, one out, nothing else. */
interface Job {
  id: number;
  html: string;
  url: string | undefined;
  source: SourceConfig;
}

parentPort?.on('message', (job: Job) => {
  try {
    parentPort?.postMessage({ id: job.id, html: cleanForSource(job.html, job.url, job.source) });
  } catch (error) {
    parentPort?.postMessage({ id: job.id, error: error instanceof Error ? error.message : String(error) });
  }
});
