// A thin, cheaply typed wrapper over McpServer.registerTool. The SDK's own generic signature accepts
// zod 3 and zod 4 schemas at once, and instantiating it for every tool made `tsc` take minutes on
// this package; here the argument type is inferred from the zod 3 shape alone, and the SDK is
// called through a plain signature (its runtime behaviour is unchanged).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';

export interface ToolSpec<S extends z.ZodRawShape> {
  title: string;
  description: string;
  inputSchema?: S;
  outputSchema?: z.ZodRawShape;
  annotations: ToolAnnotations;
}

type LooseRegister = (name: string, config: object, handler: (args: never) => Promise<CallToolResult>) => unknown;

export function registerTool<S extends z.ZodRawShape>(
  server: McpServer,
  name: string,
  spec: ToolSpec<S>,
  handler: (args: z.objectOutputType<S, z.ZodTypeAny>) => Promise<CallToolResult>,
): void {
  const register = server.registerTool.bind(server) as unknown as LooseRegister;
  register(name, spec, handler as (args: never) => Promise<CallToolResult>);
}
