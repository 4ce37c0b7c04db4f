import { emit, openText, type Emitted } from '@bronze/core';
import { byteSource, where, type TakeoutFile } from './entry.js';

/** An entry of MyActivity.html as parsed: the fields of its JSON twin, `time` as the text Google wrote. */
export interface HtmlActivity {
  header: string;
  title: string;
  titleUrl?: string;
  subtitles?: { name: string; url?: string }[];
  time: string;
  products?: string[];
  details?: { name: string }[];
  locationInfos?: { name: string; url?: string }[];
  /** The answer of a Gemini Apps entry, its HTML as written below the time (the JSON twin's `safeHtmlItem`). */
  safeHtmlItem?: { html: string }[];
}

const CELL = '<div class="outer-cell';
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', emsp: ' ', ensp: ' ', thinsp: ' ' };

function decode(html: string): string {
  return html
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) =>
      e[0] === '#' ? String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITIES[e.toLowerCase()] ?? m))
    .replace(/[\u00a0\u2002\u2003\u2009\u202f]/g, ' ');
}

/** A group of inline HTML (between two <br>): its text and its first link. */
function group(html: string): { text: string; url?: string } {
  const href = /<a\s[^>]*href="([^"]*)"/i.exec(html);
  const text = decode(html.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ').trim();
  return href ? { text, url: decode(href[1]) } : { text };
}

const brGroups = (html: string) => html.split(/<br\s*\/?>/i).map(group).filter((g) => g.text !== '' || g.url);

/**
 * The inner HTML of the first `<div class="…marker…">…</div>`, up to the `</div>` that closes
 * it: a Gemini answer in the body cell holds divs of its own, and the first `</div>` cut it there.
 */
function cellBody(html: string, marker: RegExp): string | undefined {
  const m = marker.exec(html);
  if (!m) return undefined;
  const start = html.indexOf('>', m.index) + 1;
  const tags = /<(\/?)div\b[^>]*>/gi;
  tags.lastIndex = start;
  let depth = 0;
  for (let t = tags.exec(html); t; t = tags.exec(html)) {
    if (!t[1]) depth++;
    else if (depth-- === 0) return html.slice(start, t.index);
  }
  return html.slice(start);
}

/**
 * Where the HTML of an answer starts in a body cell: its first block element. A Gemini Apps entry
 * is `Prompted …<br>[attachments<br>]<time><br><p>answer…</p>…<br>`; read as lines, the answer's
 * text was taken for the `time` (the real time went to `subtitles`) and its markup was lost.
 */
const ANSWER = /<(?:p|h[1-6]|ul|ol|table|pre|blockquote|hr|div)\b/i;

/** One outer cell of the page as an entry; undefined when it holds no entry (the page header). */
export function parseActivityCell(html: string): HtmlActivity | undefined {
  const header = /<p class="mdl-typography--title">([\s\S]*?)<\/p>/i.exec(html);
  const body = cellBody(html, /<div class="content-cell[^"]*mdl-typography--body-1(?![^"]*text-right)[^"]*"/i);
  if (!header || body === undefined) return undefined;
  const answerAt = body.search(ANSWER);
  const lines = brGroups(answerAt === -1 ? body : body.slice(0, answerAt));
  // The page closes the answer with a `<br>` of its own, not part of the answer.
  const answer = answerAt === -1 ? '' : body.slice(answerAt).replace(/(?:\s*<br\s*\/?>)*\s*$/i, '');
  const first = lines.shift() ?? { text: '' };
  const time = lines.pop()?.text ?? '';
  const entry: HtmlActivity = { header: group(header[1]).text, title: first.text, ...(first.url ? { titleUrl: first.url } : {}), time };
  if (lines.length) entry.subtitles = lines.map((l) => ({ name: l.text, ...(l.url ? { url: l.url } : {}) }));
  if (answer) entry.safeHtmlItem = [{ html: answer }];
  const caption = cellBody(html, /<div class="content-cell[^"]*mdl-typography--caption[^"]*"/i);
  let section = '';
  for (const part of caption ? caption.split(/<br\s*\/?>/i) : []) {
    // A bold line opens a section: `<b>Products:</b>`, and in 2024–2025 pages `<b>Why is this here?</b>`
    // without a colon (seen in real YouTube and My Activity pages); read as a colon-only header,
    // that section's text was stored as a product.
    const key = /^\s*<b>([^<]*?)\s*:?\s*<\/b>/i.exec(part);
    if (key) section = key[1].trim();
    const g = group(key ? part.slice(key[0].length) : part);
    if (!g.text) continue;
    if (section === 'Products') (entry.products ??= []).push(g.text);
    else if (section === 'Details') (entry.details ??= []).push({ name: g.text });
    else if (section === 'Locations') (entry.locationInfos ??= []).push({ name: g.text, ...(g.url ? { url: g.url } : {}) });
    else (entry.details ??= []).push({ name: section ? `${section}${/[?!.]$/.test(section) ? '' : ':'} ${g.text}` : g.text });
  }
  return entry;
}

/**
 * The entries of a MyActivity.html (or YouTube's watch-history.html), one outer cell at
 * a time: the page is often one line of hundreds of MB, so it is cut at each cell's start
 * as the text arrives, never held whole.
 */
export async function* readActivityHtml(f: TakeoutFile, stream: string): AsyncIterable<Emitted> {
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let index = 0;
  const cells = function* (final: boolean): Generator<string> {
    for (;;) {
      const start = text.indexOf(CELL);
      if (start === -1) {
        if (final) text = '';
        else text = text.slice(Math.max(0, text.length - CELL.length)); // keep what may start a marker
        return;
      }
      const next = text.indexOf(CELL, start + CELL.length);
      if (next === -1 && !final) {
        text = text.slice(start);
        return;
      }
      yield text.slice(start, next === -1 ? undefined : next);
      if (next === -1) {
        text = '';
        return;
      }
      text = text.slice(next);
    }
  };
  const parsed = function* (html: string, last = false): Generator<Emitted> {
    // A page cut short (a download or a copy that stopped) ends inside its last cell: parsed, it
    // read as an entry with the wrong fields (a channel name as its time), stored valid.
    if (last && !/<\/body\s*>/i.test(html)) {
      const n = index + 1;
      yield emit({ path: f.path, html }, { stream, metadata: where(f, { index: index++ }), invalid: `${f.label}: the page ends inside entry ${n}, without </body>: cut short? That entry is stored as its HTML`, rawId: `html:${f.path}:${n}` });
      return;
    }
    const entry = parseActivityCell(html);
    if (entry) yield emit(entry, { stream, metadata: where(f, { index: index++ }) });
    else if (/mdl-typography--title/.test(html)) {
      yield emit({ path: f.path, html }, { stream, metadata: where(f, { index: index++ }), invalid: `${f.label}: entry ${index} is not laid out as an activity (header, content, caption); stored as its HTML`, rawId: `html:${f.path}:${index}` });
    }
  };
  for await (const chunk of await openText(byteSource(f), 'utf-8')) {
    text += decoder.decode(chunk as Buffer, { stream: true });
    for (const cell of cells(false)) yield* parsed(cell);
  }
  text += decoder.decode();
  const rest = [...cells(true)];
  for (let i = 0; i < rest.length; i++) yield* parsed(rest[i], i === rest.length - 1);
}
