// Object ids in OpenAI's style (file-…, batch_…, req_…). They only need to be unique, not reproducible.
import { randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function randomBase62(length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += BASE62[randomInt(62)];
  return s;
}

export function newId(prefix: string, length = 24): string {
  return `${prefix}${randomBase62(length)}`;
}

export function newRequestId(): string {
  let hex = '';
  for (let i = 0; i < 32; i++) hex += randomInt(16).toString(16);
  return `req_${hex}`;
}
