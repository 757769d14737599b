import { createRng } from '../util/rng';
import { generateFromPattern } from './regex-gen';

describe('generateFromPattern', () => {
  it.each([
    '^[a-z0-9-]+$',
    '^\\d{4}-\\d{2}$',
    '^[A-Z][a-z]{2,8}$',
    '^(?:https?)://[a-z]+\\.(com|org)$',
    '^v?\\d+\\.\\d+\\.\\d+(-[a-z]+)?$',
    '^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$',
    '[A-Z]{3}', // unanchored
    '^\\w+$',
    '^[\\u00e0-\\u00ff]{3}$',
    '^(?<year>\\d{4})$',
    '^a{2,}b*c+?$',
    '^[a-]x$',
    '^[\\]a]x[^]$',
  ])('matches %s', (pattern) => {
    const regex = new RegExp(pattern, 'u');
    for (let seed = 0; seed < 30; seed++) {
      const text = generateFromPattern(pattern, createRng(seed));
      expect(text).toBeDefined();
      expect(regex.test(text as string)).toBe(true);
    }
  });

  it('respects length bounds', () => {
    for (let seed = 0; seed < 30; seed++) {
      const text = generateFromPattern('^[a-z]+$', createRng(seed), { minLength: 4, maxLength: 6 }) as string;
      expect(text.length).toBeGreaterThanOrEqual(4);
      expect(text.length).toBeLessThanOrEqual(6);
    }
  });

  it('gives up on what it cannot generate', () => {
    expect(generateFromPattern('^(?!admin).*$', createRng(1))).toBeUndefined();
    expect(generateFromPattern('^(a)\\1$', createRng(1))).toBeUndefined();
    expect(generateFromPattern('([', createRng(1))).toBeUndefined();
  });

  it('is deterministic for a seed', () => {
    expect(generateFromPattern('^[a-z]{3,12}$', createRng(5))).toBe(generateFromPattern('^[a-z]{3,12}$', createRng(5)));
  });
});
