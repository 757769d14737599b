// What a property's NAME says about its values: `city` is a city, `email` an address, `limit` a small
// count. Faker fills the strings (seeded by the caller before each use); numbers get sensible ranges.
// Rules are checked in order against the name's lower-case words (`userEmail` -> user, email).
import type { Faker } from '@faker-js/faker';

/** Makes a string for a property; `maxLength` lets a maker pick a short form (country code, not name). */
export type StringMaker = (faker: Faker, edge: boolean, maxLength: number) => string;

export interface StringHint {
  make: StringMaker;
  /** Free text (descriptions, messages): very long values are a fair edge case. */
  text: boolean;
}

/** `createdAt`, `first_name`, `X-Request-ID` -> ['created', 'at'], ['first', 'name'], ['x', 'request', 'id']. */
export function nameWords(name: string | undefined): string[] {
  if (!name) return [];
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const has = (words: string[], ...any: string[]) => any.some((w) => words.includes(w));
const last = (words: string[], ...any: string[]) => any.includes(words[words.length - 1]);
const slug = (f: Faker) => `${f.word.adjective()}-${f.word.noun()}`.toLowerCase().replace(/[^a-z0-9-]/g, '');
const title = (f: Faker) => {
  const text = f.word.words({ count: { min: 2, max: 5 } });
  return text.charAt(0).toUpperCase() + text.slice(1);
};
const sentence = (f: Faker) => {
  const text = f.helpers.arrayElement([() => f.hacker.phrase(), () => f.company.catchPhrase(), () => `${title(f)}.`])();
  return /[.!?]$/.test(text) ? text : `${text}.`;
};

const UNICODE_NAMES = ['José Ñúñez', 'Zoë Ångström', 'Łukasz Żółć', 'Søren Kierkegård', 'Amélie Poulain-Dübois', '李小龍', 'Ōtani Shōhei', 'Nguyễn Thị Minh'];
const UNICODE_CITIES = ['São Paulo', 'Zürich', 'Kraków', 'Reykjavík', 'Malmö', 'Düsseldorf', '東京', 'Ciudad de México'];
const UNICODE_TEXT = ['Café au lait — naïve résumé ☕', 'Grüße aus Köln! 🎉', 'Ελληνικά και русский текст', '日本語のテキスト、絵文字付き 🚀'];

/** String rules, most specific first. */
const STRING_RULES: [(w: string[]) => boolean, StringMaker][] = [
  [(w) => has(w, 'email', 'mail'), (f, e) => (e ? `${f.person.firstName().toLowerCase()}.o'neil+test@mail.example.co.uk` : f.internet.email())],
  [(w) => has(w, 'url', 'uri', 'link', 'href', 'website', 'homepage', 'endpoint', 'webhook'), (f) => f.internet.url()],
  [(w) => has(w, 'uuid', 'guid'), (f) => f.string.uuid()],
  [(w) => has(w, 'username', 'login', 'handle', 'owner', 'author', 'assignee') || (last(w, 'user') && w.length <= 2), (f) => f.internet.username()],
  [(w) => (has(w, 'first') && has(w, 'name')) || has(w, 'firstname', 'given'), (f, e) => (e ? f.helpers.arrayElement(['José', 'Zoë', 'Łukasz', 'Søren']) : f.person.firstName())],
  [(w) => ((has(w, 'last', 'family') && has(w, 'name')) || has(w, 'lastname', 'surname')), (f, e) => (e ? f.helpers.arrayElement(['Ñúñez', 'Ångström', 'Żółć', "O'Brien-Smith"]) : f.person.lastName())],
  [(w) => has(w, 'filename') || (has(w, 'file') && has(w, 'name')), (f) => f.system.fileName()],
  [(w) => has(w, 'file', 'filepath', 'path', 'source', 'destination'), (f) => `/home/${f.internet.username().toLowerCase().replace(/[^a-z0-9]/g, '')}/${f.word.noun()}/${f.system.commonFileName(f.system.commonFileExt())}`],
  [(w) => has(w, 'dir', 'directory', 'folder', 'cwd'), (f) => `/home/${f.word.noun()}/${f.word.noun()}`],
  [(w) => has(w, 'city', 'town'), (f, e) => (e ? f.helpers.arrayElement(UNICODE_CITIES) : f.location.city())],
  [(w) => has(w, 'country') && has(w, 'code'), (f, _e, max) => f.location.countryCode(max >= 3 && max < 8 ? 'alpha-3' : 'alpha-2')],
  [(w) => has(w, 'country'), (f, _e, max) => (max <= 3 ? f.location.countryCode(max === 3 ? 'alpha-3' : 'alpha-2') : f.location.country())],
  [(w) => has(w, 'state', 'province', 'region'), (f, _e, max) => f.location.state({ abbreviated: max <= 3 })],
  [(w) => has(w, 'zip', 'postal', 'postcode', 'zipcode'), (f) => f.location.zipCode()],
  [(w) => has(w, 'street'), (f) => f.location.street()],
  [(w) => has(w, 'address'), (f) => f.location.streetAddress(true)],
  [(w) => has(w, 'timezone', 'tz'), (f) => f.location.timeZone()],
  [(w) => has(w, 'phone', 'mobile', 'tel', 'telephone', 'fax'), (f) => f.phone.number({ style: 'international' })],
  [(w) => has(w, 'company', 'organization', 'organisation', 'org', 'employer', 'business'), (f) => f.company.name()],
  [(w) => has(w, 'currency'), (f) => f.finance.currencyCode()],
  [(w) => has(w, 'locale') || (has(w, 'language', 'lang') && has(w, 'code')), (f) => f.location.language().alpha2],
  [(w) => has(w, 'language', 'lang'), (f, _e, max) => (max <= 3 ? f.location.language().alpha2 : f.location.language().name)],
  [(w) => has(w, 'color', 'colour'), (f) => f.color.human()],
  [(w) => has(w, 'datetime', 'timestamp') || last(w, 'at'), (f) => isoDate(f).replace(/\.\d{3}Z$/, 'Z')],
  [(w) => has(w, 'date', 'day', 'birthday', 'dob', 'since', 'until'), (f) => isoDate(f).slice(0, 10)],
  [(w) => has(w, 'time'), (f) => isoDate(f).slice(11, 16)],
  [(w) => has(w, 'sql'), (f) => `SELECT * FROM ${f.word.noun()} LIMIT ${f.number.int({ min: 5, max: 50 })}`],
  [(w) => has(w, 'query', 'search', 'keyword', 'keywords', 'q', 'term', 'terms', 'prompt', 'question', 'topic'), (f) => f.word.words({ count: { min: 2, max: 4 } })],
  [(w) => has(w, 'command', 'cmd'), (f) => f.helpers.arrayElement(['ls -la', 'git status', 'npm test', 'echo hello'])],
  [(w) => has(w, 'branch'), (f) => `feature/${slug(f)}`],
  [(w) => has(w, 'repo', 'repository'), (f) => `${f.internet.username().toLowerCase().replace(/[^a-z0-9-]/g, '')}/${slug(f)}`],
  [(w) => has(w, 'host', 'hostname', 'domain'), (f) => f.internet.domainName()],
  [(w) => has(w, 'ip'), (f) => f.internet.ipv4()],
  [(w) => has(w, 'title', 'subject', 'headline', 'heading'), (f) => title(f)],
  [(w) => has(w, 'description', 'summary', 'body', 'text', 'message', 'content', 'contents', 'note', 'notes', 'comment', 'observation', 'observations', 'bio', 'details', 'reason', 'instructions'),
    (f, e) => (e ? `${longText(f, 600)} ${f.helpers.arrayElement(UNICODE_TEXT)}` : sentence(f))],
  [(w) => has(w, 'tag', 'tags', 'label', 'labels', 'category', 'categories', 'kind', 'type'), (f) => f.word.noun()],
  [(w) => has(w, 'password', 'secret', 'passphrase'), (f) => f.internet.password({ length: 16 })],
  [(w) => has(w, 'token', 'key', 'apikey'), (f) => f.string.alphanumeric(24)],
  [(w) => last(w, 'id', 'ids', 'identifier'), (f) => (f.datatype.boolean() ? f.string.uuid() : f.string.alphanumeric({ length: 10, casing: 'lower' }))],
  [(w) => has(w, 'name') && has(w, 'project', 'bucket', 'table', 'database', 'db', 'index', 'collection', 'package', 'app', 'service', 'model', 'tool', 'workspace', 'channel', 'team', 'key', 'field', 'column', 'sheet', 'entity', 'resource'),
    (f) => slug(f)],
  [(w) => has(w, 'name', 'fullname', 'person', 'contact', 'customer'), (f, e) => (e ? f.helpers.arrayElement(UNICODE_NAMES) : f.person.fullName())],
];

const TEXT_RULE = STRING_RULES.findIndex(([test]) => test(['description']));
/** Rules that say little about a value's shape (a person, an opaque id, generic words): a description may say more. */
const WEAK_RULES = [['contact'], ['id'], ['tag']].map((w) => STRING_RULES.findIndex(([test]) => test(w)));

/** Generic text when the name says nothing. */
const genericString: StringMaker = (f, edge) => (edge ? f.helpers.arrayElement(UNICODE_TEXT) : f.word.words({ count: { min: 1, max: 3 } }));

const idish = (w: string[]) => last(w, 'id', 'ids', 'identifier');
const upperAlnum = (f: Faker, n: number) => f.string.alphanumeric({ length: n, casing: 'upper' });
const dnsLabel = (f: Faker) => {
  const label = `${slug(f)}${f.datatype.boolean() ? `-${f.string.alphanumeric({ length: 5, casing: 'lower' })}` : ''}`.replace(/^-+|-+$/g, '');
  return label.slice(0, 63).replace(/-+$/, '') || 'app';
};
const K8S = /\b(kubernetes|k8s|pods?|namespaces?|deployments?|statefulsets?|daemonsets?|configmaps?|helm|kubectl|cluster resources?)\b/;

/**
 * Field kinds that the name and the DESCRIPTION say together, before the name alone: a Slack
 * channel id looks like C0123ABCD (not a UUID), a Kubernetes resource name is a DNS label (not a
 * person's name), a description that asks for a path, URL or email gets one.
 */
const FIELD_RULES: [(w: string[], d: string) => boolean, StringMaker][] = [
  [(w, d) => /discord/.test(d) && idish(w), (f) => f.string.numeric({ length: 18, allowLeadingZeros: false })],
  [(w, d) => has(w, 'channel') && (idish(w) || /\bchannel id\b/.test(d)), (f) => `C${upperAlnum(f, f.number.int({ min: 8, max: 10 }))}`],
  [(w, d) => /slack/.test(d) && has(w, 'user') && idish(w), (f) => `U${upperAlnum(f, f.number.int({ min: 8, max: 10 }))}`],
  [(w, d) => /slack/.test(d) && has(w, 'team', 'workspace') && idish(w), (f) => `T${upperAlnum(f, f.number.int({ min: 8, max: 10 }))}`],
  [(w, d) => (has(w, 'ts', 'thread') && /slack|message|timestamp/.test(d)) || (has(w, 'thread') && idish(w)), (f) => `${f.number.int({ min: 1_700_000_000, max: 1_760_000_000 })}.${f.string.numeric(6)}`],
  [(w, d) => (has(w, 'namespace', 'pod', 'deployment') || (K8S.test(d) && has(w, 'name', 'resource'))) && !has(w, 'type', 'kind'), dnsLabel],
  [(w, d) => (has(w, 'sha', 'commit') && !has(w, 'message')) || /\b(commit sha|git sha|sha of the commit)\b/.test(d), (f) => f.git.commitSha()],
  [(w, d) => has(w, 'version', 'semver') || /\bsemver\b|semantic version/.test(d), (f) => `${f.number.int({ min: 0, max: 9 })}.${f.number.int({ min: 0, max: 30 })}.${f.number.int({ min: 0, max: 40 })}`],
  [(w, d) => has(w, 'cron', 'crontab') || /\bcron expression\b/.test(d), (f) => f.helpers.arrayElement(['0 9 * * 1-5', '*/15 * * * *', '30 2 * * *', '0 0 1 * *', '0 */6 * * *'])],
  [(_w, d) => /\bhex(adecimal)? colou?r\b/.test(d), (f) => f.color.rgb({ format: 'hex', casing: 'lower' })],
];

/** What the description alone says a field holds, for names that say nothing. */
const DESCRIPTION_RULES: [RegExp, StringMaker][] = [
  [/\be-?mail address\b/, (f) => f.internet.email()],
  [/\b(url|uri|link|web address)\b/, (f) => f.internet.url()],
  [/\buuid\b|\bguid\b/, (f) => f.string.uuid()],
  [/\b(directory|folder)\b/, (f) => `/home/${f.word.noun()}/${f.word.noun()}`],
  [/\b(file path|absolute path|relative path|path to|path of|filename|file name)\b/, (f) => `/home/${f.internet.username().toLowerCase().replace(/[^a-z0-9]/g, '')}/${f.word.noun()}/${f.system.commonFileName(f.system.commonFileExt())}`],
  [/yyyy-mm-dd|iso ?8601 date\b|^(the )?date\b/, (f) => isoDate(f).slice(0, 10)],
  [/\bip address\b/, (f) => f.internet.ipv4()],
  [/\bcountry code\b/, (f) => f.location.countryCode('alpha-2')],
  [/\blanguage code\b/, (f) => f.location.language().alpha2],
  [/\bphone number\b/, (f) => f.phone.number({ style: 'international' })],
  [/^(the )?(name of the )?city\b|\bcity name\b/, (f) => f.location.city()],
];

/** Example values a description gives (`e.g. "London" or "Paris, FR"`, `such as C0123ABCD`). */
export function descriptionExamples(description: string | undefined): string[] {
  if (!description) return [];
  const out: string[] = [];
  for (const m of description.matchAll(/\b(?:e\.g\.|eg\.|for example|for instance|example|such as|like)\s*[:,]?\s*([^.;)\n]*(?:\.[a-z0-9][^.;)\n]*)*)/gi)) {
    const tail = m[1];
    const quoted = [...tail.matchAll(/"([^"]{1,80})"|'([^']{1,80})'|`([^`]{1,80})`/g)].map((q) => q[1] ?? q[2] ?? q[3]);
    if (quoted.length) out.push(...quoted);
    else {
      const token = /^([A-Za-z0-9][\w./:@#-]{1,80})/.exec(tail.trim())?.[1]?.replace(/[,]+$/, '');
      if (token && idLike(token)) out.push(token);
    }
  }
  return [...new Set(out)];
}

/** An identifier-shaped example (no spaces; digits, inner capitals or separators): C0123ABCD, PROJ-42, v1.2.3. */
export function idLike(example: string): boolean {
  return !/\s/.test(example) && example.length >= 3 && (/\d/.test(example) || /[a-z][A-Z]|[A-Z]{2,}/.test(example) || /[-_/.:]/.test(example));
}

/** A value of the same shape as an example: a letter prefix kept (C, PROJ-), digits and letters redrawn by class. */
export function shapeLike(example: string, f: Faker): string {
  const prefix = /^[A-Z]{1,5}(?=[-_]?\d)[-_]?|^[a-z]{1,5}[-_/:]|^v(?=\d)/.exec(example)?.[0] ?? '';
  const rest = [...example.slice(prefix.length)].map((c) => {
    if (/[0-9]/.test(c)) return String(f.number.int({ min: 0, max: 9 }));
    if (/[A-Z]/.test(c)) return f.string.alpha({ length: 1, casing: 'upper' });
    if (/[a-z]/.test(c)) return f.string.alpha({ length: 1, casing: 'lower' });
    return c;
  });
  return prefix + rest.join('');
}

/**
 * How to make a string for a property, from its name and (when given) its description: the kinds
 * the two say together first, then an identifier shaped like the description's example, then the
 * name's rules, then what the description alone says, then generic words.
 */
export function stringHint(name: string | undefined, description?: string): StringHint {
  const words = nameWords(name);
  const d = (description ?? '').toLowerCase();
  const field = FIELD_RULES.find(([test]) => test(words, d));
  if (field) return { make: field[1], text: false };
  const index = words.length ? STRING_RULES.findIndex(([test]) => test(words)) : -1;
  const examples = descriptionExamples(description);
  const shaped = examples.filter(idLike);
  if (shaped.length && (index < 0 || idish(words) || index === TEXT_RULE)) return { make: (f) => shapeLike(f.helpers.arrayElement(shaped), f), text: false };
  // The description's kind wins over a name that only says "a person" or "an id" (`contact`: "Email address of ...").
  const described = d ? DESCRIPTION_RULES.find(([re]) => re.test(d)) : undefined;
  if (described && (index < 0 || WEAK_RULES.includes(index))) return { make: described[1], text: false };
  if (index >= 0) return { make: STRING_RULES[index][1], text: index === TEXT_RULE };
  if (examples.length) return { make: (f) => f.helpers.arrayElement(examples), text: false };
  return { make: genericString, text: true };
}

/** Edge-mode text of roughly `length` code points (for "very long" values). */
export function longText(f: Faker, length: number): string {
  // a handful of sentences, cycled: faker text is slow and length matters here, not variety
  const pool = Array.from({ length: 6 }, () => `${sentence(f)} `);
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < length; i++) {
    parts.push(pool[i % pool.length]);
    size += pool[i % pool.length].length;
  }
  return [...parts.join('')].slice(0, length).join('').trimEnd() || 'x';
}

export interface NumberHint {
  min: number;
  max: number;
  decimals: number;
}

const NUMBER_RULES: [(w: string[]) => boolean, NumberHint][] = [
  [(w) => has(w, 'lat', 'latitude'), { min: -90, max: 90, decimals: 4 }],
  [(w) => has(w, 'lon', 'lng', 'long', 'longitude'), { min: -180, max: 180, decimals: 4 }],
  [(w) => has(w, 'age'), { min: 18, max: 90, decimals: 0 }],
  [(w) => has(w, 'year'), { min: 1990, max: 2030, decimals: 0 }],
  [(w) => has(w, 'month'), { min: 1, max: 12, decimals: 0 }],
  [(w) => has(w, 'day'), { min: 1, max: 28, decimals: 0 }],
  [(w) => has(w, 'hour', 'hours'), { min: 0, max: 23, decimals: 0 }],
  [(w) => has(w, 'minute', 'minutes', 'second', 'seconds'), { min: 0, max: 59, decimals: 0 }],
  [(w) => has(w, 'port'), { min: 1024, max: 65535, decimals: 0 }],
  [(w) => has(w, 'ms', 'millis', 'milliseconds'), { min: 100, max: 5000, decimals: 0 }],
  [(w) => has(w, 'timeout', 'duration', 'delay', 'interval', 'ttl'), { min: 1, max: 60, decimals: 0 }],
  [(w) => has(w, 'page'), { min: 1, max: 10, decimals: 0 }],
  [(w) => has(w, 'offset', 'skip', 'start', 'index', 'line', 'from'), { min: 0, max: 100, decimals: 0 }],
  [(w) => has(w, 'limit', 'count', 'size', 'max', 'top', 'n', 'num', 'number', 'k', 'head', 'tail', 'depth', 'steps', 'retries'), { min: 1, max: 50, decimals: 0 }],
  [(w) => has(w, 'price', 'amount', 'cost', 'total', 'balance', 'salary', 'budget'), { min: 1, max: 1000, decimals: 2 }],
  [(w) => has(w, 'percent', 'percentage'), { min: 0, max: 100, decimals: 1 }],
  [(w) => has(w, 'ratio', 'probability', 'threshold', 'confidence'), { min: 0, max: 1, decimals: 2 }],
  [(w) => has(w, 'temperature', 'temp'), { min: -10, max: 40, decimals: 1 }],
  [(w) => has(w, 'quantity', 'qty'), { min: 1, max: 20, decimals: 0 }],
  [(w) => has(w, 'rating', 'score', 'stars'), { min: 1, max: 5, decimals: 1 }],
  [(w) => has(w, 'width', 'height'), { min: 100, max: 1920, decimals: 0 }],
  [(w) => has(w, 'zoom'), { min: 1, max: 18, decimals: 0 }],
  [(w) => has(w, 'radius', 'distance', 'km', 'miles'), { min: 1, max: 50, decimals: 1 }],
  [(w) => last(w, 'id') || has(w, 'identifier'), { min: 1, max: 10000, decimals: 0 }],
];

export function numberHint(name: string | undefined): NumberHint {
  const words = nameWords(name);
  return NUMBER_RULES.find(([test]) => test(words))?.[1] ?? { min: 1, max: 100, decimals: 2 };
}

function isoDate(f: Faker): string {
  return f.date.between({ from: '2018-01-01T00:00:00Z', to: '2029-12-31T23:59:59Z' }).toISOString();
}
