/**
 * The encoding label an XML declaration names, as written (`ISO-8859-1`), when the declaration
 * opens `head` (XML 1.0 §2.8: nothing may come before it); undefined without one. `head` is the
 * file's first bytes read as Latin-1 (the declaration is ASCII in every encoding it may name
 * but UTF-16, which its byte order mark announces). The label's meaning: encodingName.
 */
export function declaredXmlEncoding(head: string): string | undefined {
  const m = DECLARATION.exec(head);
  return m ? (m[1] ?? m[2]) : undefined;
}

const DECLARATION = /^<\?xml[ \t\r\n][^>]*?[ \t\r\n]encoding[ \t\r\n]*=[ \t\r\n]*(?:"([^"]*)"|'([^']*)')/;
