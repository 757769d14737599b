// A minimal multipart/form-data parser (RFC 7578), enough for the SDK's `files.create` uploads.

export interface FormPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]) : undefined;
}

function headerParam(header: string, param: string): string | undefined {
  const m = new RegExp(`(?:^|[;\\s])${param}\\*?=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, 'i').exec(header);
  if (!m) return undefined;
  const raw = m[1] ?? m[2];
  return raw.startsWith("utf-8''") ? decodeURIComponent(raw.slice(7)) : raw.replace(/\\(.)/g, '$1');
}

/** Splits a multipart body into its parts; throws on a malformed body. */
export function parseMultipart(body: Buffer, boundary: string): FormPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new Error('multipart body does not contain its boundary');
  while (true) {
    pos += delimiter.length;
    if (body.slice(pos, pos + 2).toString() === '--') break; // closing delimiter
    if (body.slice(pos, pos + 2).toString() === '\r\n') pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw new Error('multipart part has no header terminator');
    const headers = body.slice(pos, headerEnd).toString('utf8').split('\r\n');
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
    if (next < 0) throw new Error('multipart part is not terminated by the boundary');
    const data = body.slice(headerEnd + 4, next);
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const type = headers.find((h) => /^content-type:/i.test(h));
    const name = headerParam(disposition, 'name');
    if (name !== undefined) {
      parts.push({ name, filename: headerParam(disposition, 'filename'), contentType: type?.split(':')[1]?.trim(), data });
    }
    pos = next + 2;
  }
  return parts;
}
