// Validation of a batch input file (JSONL): each line parses, has a unique custom_id, method POST,
// the batch's endpoint as url, a body, and all lines name the same model. Errors carry line numbers.

export interface BatchLine {
  customId: string;
  body: Record<string, unknown>;
  line: number;
}

export interface BatchLineError {
  code: string;
  message: string;
  param: string | null;
  line: number | null;
}

export const MAX_BATCH_REQUESTS = 50_000;
/** The API reports at most this many validation errors. */
const MAX_ERRORS = 100;

export function validateBatchInput(text: string, endpoint: string): { lines: BatchLine[]; errors: BatchLineError[]; model?: string } {
  const lines: BatchLine[] = [];
  const errors: BatchLineError[] = [];
  const seen = new Set<string>();
  let model: { name: string; line: number } | undefined;
  const add = (code: string, message: string, param: string | null, line: number | null) => {
    if (errors.length < MAX_ERRORS) errors.push({ code, message, param, line });
  };
  text.split('\n').forEach((rawLine, i) => {
    const n = i + 1;
    if (!rawLine.trim()) return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(rawLine);
      if (!row || typeof row !== 'object' || Array.isArray(row)) throw new Error('not an object');
    } catch {
      add('invalid_json_line', 'This line is not parseable as valid JSON.', null, n);
      return;
    }
    if (typeof row.custom_id !== 'string' || !row.custom_id) {
      add('missing_required_parameter', "Missing required parameter: 'custom_id'.", 'custom_id', n);
      return;
    }
    if (seen.has(row.custom_id)) {
      add('duplicate_custom_id', 'The custom_id for this request is a duplicate of another request. The custom_id parameter must be unique for each request in a batch.', 'custom_id', n);
      return;
    }
    seen.add(row.custom_id);
    if (row.method !== 'POST') {
      add('invalid_method', `Invalid value for 'method': ${JSON.stringify(row.method ?? null)}. Only 'POST' is supported.`, 'method', n);
      return;
    }
    if (row.url !== endpoint) {
      add('invalid_url', `The URL provided for this request (${JSON.stringify(row.url ?? null)}) does not match the batch endpoint '${endpoint}'.`, 'url', n);
      return;
    }
    const body = row.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      add('missing_required_parameter', "Missing required parameter: 'body'.", 'body', n);
      return;
    }
    const name = (body as Record<string, unknown>).model;
    if (typeof name !== 'string') {
      add('missing_required_parameter', "Missing required parameter: 'body.model'.", 'body.model', n);
      return;
    }
    if (!model) model = { name, line: n };
    else if (model.name !== name) {
      add('mismatched_model', `Each batch input file can only include requests to a single model: line ${model.line} uses '${model.name}' and this line uses '${name}'.`, 'body.model', n);
      return;
    }
    lines.push({ customId: row.custom_id, body: body as Record<string, unknown>, line: n });
  });
  if (lines.length === 0 && errors.length === 0) {
    add('empty_file', 'The batch input file is empty. Please ensure that the batch contains at least one request.', null, null);
  }
  if (lines.length > MAX_BATCH_REQUESTS) {
    add('too_many_requests', `The batch input file has ${lines.length} requests, more than the limit of ${MAX_BATCH_REQUESTS} per batch. Split it into several batches.`, null, null);
  }
  return { lines, errors, model: model?.name };
}
