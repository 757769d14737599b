// OpenAI error bodies: `{"error": {message, type, param, code}}`, with the wording the real API uses
// (quoted in the project notes) so clients can be tested against the exact text.

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
  body(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export function invalidRequest(message: string, param: string | null = null, code: string | null = null, status = 400): ApiError {
  return new ApiError(status, message, 'invalid_request_error', param, code);
}

export function unsupportedParameter(param: string, hint = ''): ApiError {
  return invalidRequest(`Unsupported parameter: '${param}' is not supported with this model.${hint}`, param, 'unsupported_parameter');
}

/** Python-style list: 'a', 'b', and 'c'. */
export function quotedList(values: string[]): string {
  const q = values.map((v) => `'${v}'`);
  if (q.length <= 1) return q.join('');
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

export function unsupportedValue(param: string, shown: string, supported: string): ApiError {
  return invalidRequest(`Unsupported value: '${param}' does not support ${shown} with this model. ${supported}`, param, 'unsupported_value');
}

export function missingParameter(param: string): ApiError {
  return invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
}

export function invalidType(param: string, expected: string, got: unknown): ApiError {
  const kind = got === null ? 'null' : Array.isArray(got) ? 'an array' : typeof got === 'object' ? 'an object' : `a ${typeof got}`;
  return invalidRequest(`Invalid type for '${param}': expected ${expected}, but got ${kind} instead.`, param, 'invalid_type');
}

export function modelNotFound(model: string): ApiError {
  return new ApiError(404, `The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', null, 'model_not_found');
}

export function missingApiKey(): ApiError {
  return new ApiError(
    401,
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
    'invalid_request_error',
  );
}

export function incorrectApiKey(): ApiError {
  // The real message echoes a masked key; this server never repeats any part of a key.
  return new ApiError(401, 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', null, 'invalid_api_key');
}

export function serverError(): ApiError {
  return new ApiError(500, 'The server had an error while processing your request. Sorry about that!', 'server_error');
}

export function insufficientQuota(): ApiError {
  return new ApiError(
    429,
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
    'insufficient_quota',
    null,
    'insufficient_quota',
  );
}

export function invalidJsonBody(): ApiError {
  return invalidRequest(
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
  );
}

export function invalidUrl(method: string, path: string): ApiError {
  return invalidRequest(`Invalid URL (${method} ${path})`, null, null, 404);
}

export function noSuchObject(kind: 'File' | 'Batch', id: string): ApiError {
  return invalidRequest(`No such ${kind} object: ${id}`, 'id', null, 404);
}
