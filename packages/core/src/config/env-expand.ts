// `${VAR}` in server url, env and headers, read from the environment when the config loads, so
// secrets stay out of forge.yaml. `${VAR:-fallback}` gives a default; `$${` writes a literal `${`.
// Messages name the variable, never a value.

export type Expansion = { ok: true; value: string } | { ok: false; message: string };

const REFERENCE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const NAME = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

/** `used` (when given) receives every value read from the environment (not fallbacks): the secrets to keep out of outputs. */
export function expandEnv(text: string, env: NodeJS.ProcessEnv, used?: string[]): Expansion {
  let problem: string | undefined;
  const value = text.replace(REFERENCE, (match: string, inner: string | undefined) => {
    if (match === '$${') return '${';
    if (inner === undefined) {
      problem ??= 'has `${` without a closing `}`; write ${NAME} (or $${ for a literal)';
      return match;
    }
    const ref = NAME.exec(inner);
    if (!ref) {
      problem ??= `has an invalid variable reference \`\${${inner}}\`; names are letters, digits and _ (e.g. \${API_TOKEN})`;
      return match;
    }
    const [, name, fallback] = ref;
    const set = env[name];
    if (set !== undefined && !(fallback !== undefined && set === '')) {
      used?.push(set);
      return set;
    }
    if (fallback !== undefined) return fallback;
    problem ??= `environment variable ${name} is not set; export it before running, or write \${${name}:-default}`;
    return match;
  });
  return problem ? { ok: false, message: problem } : { ok: true, value };
}
