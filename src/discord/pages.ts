/**
 * Cutting prose into pages that fit an embed: at paragraph boundaries first, then sentences,
 * then words, and only as a last resort inside a word. Each page is measured after `render`
 * (escaping grows text), so a page always fits `limit`. Pure and deterministic: the same scene
 * always gives the same pages, so buttons can name a page by number.
 */

/** Sentence ends: ., !, ? or … (plus closing quotes/brackets), then white space. */
const SENTENCE_END = /(?<=[.!?…]["'”’)\]]*)\s+/u;

function splitKeeping(text: string, pattern: RegExp): string[] {
  return text.split(pattern).filter((part) => part.length > 0);
}

const SPLITTERS: readonly ((text: string) => string[])[] = [
  (text) => splitKeeping(text, SENTENCE_END),
  (text) => splitKeeping(text, /\s+/u),
];

/**
 * The last resort, inside a word: cuts by code points so each rendered chunk fits. Rendering
 * never shrinks text, so a chunk starts at `limit` characters and loses the excess until it fits.
 */
function cutCharacters(text: string, limit: number, render: (text: string) => string): string[] {
  const characters = Array.from(text);
  const chunks: string[] = [];
  let start = 0;
  while (start < characters.length) {
    let end = Math.min(characters.length, start + limit);
    let chunk = characters.slice(start, end).join('');
    let excess = render(chunk).length - limit;
    while (excess > 0 && end - start > 1) {
      end = Math.max(start + 1, end - excess);
      chunk = characters.slice(start, end).join('');
      excess = render(chunk).length - limit;
    }
    chunks.push(chunk);
    start = end;
  }
  return chunks;
}

/**
 * Breaks a piece that does not fit into pieces that do: sentences first, then words, then
 * characters. Lengths are summed part by part (escaping is local), so this stays linear.
 */
function breakPiece(piece: string, limit: number, render: (text: string) => string, level = 0): string[] {
  for (let depth = level; depth < SPLITTERS.length; depth += 1) {
    const parts = SPLITTERS[depth]!(piece);
    if (parts.length <= 1) continue;
    const separator = ' ';
    const budget = limit;
    const separatorLength = render(separator).length;
    const chunks: string[] = [];
    let current: string[] = [];
    let currentLength = 0;
    const flush = () => {
      if (current.length > 0) chunks.push(current.join(separator));
      current = [];
      currentLength = 0;
    };
    for (const part of parts) {
      const partLength = render(part).length;
      const added = current.length === 0 ? partLength : currentLength + separatorLength + partLength;
      if (added <= budget) {
        current.push(part);
        currentLength = added;
      } else if (partLength <= budget) {
        flush();
        current = [part];
        currentLength = partLength;
      } else {
        flush();
        const smaller = breakPiece(part, limit, render, depth + 1);
        chunks.push(...smaller.slice(0, -1));
        const tail = smaller.at(-1);
        if (tail !== undefined) {
          current = [tail];
          currentLength = render(tail).length;
        }
      }
    }
    flush();
    return chunks;
  }
  return cutCharacters(piece, limit, render);
}

/**
 * Pages of paragraphs: each page is the rendering of whole paragraphs joined by a blank line,
 * except a paragraph too long for one page, which is cut at sentence (then word) boundaries.
 * Every returned page has `length <= limit`. An empty input gives no pages.
 */
export function paginate(
  paragraphs: readonly string[],
  limit: number,
  render: (text: string) => string = (text) => text,
): string[] {
  const pieces: string[] = [];
  for (const paragraph of paragraphs) {
    const trimmed = paragraph.trim();
    if (trimmed === '') continue;
    if (render(trimmed).length <= limit) pieces.push(trimmed);
    else pieces.push(...breakPiece(trimmed, limit, render));
  }
  const pages: string[] = [];
  let current: string[] = [];
  let currentLength = 0;
  for (const piece of pieces) {
    const rendered = render(piece);
    const added = current.length === 0 ? rendered.length : currentLength + 2 + rendered.length;
    if (current.length > 0 && added > limit) {
      pages.push(current.join('\n\n'));
      current = [rendered];
      currentLength = rendered.length;
    } else {
      current.push(rendered);
      currentLength = added;
    }
  }
  if (current.length > 0) pages.push(current.join('\n\n'));
  return pages;
}
