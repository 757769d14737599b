// Model behaviours that the pipeline must cope with, injected as faults (shares 0..1):
//   refuseParallel    a reply that would make two or more calls makes only the first (models that
//                     do not do parallel calls well, or ignore `parallel_tool_calls`)
//   violateMaxLength  a call's string argument exceeds a length limit its schema states: the
//                     `maxLength` keyword (non-strict tools) or the "maxLength: N" note that strict
//                     mode moves into the description (constraints the API does not enforce)
// Decided from the request content (not the arrival order), so concurrent or batched runs fault
// the same requests; a repair request (other content) draws again.
import type { ToolCallOut } from './chat-completion';
import type { FunctionTool } from './chat-tools';
import { hash32, Rng } from './rng';

export interface BehaviourShares {
  seed: number;
  refuseParallel: number;
  violateMaxLength: number;
}

export interface BehaviourCounts {
  refusedParallel: number;
  violatedMaxLength: number;
}

function draw(...parts: (string | number)[]): number {
  return new Rng(hash32(...parts)).next();
}

/** The length limit of each string property: `maxLength`, else a "maxLength: N" note in its description. */
export function lengthLimits(parameters: Record<string, unknown>): Map<string, number> {
  const limits = new Map<string, number>();
  const props = (parameters.properties ?? {}) as Record<string, Record<string, unknown>>;
  for (const [key, node] of Object.entries(props)) {
    if (!node || typeof node !== 'object') continue;
    const types = Array.isArray(node.type) ? node.type : [node.type];
    if (!types.includes('string')) continue;
    if (typeof node.maxLength === 'number') limits.set(key, node.maxLength);
    else {
      const m = /maxLength:\s*(\d+)/.exec(String(node.description ?? ''));
      if (m) limits.set(key, Number(m[1]));
    }
  }
  return limits;
}

/** Applies the behaviours to the calls of one reply; returns the calls kept and what was done. */
export function applyBehaviours(calls: ToolCallOut[], tools: FunctionTool[], shares: BehaviourShares, requestSeed: number, counts?: BehaviourCounts): ToolCallOut[] {
  let out = calls;
  if (out.length >= 2 && shares.refuseParallel > 0 && draw('refuse-parallel', shares.seed, requestSeed) < shares.refuseParallel) {
    out = out.slice(0, 1);
    if (counts) counts.refusedParallel++;
  }
  if (shares.violateMaxLength <= 0) return out;
  const byName = new Map(tools.map((t) => [t.name, t]));
  return out.map((call, i) => {
    const tool = byName.get(call.function.name);
    if (!tool || draw('max-length', shares.seed, requestSeed, i) >= shares.violateMaxLength) return call;
    let args: Record<string, unknown>;
    try {
      args = JSON.parse(call.function.arguments);
    } catch {
      return call;
    }
    const limits = lengthLimits(tool.parameters);
    const key = [...limits.keys()].find((k) => typeof args[k] === 'string');
    if (!key) return call;
    const limit = limits.get(key)!;
    const base = (args[key] as string) || 'value';
    let long = base;
    while (long.length <= limit) long += ` ${base}`;
    if (counts) counts.violatedMaxLength++;
    return { ...call, function: { ...call.function, arguments: JSON.stringify({ ...args, [key]: long }) } };
  });
}
