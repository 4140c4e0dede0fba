import { describe, expect, test } from 'vitest';
import { parseRating } from '../../src/library/index.ts';

describe('parseRating: every scale onto AO3 levels, text kept as written', () => {
  test.each([
    // AO3's own names
    ['General Audiences', 'General Audiences', 'general'],
    ['Teen And Up Audiences', 'Teen And Up Audiences', 'teen'],
    ['Mature', 'Mature', 'mature'],
    ['Explicit', 'Explicit', 'explicit'],
    ['Not Rated', 'Not Rated', 'unrated'],
    // fanfiction.net
    ['K', 'K', 'general'],
    ['K+', 'K+', 'general'],
    ['T', 'T', 'teen'],
    ['M', 'M', 'mature'],
    ['MA', 'MA', 'explicit'],
    // film-style
    ['G', 'G', 'general'],
    ['PG', 'PG', 'general'],
    ['PG-13', 'PG-13', 'teen'],
    ['PG13', 'PG13', 'teen'],
    ['R', 'R', 'mature'],
    ['NC-17', 'NC-17', 'explicit'],
    ['NC17', 'NC17', 'explicit'],
    // other common spellings
    ['FR15', 'FR15', 'mature'],
    ['Adult', 'Adult', 'explicit'],
    ['teen', 'teen', 'teen'],
    ['gen', 'gen', 'general'],
  ])('%s', (written, rating, level) => {
    expect(parseRating(written)).toEqual({ rating, level, rest: '' });
  });

  test.each([
    ['R; Allusions to non-con and gore.', 'R', 'mature', 'Allusions to non-con and gore.'],
    ['NC-17 for sex', 'NC-17', 'explicit', 'for sex'],
    ['PG-13 (language)', 'PG-13', 'teen', 'language)'],
    ['Mature, for violence', 'Mature', 'mature', 'for violence'],
  ])('%s: the rating, then whatever follows it', (written, rating, level, rest) => {
    expect(parseRating(written)).toEqual({ rating, level, rest });
  });

  test('an unknown rating is kept as written and counts as unrated', () => {
    expect(parseRating('Spicy')).toEqual({ rating: 'Spicy', level: 'unrated', rest: '' });
  });

  test('an empty value states no rating', () => {
    expect(parseRating('  ')).toEqual({ rating: null, level: 'unrated', rest: '' });
  });

  test('a word that merely starts like a rating is not one', () => {
    expect(parseRating('Ridiculous').level).toBe('unrated');
    expect(parseRating('Magnificent').level).toBe('unrated');
  });
});
