import { defineStream, Type } from '@bronze/core';
import { GMAIL_SEPARATOR, type MailRecord } from '../parts/mbox.js';
import { open } from './open-object.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Tue Aug 08 12:36:29 +0000 2023`, the separator's date → that instant. */
function separatorInstant(separator: string | null): Date | undefined {
  const date = separator === null ? undefined : GMAIL_SEPARATOR.exec(separator)?.[2];
  const m = date && /^\w{3} (\w{3}) ([ \d]\d) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d) (\d{4})$/.exec(date);
  if (!m) return undefined;
  const offset = (m[6] === '-' ? -1 : 1) * (Number(m[7]) * 60 + Number(m[8]));
  const ms = Date.UTC(Number(m[9]), MONTHS.indexOf(m[1]), Number(m[2].trim()), Number(m[3]), Number(m[4]), Number(m[5])) - offset * 60_000;
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/**
 * Gmail, `Takeout/Mail/*.mbox`: one row per message, its separator line and its bytes as
 * written (parts/mbox.ts). raw_id: the mbox's file name and Gmail's message id from the
 * separator (`All mail Including Spam and Trash.mbox|1773664405479613283`): a later export
 * finds the same message under the same id, and a message in two label files is one row in
 * each. source_timestamp: the separator's date.
 */
export const mail = defineStream<MailRecord>({
  name: 'mail',
  schema: Type.Object(
    {
      path: Type.String(),
      separator: Type.Union([Type.String(), Type.Null()]),
      message: Type.Optional(Type.String()),
      message_base64: Type.Optional(Type.String()),
      size: Type.Optional(Type.Integer({ minimum: 0 })),
      sha256: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
    },
    open,
  ),
  id: (r) => {
    const file = r.path.slice(r.path.lastIndexOf('/') + 1);
    const id = r.separator === null ? undefined : GMAIL_SEPARATOR.exec(r.separator)?.[1];
    return id === undefined ? `preamble:${file}` : `${file}|${id}`;
  },
  timestamp: (r) => separatorInstant(r.separator),
});
