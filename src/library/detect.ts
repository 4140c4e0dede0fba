import { extname } from 'node:path';
import { StoryFileError } from './errors.ts';
import { isAo3Html } from './html-format.ts';
import type { StoryFormat } from './types.ts';

const TEXT_EXTENSIONS = new Set(['.txt', '.text', '']);
const MARKDOWN_EXTENSIONS = new Set(['.md', '.markdown', '.mdown', '.mkd']);
const HTML_EXTENSIONS = new Set(['.html', '.htm', '.xhtml']);

/** Why a file with this name cannot be a story, or null when its extension is one ficbot reads. */
export function unsupportedExtension(file: string): string | null {
  const extension = extname(file).toLowerCase();
  if (
    TEXT_EXTENSIONS.has(extension) ||
    MARKDOWN_EXTENSIONS.has(extension) ||
    HTML_EXTENSIONS.has(extension)
  ) {
    return null;
  }
  return `unknown format: "${extension}" files are not read as stories (use .txt, .md or .html)`;
}

/** The story format of a file, from its extension and, for plain text, its first characters. */
export function detectFormat(file: string, text: string): StoryFormat {
  const unsupported = unsupportedExtension(file);
  if (unsupported) throw new StoryFileError(unsupported);
  const extension = extname(file).toLowerCase();
  const start = text.slice(0, 512).trimStart().toLowerCase();
  const looksHtml =
    start.startsWith('<!doctype html') || start.startsWith('<html') || start.startsWith('<?xml');
  if (HTML_EXTENSIONS.has(extension) || (TEXT_EXTENSIONS.has(extension) && looksHtml)) {
    return isAo3Html(text) ? 'ao3-html' : 'html';
  }
  if (start.startsWith('{\\rtf')) {
    throw new StoryFileError('unknown format: an RTF document (save it as plain text or HTML)');
  }
  return MARKDOWN_EXTENSIONS.has(extension) ? 'markdown' : 'text';
}
