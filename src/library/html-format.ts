/**
 * HTML story files. AO3 downloads (Download → HTML) carry their metadata in `#preface` (a `dl.tags`
 * list, title, byline, summary and notes) and their chapters in `#chapters`; any other HTML page is
 * reduced to its text and read like a plain-text file. The story text built here has one line per
 * HTML line, paragraphs separated by blank lines; every offset of the story points into it.
 */
import { DomUtils, parseDocument } from 'htmlparser2';
import { applyHeader, type StoryFields } from './fields.ts';
import { headingTitle } from './structure.ts';
import { readTextDocument } from './text-format.ts';

type HtmlDocument = ReturnType<typeof parseDocument>;
type HtmlNode = HtmlDocument['children'][number];
type HtmlElement = Extract<HtmlNode, { attribs: Record<string, string> }>;

export interface HtmlStory {
  readonly text: string;
  readonly fields: StoryFields;
  readonly bodyStart: number;
  /** Chapter heading lines (offset of the line → chapter title). */
  readonly headings: ReadonlyMap<number, string | null>;
}

const SKIPPED = new Set([
  'script',
  'style',
  'head',
  'title',
  'noscript',
  'template',
  'svg',
  'iframe',
  'form',
]);
const BLOCKS = new Set([
  'p',
  'div',
  'blockquote',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'li',
  'ul',
  'ol',
  'table',
  'tr',
  'td',
  'th',
  'section',
  'article',
  'header',
  'footer',
  'center',
  'dl',
  'dt',
  'dd',
  'pre',
  'address',
  'figure',
  'figcaption',
  'main',
  'nav',
  'aside',
]);

/** Builds plain text from HTML: whitespace collapsed, `<br>` a line break, blocks a blank line. */
class TextBuilder {
  private readonly parts: string[] = [];
  private length = 0;
  private pendingNewlines = 0;
  private atLineStart = true;
  private endsWithSpace = false;

  inline(raw: string): void {
    let text = raw.replace(/\s+/g, ' ');
    if (this.atLineStart) text = text.trimStart();
    if (text === '') return;
    this.flush();
    if (this.endsWithSpace && text.startsWith(' ')) text = text.slice(1);
    if (text === '') return;
    this.parts.push(text);
    this.length += text.length;
    this.atLineStart = false;
    this.endsWithSpace = text.endsWith(' ');
  }

  lineBreak(): void {
    this.endLine();
    if (this.length > 0) this.pendingNewlines = Math.min(this.pendingNewlines + 1, 2);
  }

  blockBreak(): void {
    this.endLine();
    if (this.length > 0) this.pendingNewlines = 2;
  }

  /** Starts a new block and returns the offset its text will begin at. */
  startBlock(): number {
    this.blockBreak();
    this.flush();
    return this.length;
  }

  toString(): string {
    return this.parts.join('');
  }

  private endLine(): void {
    if (this.endsWithSpace) {
      const last = this.parts.pop() ?? '';
      this.parts.push(last.slice(0, -1));
      this.length--;
      this.endsWithSpace = false;
    }
    this.atLineStart = true;
  }

  private flush(): void {
    if (this.pendingNewlines > 0 && this.length > 0) {
      const breaks = '\n'.repeat(this.pendingNewlines);
      this.parts.push(breaks);
      this.length += breaks.length;
    }
    this.pendingNewlines = 0;
  }
}

function isElement(node: HtmlNode): node is HtmlElement {
  return 'attribs' in node;
}

function hasClass(element: HtmlElement, name: string): boolean {
  return (element.attribs.class ?? '').split(/\s+/).includes(name);
}

function writeNode(node: HtmlNode, out: TextBuilder, visit?: (element: HtmlElement) => boolean): void {
  if (node.type === 'text') {
    out.inline(node.data);
    return;
  }
  if (!isElement(node)) return;
  const element = node;
  if (visit?.(element)) return;
  const name = element.name.toLowerCase();
  if (SKIPPED.has(name)) return;
  if (name === 'br') {
    out.lineBreak();
    return;
  }
  if (name === 'hr') {
    out.startBlock();
    out.inline('* * *');
    out.blockBreak();
    return;
  }
  const block = BLOCKS.has(name);
  if (block) out.blockBreak();
  for (const child of element.children) writeNode(child, out, visit);
  if (block) out.blockBreak();
}

/** The text of an element as paragraphs separated by blank lines. */
function blockText(element: HtmlElement): string {
  const out = new TextBuilder();
  for (const child of element.children) writeNode(child, out);
  return out.toString().trim();
}

function inlineText(element: HtmlElement): string {
  return DomUtils.textContent(element).replace(/\s+/g, ' ').trim();
}

function findElement(nodes: HtmlNode[], test: (element: HtmlElement) => boolean): HtmlElement | null {
  return DomUtils.findOne((element) => test(element as HtmlElement), nodes, true) as HtmlElement | null;
}

function childElements(element: HtmlElement): HtmlElement[] {
  return element.children.filter(isElement);
}

/** Does this HTML look like an AO3 download? */
export function isAo3Html(html: string): boolean {
  const head = html.slice(0, 200_000);
  return (
    /<div[^>]*\bid=["']preface["']/i.test(head) &&
    /archiveofourown|<dl[^>]*class=["'][^"']*\btags\b/i.test(head)
  );
}

/** "Label" paragraphs followed by a blockquote (AO3's Summary, Notes, End Notes). */
function labelledBlocks(container: HtmlElement): Map<string, string> {
  const found = new Map<string, string>();
  const elements = DomUtils.findAll(() => true, container.children) as HtmlElement[];
  for (const element of elements) {
    if (element.name !== 'p') continue;
    const label = inlineText(element).replace(/:$/, '').toLowerCase();
    if (!/^(?:chapter )?(?:summary|notes|end notes)$/.test(label)) continue;
    const next = DomUtils.nextElementSibling(element) as HtmlElement | null;
    if (next?.name === 'blockquote' && !found.has(label)) found.set(label, blockText(next));
  }
  return found;
}

function readAo3Preface(document: HtmlDocument): StoryFields {
  const fields: StoryFields = {};
  const preface = findElement(document.children, (element) => element.attribs.id === 'preface');
  if (!preface) return fields;
  const tags = findElement(preface.children, (element) => element.name === 'dl' && hasClass(element, 'tags'));
  let key = '';
  for (const item of tags ? childElements(tags) : []) {
    if (item.name === 'dt') key = inlineText(item).replace(/:$/, '');
    if (item.name !== 'dd' || key === '') continue;
    const links = DomUtils.getElementsByTagName('a', item).map(inlineText);
    const values = links.length > 0 ? links : [inlineText(item)];
    applyAo3Tag(fields, key, values);
  }
  const heading = findElement(preface.children, (element) => element.name === 'h1');
  if (heading) fields.title = inlineText(heading);
  const byline = findElement(preface.children, (element) => hasClass(element, 'byline'));
  if (byline) {
    const authors = DomUtils.getElementsByTagName('a', byline)
      .filter((link) => (link as HtmlElement).attribs.rel === 'author')
      .map(inlineText);
    fields.author = authors.length > 0 ? authors.join(', ') : inlineText(byline).replace(/^by\s+/i, '');
  }
  const blocks = labelledBlocks(preface);
  const summary = blocks.get('summary');
  const notes = blocks.get('notes');
  if (summary) fields.summary = summary;
  if (notes) fields.notes = notes;
  return fields;
}

function applyAo3Tag(fields: StoryFields, key: string, values: string[]): void {
  switch (key.toLowerCase()) {
    case 'archive warning':
    case 'archive warnings':
      fields.warnings = [...(fields.warnings ?? []), ...values];
      return;
    case 'fandom':
    case 'fandoms':
      fields.fandoms = [...(fields.fandoms ?? []), ...values];
      return;
    case 'relationship':
    case 'relationships':
      fields.pairings = [...(fields.pairings ?? []), ...values];
      return;
    case 'character':
    case 'characters':
      fields.characters = [...(fields.characters ?? []), ...values];
      return;
    case 'additional tags':
    case 'freeform':
      fields.tags = [...(fields.tags ?? []), ...values];
      return;
    default:
      applyHeader(fields, key, values.join(', '));
  }
}

/**
 * htmlparser2 hands out text as slices of the whole HTML source, so a title or tag kept as is
 * would keep the file's HTML alive as long as the story. A deep copy gives every metadata string
 * storage of its own.
 */
function detached<T>(value: T): T {
  return structuredClone(value);
}

/** Reads an AO3 download: preface metadata, then every chapter's heading and text. */
export function readAo3Html(html: string): HtmlStory {
  const document = parseDocument(html);
  const fields = readAo3Preface(document);
  const out = new TextBuilder();
  const headings = new Map<number, string | null>();
  const chapterNotes: string[] = [];
  const chapters = findElement(document.children, (element) => element.attribs.id === 'chapters');
  const visitMeta = (element: HtmlElement): boolean => {
    if (hasClass(element, 'landmark')) return true;
    if (!hasClass(element, 'meta')) return false;
    const heading = findElement(
      element.children,
      (child) => /^h[1-6]$/.test(child.name) && hasClass(child, 'heading'),
    );
    if (heading) {
      const line = inlineText(heading);
      headings.set(out.startBlock(), headingTitle(line) ?? line);
      out.inline(line);
      out.blockBreak();
    }
    for (const [label, text] of labelledBlocks(element)) chapterNotes.push(`${label}: ${text}`);
    return true;
  };
  if (chapters) for (const child of chapters.children) writeNode(child, out, visitMeta);
  const afterword = findElement(document.children, (element) => element.attribs.id === 'afterword');
  const endNotes = afterword ? labelledBlocks(afterword).get('end notes') : undefined;
  if (endNotes) fields.extra = { ...fields.extra, 'end notes': endNotes };
  if (chapterNotes.length > 0) fields.extra = { ...fields.extra, 'chapter notes': chapterNotes.join('\n\n') };
  return { text: out.toString(), fields: detached(fields), bodyStart: 0, headings: detached(headings) };
}

/** Reads any other HTML page: its body's text, read like a plain-text story file. */
export function readPlainHtml(html: string): HtmlStory {
  const document = parseDocument(html);
  const body = findElement(document.children, (element) => element.name === 'body');
  const out = new TextBuilder();
  for (const child of body ? body.children : document.children) writeNode(child, out);
  const text = out.toString();
  const parsed = readTextDocument(text);
  const fields: StoryFields = { ...parsed.fields };
  const title = findElement(document.children, (element) => element.name === 'title');
  if (fields.title === undefined && title && inlineText(title) !== '') fields.title = inlineText(title);
  return { text, fields: detached(fields), bodyStart: parsed.bodyStart, headings: new Map() };
}
