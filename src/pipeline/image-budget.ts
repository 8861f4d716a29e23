import type { ParsedConfig } from '../config/config-schema.js';
import { BudgetError } from '../domain/errors.js';
import { renderSize } from '../domain/byte-size.js';
import { measureFiles } from '../archive/measure-files.js';

export type BudgetName = 'articleImages' | 'runImages' | 'total';

/** What the run report (and status) say of the budgets: what the run used, which it reached, how many pictures stayed remote for them. */
export interface BudgetReport {
  articleImages: number;
  runImages: { limit: number; used: number };
  total: { limit: number; used: number | null };
  /** The budgets that kept at least one picture remote in this run, sorted. */
  reached: BudgetName[];
  /** Pictures left remote because of a budget. */
  keptRemote: number;
}

/**
 * The size budgets of one run's images. The archive's size is measured
 * (by stat: measure-files.ts) when the first new picture is about to be
 * stored, not before: most runs store none. Each stored file is then
 * counted, so the run knows the total without measuring again. Admission
 * is synchronous once measured, so pictures stored at once cannot both take
 * the last bytes.
 */
export class ImageBudget {
  private runUsed = 0;
  private total: Promise<number> | undefined;
  private totalUsed: number | null = null;
  private readonly perArticle = new WeakMap<object, number>();
  private readonly reached = new Set<BudgetName>();
  private keptRemote = 0;

  constructor(
    private readonly root: string,
    private readonly limits: ParsedConfig['budgets'],
  ) {}

  private async measured(): Promise<number> {
    this.total ??= measureFiles(this.root).then((files) => (this.totalUsed = files.reduce((n, f) => n + f.bytes, 0)));
    await this.total;
    return this.totalUsed!;
  }

  private refuse(name: BudgetName, text: string): never {
    this.reached.add(name);
    this.keptRemote += 1;
    throw new BudgetError(text);
  }

  /** Before any download: a budget already used up refuses without asking the network. */
  async check(article: object): Promise<void> {
    const total = await this.measured();
    if (total >= this.limits.total) this.refuse('total', `the archive holds ${renderSize(total)}, its budget (budgets.total) is ${renderSize(this.limits.total)}`);
    if (this.runUsed >= this.limits.runImages) this.refuse('runImages', `this run stored ${renderSize(this.runUsed)} of images, its budget (budgets.runImages) is ${renderSize(this.limits.runImages)}`);
    const own = this.perArticle.get(article) ?? 0;
    if (own >= this.limits.articleImages) this.refuse('articleImages', `its images took ${renderSize(own)}, an article's budget (budgets.articleImages) is ${renderSize(this.limits.articleImages)}`);
  }

  /** Takes `bytes` for a new file of `article`'s, or throws a BudgetError naming the budget it would pass. */
  async admit(article: object, bytes: number): Promise<void> {
    const total = await this.measured();
    const own = this.perArticle.get(article) ?? 0;
    const size = renderSize(bytes);
    if (total + bytes > this.limits.total) this.refuse('total', `${size} would take the archive (${renderSize(total)}) past its budget (budgets.total: ${renderSize(this.limits.total)})`);
    if (this.runUsed + bytes > this.limits.runImages) this.refuse('runImages', `${size} would take this run's images (${renderSize(this.runUsed)}) past budgets.runImages (${renderSize(this.limits.runImages)})`);
    if (own + bytes > this.limits.articleImages) this.refuse('articleImages', `${size} would take the article's images (${renderSize(own)}) past budgets.articleImages (${renderSize(this.limits.articleImages)})`);
    this.totalUsed = total + bytes;
    this.runUsed += bytes;
    this.perArticle.set(article, own + bytes);
  }

  report(): BudgetReport {
    return {
      articleImages: this.limits.articleImages,
      runImages: { limit: this.limits.runImages, used: this.runUsed },
      total: { limit: this.limits.total, used: this.totalUsed },
      reached: [...this.reached].sort(),
      keptRemote: this.keptRemote,
    };
  }
}
