// Shared setup of the provider specs: the OpenAI-compatible test server (in-process, port 0), a config
// with defaults, the weather tools from the committed lock file, and plan contexts with argument hints.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer, type TestServerOptions } from '../../../../../tools/openai-test-server/src';
import { parseConfigText } from '../../config';
import type { ForgeConfig } from '../../config/types';
import type { PlanContext } from '../provider';
import type { Scenario, ToolDef, ToolsLock } from '../../types';
import { createRng } from '../../util/rng';
import { sampleArguments } from '../../schema/sample';
import { bufferLogger } from '../../util/log';
import { OpenAIProvider } from './provider';
import type { ProviderOptions } from '../index';

export const WORKSPACE = join(__dirname, '..', '..', '..', '..', '..');

export function weatherTools(): ToolDef[] {
  const lock = JSON.parse(readFileSync(join(WORKSPACE, 'datasets', 'weather-dataset', 'tools.lock.json'), 'utf8')) as ToolsLock;
  return lock.tools;
}

export function tool(name: string, tools = weatherTools()): ToolDef {
  const t = tools.find((x) => x.name === name);
  if (!t) throw new Error(`no tool ${name}`);
  return t;
}

export function config(yaml = ''): ForgeConfig {
  return parseConfigText(`server:\n  command: node\n  args: [server.js]\n${yaml}`, join(tmpdir(), 'forge.yaml'));
}

export interface Harness {
  server: TestServer;
  cacheDir: string;
  providers: OpenAIProvider[];
  /** `yaml` is appended inside `generator:` (indent its keys by two spaces; later top-level keys are fine). */
  provider(opts?: Partial<ProviderOptions> & { yaml?: string; env?: NodeJS.ProcessEnv; baseURL?: string; maxRetries?: number }): OpenAIProvider;
  done(): Promise<void>;
}

export async function harness(serverOpts: TestServerOptions = {}): Promise<Harness> {
  const server = await startTestServer({ batchStepMs: 0, ...serverOpts });
  const cacheDir = mkdtempSync(join(tmpdir(), 'forge-openai-'));
  const providers: OpenAIProvider[] = [];
  return {
    server,
    cacheDir,
    providers,
    provider({ yaml = '', env = {}, baseURL = server.url, maxRetries = 8, ...rest } = {}) {
      const cfg = config(`generator:\n  baseURL: ${baseURL}\n  maxRetries: ${maxRetries}\n${yaml}`);
      const p = new OpenAIProvider(
        { cfg, resolved: 'openai', env: { OPENAI_API_KEY: 'sk-test-0000000000', FORGE_CACHE_DIR: cacheDir, FORGE_BATCH_POLL_MS: '10', FORGE_BATCH_COLLECT_MS: '30', ...env }, stage: 'generate', dataset: 'weather', root: cacheDir, ...rest },
        { log: bufferLogger() },
      );
      providers.push(p);
      return p;
    },
    async done() {
      for (const p of providers) await p.close();
      await server.close();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}

export function context(targets: ToolDef[], scenario: Scenario, seed = 7, tools = weatherTools()): PlanContext {
  const rng = createRng(seed);
  return {
    seed,
    scenario,
    persona: 'a commuter planning the week',
    style: 'casual',
    tools,
    targets,
    argHints: targets.map((t) => sampleArguments(t, { rng, mode: scenario === 'edge' ? 'edge' : 'typical' }) as Record<string, unknown>),
    stage: 'generate',
  };
}

/** Chat completion requests the server received (all outcomes). */
export function chatRequests(server: TestServer): number {
  return server.stats().requests.byEndpoint['POST /v1/chat/completions']?.total ?? 0;
}
