// Plausible strings for a property from its name or `format`, used when the user gave no value.
import type { Rng } from './rng';

const FIRST = ['Ana', 'Ben', 'Chloe', 'Diego', 'Elif', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kira', 'Liam'];
const LAST = ['Silva', 'Okafor', 'Martin', 'Nakamura', 'Kowalski', 'Haddad', 'Jensen', 'Moreau', 'Rossi', 'Park'];
const CITIES = ['Lisbon', 'Nairobi', 'Osaka', 'Toronto', 'Berlin', 'Lima', 'Melbourne', 'Seoul', 'Madrid', 'Oslo'];
const COUNTRIES = ['Portugal', 'Kenya', 'Japan', 'Canada', 'Germany', 'Peru', 'Australia', 'Norway'];
const WORDS = [
  'quarterly', 'report', 'summary', 'project', 'alpha', 'review', 'draft', 'budget', 'update', 'meeting',
  'notes', 'release', 'customer', 'invoice', 'garden', 'travel', 'plan', 'weekly', 'status', 'design',
];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function date(rng: Rng): string {
  return `${rng.int(2024, 2026)}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`;
}

function time(rng: Rng): string {
  return `${pad(rng.int(0, 23))}:${pad(rng.pick([0, 15, 30, 45]))}:00`;
}

export function uuid(rng: Rng): string {
  const h = rng.hex(32);
  const variant = '89ab'[rng.int(0, 3)];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function words(rng: Rng, min = 2, max = 4): string {
  const n = rng.int(min, max);
  return Array.from({ length: n }, () => rng.pick(WORDS)).join(' ');
}

/** A value for a JSON Schema `format`; undefined for formats this server does not know. */
export function stringForFormat(format: string, rng: Rng): string | undefined {
  switch (format) {
    case 'date': return date(rng);
    case 'date-time': return `${date(rng)}T${time(rng)}Z`;
    case 'time': return `${time(rng)}Z`;
    case 'iso-time': return time(rng);
    case 'iso-date-time': return `${date(rng)}T${time(rng)}`;
    case 'duration': return rng.pick(['P3D', 'PT2H', 'PT45M', 'P1W', 'P1M']);
    case 'email': case 'idn-email': return `${rng.pick(FIRST)}.${rng.pick(LAST)}@example.com`.toLowerCase();
    case 'hostname': case 'idn-hostname': return `${rng.pick(WORDS)}.example.com`;
    case 'ipv4': return `192.168.${rng.int(0, 255)}.${rng.int(1, 254)}`;
    case 'ipv6': return `2001:db8::${rng.hex(4)}`;
    case 'uri': case 'url': case 'iri': return `https://example.com/${rng.pick(WORDS)}/${rng.int(1, 999)}`;
    case 'uri-reference': case 'iri-reference': return `/docs/${rng.pick(WORDS)}`;
    case 'uri-template': return `https://example.com/{${rng.pick(WORDS)}}`;
    case 'uuid': return uuid(rng);
    case 'regex': return '^[a-z]+$';
    case 'json-pointer': return `/${rng.pick(WORDS)}/0`;
    case 'relative-json-pointer': return '0/name';
    case 'byte': return Buffer.from(rng.pick(WORDS)).toString('base64');
    default: return undefined;
  }
}

/** A plausible string chosen from the property's name. */
export function stringForName(name: string, rng: Rng): string {
  const n = name.toLowerCase();
  if (n.includes('email')) return stringForFormat('email', rng)!;
  if (/(^|_)(url|uri|link|href|website)/.test(n)) return stringForFormat('uri', rng)!;
  if (n.includes('uuid')) return uuid(rng);
  if (/date|day$|_at$|time/.test(n)) return n.includes('time') || n.endsWith('_at') ? stringForFormat('date-time', rng)! : date(rng);
  if (/(^|_)(id|key)$|Id$/.test(name)) return `${n.replace(/_?id$/, '') || 'item'}_${rng.base62(8)}`;
  if (/first.?name/.test(n)) return rng.pick(FIRST);
  if (/last.?name|surname/.test(n)) return rng.pick(LAST);
  if (/(^|_)(name|author|owner|user|person|assignee|customer)/.test(n)) return `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
  if (/city|location|place|destination|origin|town/.test(n)) return rng.pick(CITIES);
  if (n.includes('country')) return rng.pick(COUNTRIES);
  if (/phone|tel/.test(n)) return `+1-555-${pad(rng.int(100, 999), 3)}-${pad(rng.int(1000, 9999), 4)}`;
  if (/path|file|dir/.test(n)) return `/tmp/${rng.pick(WORDS)}.txt`;
  if (/lang/.test(n)) return rng.pick(['en', 'pt', 'ja', 'de']);
  if (/currency/.test(n)) return rng.pick(['USD', 'EUR', 'JPY']);
  if (/colou?r/.test(n)) return rng.pick(['red', 'green', 'blue']);
  if (/title|subject|summary|description|content|body|text|message|note|comment/.test(n)) {
    const s = words(rng, 3, 7);
    return s[0].toUpperCase() + s.slice(1);
  }
  return words(rng, 1, 3);
}
