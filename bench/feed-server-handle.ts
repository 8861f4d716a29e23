import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FeedWindow } from './corpus/feed-set.js';
import type { FeedServerReply, FeedServerRequest } from './feed-server-process.js';

/** The parent's side of feed-server-process.ts: one request at a time, one reply each. */
export class FeedServerHandle {
  private constructor(private readonly child: ChildProcess) {}

  static start(): FeedServerHandle {
    const file = fileURLToPath(new URL('./feed-server-process.js', import.meta.url));
    // No inherited --cpu-prof: a profile of the archiver should not be shared with the server.
    return new FeedServerHandle(fork(file, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  }

  private request(message: FeedServerRequest): Promise<FeedServerReply> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`feed server exited (${code ?? 'signal'}) before answering ${message.type}`));
      this.child.once('exit', onExit);
      this.child.once('message', (reply: FeedServerReply) => {
        this.child.off('exit', onExit);
        if (reply.type === 'error') reject(new Error(`feed server: ${reply.message}`));
        else resolve(reply);
      });
      this.child.send(message);
    });
  }

  /** Serves benchFeeds(windows.length), feed i holding window i; resolves once every body is rendered. */
  async serve(seed: number, windows: FeedWindow[]): Promise<{ url: string; items: number; bytes: number }> {
    const reply = await this.request({ type: 'serve', seed, windows });
    if (reply.type !== 'ready') throw new Error(`feed server: unexpected reply ${reply.type}`);
    return reply;
  }

  /** honour: ETag + Last-Modified and 304 on a match; otherwise 200 with the identical body every time. */
  async setValidators(honour: boolean): Promise<void> {
    await this.request({ type: 'validators', honour });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ type: 'stop' } satisfies FeedServerRequest);
    const timer = setTimeout(() => this.child.kill(), 5000);
    await exited;
    clearTimeout(timer);
  }
}
