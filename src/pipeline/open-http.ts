import type { Config } from '../config/load-config.js';
import { HttpClient } from '../http/http-client.js';

/** The settings of newsmirror.yaml that every request of a command goes by. */
export type HttpSettings = Partial<Pick<Config, 'allowPrivateNetworks' | 'maxPerHost' | 'proxy' | 'userAgent' | 'retryDelayMs'>>;

/**
 * The HTTP client of a command, as the config sets it: every command that
 * fetches (run, save, reclean's images, sources add, inspect, extract) goes
 * through the same proxy, User-Agent, per-host limit, backoff and SSRF guard
 * as a run. `{}` (no config file) is the defaults.
 */
export function openHttp(config: HttpSettings): HttpClient {
  return new HttpClient({
    ...(config.allowPrivateNetworks !== undefined ? { allowPrivateNetworks: config.allowPrivateNetworks } : {}),
    ...(config.maxPerHost !== undefined ? { maxPerHost: config.maxPerHost } : {}),
    ...(config.proxy !== undefined ? { proxy: config.proxy } : {}),
    ...(config.userAgent !== undefined ? { userAgent: config.userAgent } : {}),
    ...(config.retryDelayMs !== undefined ? { retryBaseMs: config.retryDelayMs } : {}),
  });
}
