// The environment a stdio MCP server is started with: an explicit allow-list of variables a
// process needs to run (PATH, HOME, locale, temp dir, proxy and npm settings for `npx -y`), plus
// the server's own `server.env` from forge.yaml. Nothing else of ours is passed on: OPENAI_API_KEY,
// cloud credentials and tokens stay in this process. A server that needs another variable gets it
// through `server.env`, e.g. `env: { GITHUB_TOKEN: "${GITHUB_TOKEN}" }`.

/** Variables inherited as they are (names compared case-sensitively; Windows names included). */
export const INHERITED_ENV_VARS: readonly string[] = [
  // POSIX (the MCP SDK's own default set)
  'HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER',
  // locale, time zone, temp directories
  'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'LC_MESSAGES', 'TZ', 'TMPDIR', 'TMP', 'TEMP',
  'XDG_CACHE_HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'XDG_RUNTIME_DIR',
  // network settings (no credentials of their own beyond what the user put in a proxy URL)
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
  // where npx finds packages (never npm_config_*auth*/token: those are credentials)
  'npm_config_cache', 'npm_config_registry', 'npm_config_prefix', 'npm_config_userconfig', 'npm_config_globalconfig', 'npm_config_offline', 'npm_config_prefer_offline', 'npm_config_yes', 'NPM_CONFIG_CACHE', 'NPM_CONFIG_REGISTRY', 'NPM_CONFIG_USERCONFIG',
  // Windows
  'APPDATA', 'HOMEDRIVE', 'HOMEPATH', 'LOCALAPPDATA', 'PATHEXT', 'ComSpec', 'PROCESSOR_ARCHITECTURE', 'SYSTEMDRIVE', 'SYSTEMROOT', 'SystemRoot', 'USERNAME', 'USERPROFILE', 'PROGRAMFILES', 'ProgramData', 'WINDIR',
];

/** The child's environment: the allow-listed variables of `parent`, with `server.env` on top. */
export function childEnv(extra: Record<string, string>, parent: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_ENV_VARS) {
    const value = parent[name];
    // A value starting with "()" is an exported shell function: never inherited (as the SDK does).
    if (typeof value === 'string' && !value.startsWith('()')) env[name] = value;
  }
  return { ...env, ...extra };
}

const SECRET_NAME = /key|token|secret|pass|auth|cred|sig|cookie|session/i;

/**
 * Values a server was given that must not come back into a dataset: `server.env` values whose name
 * looks secret, every HTTP header value, and every value read from the environment through ${VAR}
 * (recorded by the config loader). Short values (< 6 characters) are left alone: masking "1" or
 * "true" everywhere would corrupt data and protects nothing.
 */
export function secretValues(fields: { env?: Record<string, string>; headers?: Record<string, string>; expanded?: readonly string[] }): string[] {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(fields.env ?? {})) if (SECRET_NAME.test(k)) out.add(v);
  for (const v of Object.values(fields.headers ?? {})) {
    out.add(v);
    const bare = /^(Bearer|Basic|Token)\s+(.+)$/i.exec(v);
    if (bare) out.add(bare[2]);
  }
  for (const v of fields.expanded ?? []) out.add(v);
  return [...out].filter((v) => v.length >= 6).sort((a, b) => b.length - a.length);
}

export const REDACTED = '[redacted]';

/** `value` with every occurrence of a secret replaced by [redacted], in strings at any depth (keys too). */
export function redactSecrets<T>(value: T, secrets: readonly string[]): T {
  if (!secrets.length) return value;
  const text = (s: string): string => {
    let out = s;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  };
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return text(v);
    if (!v || typeof v !== 'object') return v;
    if (depth > 200) {
      // Deeper than any real result: checked as a whole rather than walked further.
      let json = '';
      try {
        json = JSON.stringify(v);
      } catch {
        return REDACTED;
      }
      return secrets.some((secret) => json.includes(secret)) ? REDACTED : v;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [text(k), walk(x, depth + 1)]));
  };
  return walk(value, 0) as T;
}
