// Tool names written in forge.yaml (tools.overrides keys, tools.include entries) can only be checked
// once the lock file lists the server's tools. A name that matches nothing is an error, not a no-op:
// a misspelt `execution: simulated` override would otherwise let a writing tool run live unnoticed.
import type { ForgeConfig } from '../config/types';
import { closestKey } from '../config/suggest';
import { formatPath } from '../config/yaml-source';
import { ForgeError } from '../errors';
import type { ToolDef } from '../types';

const HINT = 'Tool names are the ones in tools.lock.json (with the server prefix, if any): fix the name, or run inspect again if the server changed.';

/** Throws a CONFIG error listing every override key and include entry that names no tool of the lock. */
export function checkToolReferences(cfg: ForgeConfig, tools: ToolDef[], matches: (pattern: string, name: string) => boolean): void {
  const names = tools.map((t) => t.name);
  const known = names.length > 12 ? `${names.slice(0, 12).join(', ')}, ...` : names.join(', ');
  const suggestion = (name: string) => {
    const close = name.includes('*') ? undefined : closestKey(name, names);
    return close ? `; did you mean "${close}"?` : ` (tools: ${known})`;
  };
  const problems: string[] = [];
  for (const name of Object.keys(cfg.tools.overrides)) {
    if (!names.includes(name)) problems.push(`${formatPath(['tools', 'overrides', name])}: no tool named "${name}" in tools.lock.json${suggestion(name)}`);
  }
  for (const pattern of cfg.tools.include ?? []) {
    if (!names.some((n) => matches(pattern, n))) problems.push(`tools.include: "${pattern}" matches no tool in tools.lock.json${suggestion(pattern)}`);
  }
  if (problems.length) throw new ForgeError('CONFIG', problems.map((p) => `${cfg.filepath}: ${p}`).join('\n'), HINT);
}
