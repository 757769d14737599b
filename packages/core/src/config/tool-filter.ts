// tools.include / tools.exclude: names after any server prefix, where `*` matches any run of characters.
import type { ForgeConfig } from './types';

/** Whether the config keeps a tool: listed by `include` (or no `include`), and not listed by `exclude`. */
export function isToolSelected(tools: ForgeConfig['tools'], name: string): boolean {
  const matches = (pattern: string) => globToRegExp(pattern).test(name);
  if (tools.include && !tools.include.some(matches)) return false;
  return !tools.exclude.some(matches);
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}
