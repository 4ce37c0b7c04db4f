/**
 * A json or jsonb value as the server wrote it. `bronze sql` shows raw_data through this, not
 * through JSON.parse: a JavaScript number would show 1.10 as 1.1, 12345678901234567890123 as
 * 1.2345678901234568e+22 and 1e400 as null, values bronze stores exactly (docs/values.md).
 */
export class JsonText {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }

  /** For a plain JSON.stringify (numbers as JavaScript reads them); `bronze sql --json` writes `text` as it is. */
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** The type ids of json and jsonb. */
export const JSON_TYPE_IDS = [114, 3802] as const;
