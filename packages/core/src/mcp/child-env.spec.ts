import { connectServer } from './connect';
import { callTool } from './call-tool';
import { childEnv, redactSecrets, secretValues } from './child-env';
import { listTools } from './list-tools';
import { resolveConfig } from '../config/resolve';
import type { StdioServerConfig } from '../config/types';
import { join, resolve } from 'node:path';

const SCRIPTED = resolve(__dirname, '../../test/reliability/fixtures/scripted-server.js');

describe('childEnv', () => {
  it('passes the allow-listed variables and server.env, never the rest of the environment', () => {
    const env = childEnv({ DICT_TOKEN: 'x' }, { PATH: '/bin', HOME: '/h', OPENAI_API_KEY: 'sk-1', AWS_SECRET_ACCESS_KEY: 'a', npm_config__authToken: 't', LANG: 'C.UTF-8' });
    expect(env).toEqual({ PATH: '/bin', HOME: '/h', LANG: 'C.UTF-8', DICT_TOKEN: 'x' });
  });

  it('server.env wins over an inherited variable, and exported shell functions are dropped', () => {
    expect(childEnv({ PATH: '/opt/bin' }, { PATH: '/bin', SHELL: '() { :; }' })).toEqual({ PATH: '/opt/bin' });
  });
});

describe('secretValues / redactSecrets', () => {
  it('masks secret-named env values, headers (with and without Bearer) and ${VAR} values at any depth', () => {
    const secrets = secretValues({ env: { API_TOKEN: 'tok-123456', MODE: 'verbose-mode' }, headers: { Authorization: 'Bearer hdr-abcdef' }, expanded: ['exp-999999', '1'] });
    expect(secrets.sort()).toEqual(['Bearer hdr-abcdef', 'exp-999999', 'hdr-abcdef', 'tok-123456']);
    const out = redactSecrets({ a: ['x tok-123456 y', { 'hdr-abcdef': 'exp-999999' }], n: 1, mode: 'verbose-mode' }, secrets);
    expect(out).toEqual({ a: ['x [redacted] y', { '[redacted]': '[redacted]' }], n: 1, mode: 'verbose-mode' });
  });
});

describe('a server that dumps its environment', () => {
  it('never receives OPENAI_API_KEY, and what it was given through ${VAR} comes back masked', async () => {
    const saved = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = 'sk-canary-unit-4411';
    try {
      const { config } = resolveConfig({ server: { command: process.execPath, args: [SCRIPTED], env: { LOOKUP_KEY: '${CANARY_VAR}', FIXTURE_DUMP_ENV: '1' } } }, join(__dirname, 'forge.yaml'), { env: { CANARY_VAR: 'var-canary-7781' } });
      const cfg = config.servers[0] as StdioServerConfig;
      expect(JSON.stringify(cfg)).not.toContain('expandedSecrets');
      const conn = await connectServer(cfg);
      try {
        const listed = JSON.stringify(await listTools(conn));
        const result = await callTool(conn, 'lookup', { word: 'w' }, 5000);
        const all = `${listed}${JSON.stringify(result)}`;
        expect(result.text).toContain('"FIXTURE_DUMP_ENV":"1"');
        expect(result.text).toContain('"LOOKUP_KEY":"[redacted]"');
        expect(all).not.toContain('sk-canary-unit-4411');
        expect(all).not.toContain('var-canary-7781');
        expect(JSON.parse(result.text).env.OPENAI_API_KEY).toBeUndefined();
        expect(JSON.parse(result.text).env.PATH).toBe(process.env.PATH);
      } finally {
        await conn.close();
      }
    } finally {
      if (saved === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved;
    }
  }, 20_000);
});
