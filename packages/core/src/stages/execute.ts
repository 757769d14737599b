// Tool execution policy (SPEC §5): a tool runs live on its MCP server only when that is safe
// (read-only and not open-world) or explicitly requested; everything else is simulated.
import type { ExecutionMode, ForgeConfig } from '../config/types';
import type { LlmProvider, PlanContext } from '../llm/provider';
import type { Message, ToolCall, ToolDef } from '../types';
import { recordsFor, stateFrom } from './conversation-state';
import { isReadTool } from './tool-roles';

/** What the pipeline needs from an MCP connection pool (mcp/tool-runner implements it). */
export interface LiveTools {
  call(tool: ToolDef, args: unknown): Promise<{ text: string; isError: boolean }>;
}

export function executionFor(cfg: ForgeConfig, tool: ToolDef): 'live' | 'simulated' {
  const mode: ExecutionMode = cfg.tools.overrides[tool.name]?.execution ?? cfg.execution;
  if (mode === 'live') return 'live';
  if (mode === 'simulated') return 'simulated';
  const a = tool.annotations ?? {};
  return a.readOnlyHint === true && a.openWorldHint !== true ? 'live' : 'simulated';
}

/** Whether a read call is about records that earlier writes of the conversation created or deleted. */
export function readsSimulatedState(tool: ToolDef, call: ToolCall, tools: ToolDef[], history?: Message[]): boolean {
  if (!history?.length || !isReadTool(tool)) return false;
  return recordsFor(stateFrom(history, [...tools, tool]), tool, call.arguments) !== undefined;
}

export interface ExecutedCall {
  content: string;
  isError: boolean;
  mode: 'live' | 'simulated';
}

/** Marks a failing tool result in the conversation the same way for live and simulated results. */
export function errorContent(text: string): string {
  return /^error\b/i.test(text.trim()) ? text : `Error: ${text}`;
}

export async function executeCall(opts: {
  cfg: ForgeConfig;
  tool: ToolDef;
  call: ToolCall;
  ctx: PlanContext;
  provider: LlmProvider;
  live?: LiveTools;
  /** The scenario wants this call to fail (error scenario). */
  failing: boolean;
  /** The conversation so far, for simulated results consistent with earlier writes. */
  history?: Message[];
}): Promise<ExecutedCall> {
  const { cfg, tool, call, ctx, provider, live, failing, history } = opts;
  // A read of what an earlier simulated write made (an alert just set) cannot come from the live
  // server, which never saw that write: it is simulated from the conversation's state.
  const mode = live && !readsSimulatedState(tool, call, ctx.tools, history) ? executionFor(cfg, tool) : 'simulated';
  if (mode === 'live' && live) {
    const result = await live.call(tool, call.arguments);
    // A live success in an error sample cannot be turned into a real failure: simulate that one.
    if (!failing || result.isError) {
      return { content: result.isError ? errorContent(result.text) : result.text, isError: result.isError, mode };
    }
  }
  const text = await provider.simulateResult(ctx, tool, call, failing, history);
  return { content: failing ? errorContent(text) : text, isError: failing, mode: 'simulated' };
}
