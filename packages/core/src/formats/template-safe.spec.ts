import type { Sample, ToolDef } from '../types';
import { FORMATS } from './index';
import { toHf } from './hf';
import { MAX_DESCRIPTION, NULLABLE_NOTE, templateSafeParameters } from './template-safe';
import { checkRender, loadChatTemplates, applyChatTemplate } from './transformers-render';
import { toFunctionTool } from './tools';

const templates = loadChatTemplates();
const hermesTemplates = templates.filter((t) => /hermes/i.test(t.name));

// Shapes found in real servers (n8n, shortcut, gitlab, ...): every one of them used to break the
// Hermes tool_use templates or lose its meaning there.
const AWKWARD: Record<string, unknown>[] = [
  { type: 'object', properties: { q: { type: ['string', 'null'], description: 'Search text' } }, required: ['q'] },
  { type: 'object', properties: { n: { anyOf: [{ type: 'integer' }, { type: 'null' }], default: null } } },
  { type: 'object', properties: { v: { description: 'Anything at all' }, w: { enum: ['a', 'b'] } } },
  { type: 'object', properties: { item: { $ref: '#/$defs/Item' } }, $defs: { Item: { type: 'object', properties: { id: { type: 'string' }, child: { $ref: '#/$defs/Item' } } } } },
  { type: 'object', properties: { long: { type: 'string', description: 'x'.repeat(5000) } } },
  { type: 'object', properties: { mixed: { type: ['string', 'number', 'null'] }, only: { type: 'null' }, tags: { type: 'array', items: { type: ['string', 'null'] } } } },
  { type: 'object', properties: { opts: { type: 'object', additionalProperties: { type: ['boolean', 'null'] } }, e: { type: 'string', enum: ['x', null] } } },
  { properties: { d: { oneOf: [{ type: 'string', format: 'date' }, { type: 'null' }] } } },
];

function tool(i: number): ToolDef {
  const schema = AWKWARD[i % AWKWARD.length];
  return { name: `tool_${i}`, serverToolName: `tool_${i}`, server: 0, description: `Tool number ${i}. ${'Long text. '.repeat(i % 5 === 0 ? 200 : 1)}`, inputSchema: schema };
}

const MANY = Array.from({ length: 118 }, (_, i) => tool(i));

function sampleOffering(tools: ToolDef[]): Sample {
  return {
    id: 'many',
    seedId: 'many',
    source: 'seed',
    scenario: 'standard',
    tool_name: 'tool_0',
    tools: tools.map((t) => t.name),
    messages: [
      { role: 'user', content: 'Find "zebra".' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', name: 'tool_0', arguments: { q: 'zebra' } }] },
      { role: 'tool', tool_call_id: 'c1', name: 'tool_0', content: '{"hits": 2}' },
      { role: 'assistant', content: 'Two hits.' },
    ],
    meta: { provider: 'offline', model: 'offline', seed: 1 },
  } as Sample;
}

describe('template-safe tool definitions', () => {
  it('turns nullable unions into one type plus "May be null."', () => {
    const p = templateSafeParameters(AWKWARD[0]);
    expect(p.properties).toEqual({ q: { type: 'string', description: `Search text. ${NULLABLE_NOTE}` } });
    expect(templateSafeParameters(AWKWARD[1]).properties).toEqual({ n: { type: 'integer', default: null, description: NULLABLE_NOTE } });
    const mixed = templateSafeParameters(AWKWARD[5]).properties as Record<string, any>;
    expect(mixed.mixed).toEqual({ anyOf: [{ type: 'string' }, { type: 'number' }], description: NULLABLE_NOTE });
    expect(mixed.only).toEqual({ description: NULLABLE_NOTE });
    expect(mixed.tags).toEqual({ type: 'array', items: { type: 'string', description: NULLABLE_NOTE }, description: '' });
    const e = templateSafeParameters(AWKWARD[6]).properties as Record<string, any>;
    expect(e.e).toEqual({ type: 'string', enum: ['x'], description: NULLABLE_NOTE });
    expect(e.opts.additionalProperties).toEqual({ type: 'boolean', description: NULLABLE_NOTE });
    const d = templateSafeParameters(AWKWARD[7]);
    expect(d).toEqual({ type: 'object', properties: { d: { type: 'string', format: 'date', description: NULLABLE_NOTE } } });
  });

  it('infers missing types, inlines $refs (recursion stops) and cuts long descriptions', () => {
    const p = templateSafeParameters(AWKWARD[2]).properties as Record<string, any>;
    expect(p.v).toEqual({ description: 'Anything at all' });
    expect(p.w).toEqual({ type: 'string', enum: ['a', 'b'], description: '' });
    const ref = templateSafeParameters(AWKWARD[3]);
    expect(ref.$defs).toBeUndefined();
    expect((ref.properties as any).item).toEqual({
      type: 'object',
      properties: { id: { type: 'string' }, child: { type: 'object', description: 'recursive: same shape as Item.' } },
      description: '',
    });
    const long = (templateSafeParameters(AWKWARD[4]).properties as any).long.description as string;
    expect(long.length).toBe(MAX_DESCRIPTION);
    expect(long.endsWith('…')).toBe(true);
    expect(toFunctionTool(MANY[0]).function.description.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
  });

  it('leaves the original schema alone (the lock file and QC keep it)', () => {
    const before = JSON.stringify(MANY.map((t) => t.inputSchema));
    for (const t of MANY) toFunctionTool(t);
    expect(JSON.stringify(MANY.map((t) => t.inputSchema))).toBe(before);
  });

  it.each(hermesTemplates.map((t) => [t.name, t] as const))('a 118-tool row with nullable unions renders under %s', (_name, t) => {
    const row = toHf(sampleOffering(MANY), MANY);
    const check = checkRender(t, row, FORMATS.hf.parse(row));
    expect(check).toEqual({ missingCalls: 0, stringArguments: 0, missingResults: 0, missingTools: 0 });
    // Every parameter got a Python type, none is an endless Union.
    const text = applyChatTemplate(t, row.messages, row.tools);
    expect(text).toContain('tool_0(q: str)');
    expect(text).toContain('tool_117(');
  });

  it.each(hermesTemplates.map((t) => [t.name, t] as const))('the same tools with their original schemas do not render under %s', (_name, t) => {
    const row = toHf(sampleOffering(MANY), MANY);
    const raw = MANY.map((x) => ({ type: 'function', function: { name: x.name, description: x.description, parameters: x.inputSchema } }));
    expect(() => applyChatTemplate(t, row.messages, raw)).toThrow();
    // One nullable parameter is enough: for "null" the type macro loops over the string's characters,
    // each again a string: jinja2 recurses until RecursionError; @huggingface/jinja refuses to loop
    // over a string. Either way the row does not render.
    const one = [{ type: 'function', function: { name: 'f', description: 'd', parameters: AWKWARD[0] } }];
    expect(() => applyChatTemplate(t, row.messages, one)).toThrow(/call stack|Expected iterable or object type in for loop: got StringValue/);
  });

  it('renders under the Qwen templates too', () => {
    for (const t of templates.filter((x) => /qwen/i.test(x.name))) {
      const row = toHf(sampleOffering(MANY), MANY);
      expect(checkRender(t, row, FORMATS.hf.parse(row))).toEqual({ missingCalls: 0, stringArguments: 0, missingResults: 0, missingTools: 0 });
    }
  });
});
