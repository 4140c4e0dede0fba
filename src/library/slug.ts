import { basename, dirname, extname } from 'node:path';

const MAX_SLUG = 60;

/** A URL- and command-friendly id: lower-case ASCII words joined by hyphens. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= MAX_SLUG) return slug || 'story';
  const cut = slug.slice(0, MAX_SLUG + 1);
  const lastHyphen = cut.lastIndexOf('-');
  return lastHyphen > 20 ? cut.slice(0, lastHyphen) : slug.slice(0, MAX_SLUG);
}

/** File names that say nothing about the story; their folder's name is used instead. */
const GENERIC_NAMES = /^(?:novel[_ -]?text|text|story|index|untitled|book|fic|chapter[_ -]?\d*|document)$/i;

/** A readable title from a file name: "war-verse_first person.txt" → "War Verse First Person". */
export function titleFromFileName(file: string): string {
  let name = basename(file, extname(file));
  const folder = basename(dirname(file));
  if (GENERIC_NAMES.test(name) && folder !== '.' && folder !== '' && folder !== '/') name = folder;
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .replace(/[_\-.\s]+/g, ' ')
    .trim();
  if (words === '') return 'Untitled';
  return words
    .split(' ')
    .map((word) => (word[0] ?? '').toUpperCase() + word.slice(1))
    .join(' ');
}
