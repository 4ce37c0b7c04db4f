import { createHash } from 'node:crypto';
import { canonicalJson, describeFile, emit, errorMessage, type ByteSource, type Emitted, type JsonDocumentItem, type SourceContext } from '@bronze/core';
import { classifyFile, type SpotifyFileKind } from './export-layout.js';
import { accountPlayId, extendedPlayId } from './play-ids.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const sha256 = (v: unknown) => createHash('sha256').update(canonicalJson(v).text).digest('hex');
const stemOf = (name: string) => name.replace(/\.json$/i, '');

/** One JSON value of a file as the row of its stream. */
function row(kind: Exclude<SpotifyFileKind, { type: 'other_file' }>, item: JsonDocumentItem, file: string, entry: string): Emitted {
  const metadata = { entry, path: item.path, role: item.role };
  if (kind.type === 'other_json') return emit({ file, path: item.path, value: item.value }, { stream: 'other', metadata });
  if (kind.type === 'account') {
    return item.role === 'item'
      ? emit(item.value, { stream: kind.stream, metadata, countedId: `${stemOf(file)}:${sha256(item.value)}` })
      : emit(item.value, { stream: kind.stream, metadata, rawId: stemOf(file) });
  }
  const extended = kind.stream.startsWith('extended_');
  if (item.role !== 'item' || !isObject(item.value)) {
    const why = item.role !== 'item' ? 'the file is not a JSON array of plays' : 'this element is not a play (a JSON object)';
    return emit(item.value, { stream: kind.stream, metadata, invalid: `${entry} ${item.path || '(whole file)'}: ${why}`, countedId: `invalid:${sha256(item.value)}` });
  }
  let countedId: string | undefined;
  try {
    countedId = extended ? extendedPlayId(item.value) : accountPlayId(item.value);
  } catch {
    // The stream's id() says why, and core keys the play by its hash.
  }
  return emit(item.value, { stream: kind.stream, metadata, ...(countedId !== undefined ? { countedId } : {}) });
}

/**
 * The rows of one file of a Spotify export, streamed: a history of hundreds of MB is read
 * one play at a time (core's jsonDocument). A file broken part-way keeps every row before the
 * damage, and the damage becomes an invalid `other` row naming the file and the place,
 * holding the whole file as written (its text, or base64), so one bad file never stops the
 * rest of the zip and nothing after the damage is lost.
 */
export async function* spotifyFileRows(source: ByteSource, file: string, entry: string, ctx: SourceContext): AsyncIterable<Emitted> {
  const kind = classifyFile(file);
  if (kind.type === 'other_file') {
    yield emit(await describeFile(await source.open(), file), { stream: 'other', metadata: { entry } });
    return;
  }
  let read = 0;
  try {
    for await (const item of ctx.files.jsonDocument(source)) {
      read++;
      yield row(kind, item, file, entry);
    }
  } catch (err) {
    // The whole file: the rows after the damage exist only here (its first 1 MiB alone lost
    // them in a longer history).
    const described = await describeFile(await source.open(), file, { whole: true });
    const why = `${errorMessage(err)} (${read} value(s) before it stored)`;
    yield emit(described, { stream: 'other', metadata: { entry }, invalid: why, rawId: `damaged:${file}` });
  }
}
