// Which provider a build really uses, and the part of the config that shapes its results (for cache
// keys and Nx inputs). The resolved provider is in both: an offline build and an openai build of the
// same config are different datasets.
import path from 'node:path';
import { fingerprint } from '../util/hash';
import { isStdio, type ForgeConfig, type ResolvedProvider } from './types';

/** `auto` => `openai` when OPENAI_API_KEY or OPENAI_BASE_URL is set (or generator.baseURL is given), else `offline`. */
export function resolveProvider(cfg: ForgeConfig, env: NodeJS.ProcessEnv = process.env): ResolvedProvider {
  const provider = cfg.generator.provider;
  if (provider !== 'auto') return provider;
  return env.OPENAI_API_KEY || env.OPENAI_BASE_URL || cfg.generator.baseURL ? 'openai' : 'offline';
}

/**
 * The content that shapes a build's results: the config minus where it lives on disk, plus the
 * resolved provider and endpoint. Left out: knobs that change how fast, not what (concurrency,
 * retries, timeouts, batch mode), absolute paths (made relative to the config directory so the hash is
 * the same on every machine), and anything secret: env and header VALUES, URL credentials and query
 * values, and of course API keys. Env and header names are kept.
 */
export function describeConfigForHash(cfg: ForgeConfig, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const provider = resolveProvider(cfg, env);
  const rel = (p: string | undefined) => (p === undefined ? undefined : path.relative(cfg.dir, p).split(path.sep).join('/') || '.');
  const { concurrency: _c, maxRetries: _r, timeoutMs: _t, batch: _b, baseURL, ...generator } = cfg.generator;
  const endpoint = baseURL ?? (provider === 'openai' ? env.OPENAI_BASE_URL : undefined);
  return {
    provider,
    name: cfg.name,
    description: cfg.description,
    servers: cfg.servers.map((s) =>
      isStdio(s)
        ? { command: s.command, args: s.args, cwd: rel(s.cwd), env: Object.keys(s.env).sort(), project: s.project, prefix: s.prefix }
        : { url: redactUrl(s.url), headers: Object.keys(s.headers).sort(), project: s.project, prefix: s.prefix },
    ),
    tools: cfg.tools,
    samples: cfg.samples,
    scenarios: cfg.scenarios,
    generator: { ...generator, endpoint: endpoint ? redactUrl(endpoint) : undefined },
    execution: cfg.execution,
    augmentation: cfg.augmentation,
    judge: cfg.judge,
    dedup: cfg.dedup,
    thresholds: cfg.thresholds,
    mix: { ...cfg.mix, real: cfg.mix.real.map((r) => ({ ...r, path: rel(r.path) })) },
    output: { ...cfg.output, dir: rel(cfg.output.dir) },
    budget: cfg.budget,
    seed: cfg.seed,
  };
}

/** sha256 of describeConfigForHash (canonical JSON). */
export function configFingerprint(cfg: ForgeConfig, env: NodeJS.ProcessEnv = process.env): string {
  return fingerprint(describeConfigForHash(cfg, env));
}

/** The URL without user:password, query values or fragment (they may carry tokens). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.hash = '';
    for (const key of [...new Set(u.searchParams.keys())]) u.searchParams.set(key, '*');
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}
