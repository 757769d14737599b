// Values that fit their field: for each (schema, description) the generated value validates against
// the schema and has the kind the name and description ask for, over many seeds.
import { createRng } from '../util/rng';
import { sampleValue } from './sample';
import { descriptionExamples, shapeLike } from './name-hints';
import { seededFaker } from './sample-leaves';
import { validateAgainst } from './validator';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const ABS_PATH = /^\/[\w.-]+(\/[\w.-]+)+$/;

const TABLE: [string, Record<string, unknown>, RegExp][] = [
  ['channel_id', { type: 'string', description: 'The ID of the channel to post to' }, /^C[A-Z0-9]{8,10}$/],
  ['user_id', { type: 'string', description: 'The Slack user ID' }, /^U[A-Z0-9]{8,10}$/],
  ['channel_id', { type: 'string', description: 'Discord channel ID' }, /^[1-9]\d{17}$/],
  ['thread_ts', { type: 'string', description: 'Timestamp of the parent Slack message' }, /^\d{10}\.\d{6}$/],
  ['name', { type: 'string', description: 'Name of the Kubernetes deployment' }, DNS_LABEL],
  ['namespace', { type: 'string', description: 'Kubernetes namespace' }, DNS_LABEL],
  ['resource_name', { type: 'string', description: 'Name of the pod', maxLength: 63 }, DNS_LABEL],
  ['path', { type: 'string', description: 'Absolute path to the file' }, ABS_PATH],
  ['target', { type: 'string', description: 'File path to read' }, ABS_PATH],
  ['target', { type: 'string', description: 'The URL to fetch' }, /^https?:\/\/\S+$/],
  ['contact', { type: 'string', description: 'Email address of the recipient' }, /^[^@\s]+@[^@\s]+\.[a-z]+$/i],
  ['ticket', { type: 'string', description: 'Ticket key, e.g. PROJ-123' }, /^PROJ-\d{3}$/],
  ['issue_id', { type: 'string', description: 'Issue identifier, for example "ENG-4521"' }, /^ENG-\d{4}$/],
  ['ref', { type: 'string', description: 'Commit SHA to check out' }, /^[0-9a-f]{40}$/],
  ['version', { type: 'string', description: 'Package version' }, /^\d+\.\d+\.\d+$/],
  ['schedule', { type: 'string', description: 'A cron expression' }, /^(\S+ ){4}\S+$/],
  ['color', { type: 'string', description: 'Hex color of the label' }, /^#[0-9a-f]{6}$/],
  ['city', { type: 'string', minLength: 1, description: 'City name, e.g. "London" or "Paris, FR"' }, /^[A-Z][\p{L} .'-]+$/u],
  ['homepage', { type: 'string', format: 'uri' }, /^https?:\/\//],
  ['who', { type: 'string', format: 'email' }, /@/],
  ['when', { type: 'string', format: 'date-time' }, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/],
  ['ref', { type: 'string', format: 'uuid' }, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/],
  ['code', { type: 'string', pattern: '^[A-Z]{3}-\\d{4}$' }, /^[A-Z]{3}-\d{4}$/],
  ['status', { type: 'string', enum: ['open', 'closed', 'merged'] }, /^(open|closed|merged)$/],
  ['limit', { type: 'integer', minimum: 1, maximum: 20 }, /^([1-9]|1\d|20)$/],
  ['title', { type: 'string', minLength: 5, maxLength: 12, description: 'Short title' }, /^.{5,12}$/u],
];

describe('values that fit their field', () => {
  it.each(TABLE.map(([name, schema, kind]) => [name, String(schema.description ?? schema.format ?? schema.pattern ?? JSON.stringify(schema)), schema, kind] as const))(
    '%s (%s) validates and has the described kind over 60 seeds',
    (name, _label, schema, kind) => {
      const root = { type: 'object', properties: { [name]: schema }, required: [name] };
      for (let seed = 1; seed <= 60; seed++) {
        const value = sampleValue(root, { rng: createRng(seed) }) as Record<string, unknown>;
        expect(validateAgainst(root, value).errors).toEqual([]);
        expect({ seed, value: String(value[name]), fits: kind.test(String(value[name])) }).toEqual({ seed, value: String(value[name]), fits: true });
        // edge values stay valid too
        expect(validateAgainst(root, sampleValue(root, { rng: createRng(seed), mode: 'edge' })).errors).toEqual([]);
      }
    },
  );

  it('varies across seeds and repeats for a seed', () => {
    const root = { type: 'object', properties: { channel_id: { type: 'string', description: 'Channel ID' } }, required: ['channel_id'] };
    const values = Array.from({ length: 30 }, (_, s) => JSON.stringify(sampleValue(root, { rng: createRng(s) })));
    expect(new Set(values).size).toBeGreaterThan(25);
    expect(JSON.stringify(sampleValue(root, { rng: createRng(4) }))).toBe(values[4]);
  });

  it('reads examples from a description and draws values of the same shape', () => {
    expect(descriptionExamples('City name, e.g. "London" or "Paris, FR"')).toEqual(['London', 'Paris, FR']);
    expect(descriptionExamples('The channel, such as C0123ABCD.')).toEqual(['C0123ABCD']);
    expect(descriptionExamples('Anything you like')).toEqual([]);
    const f = seededFaker(createRng(7));
    for (let i = 0; i < 20; i++) expect(shapeLike('C0123ABCD', f)).toMatch(/^C[0-9]{4}[A-Z]{4}$/);
    expect(shapeLike('PROJ-42', f)).toMatch(/^PROJ-\d{2}$/);
  });
});
