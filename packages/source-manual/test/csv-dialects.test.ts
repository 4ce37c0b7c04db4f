import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeOneEngine } from '@bronze/testkit';
import { file, rows, run } from './helpers.js';

const fixture = (name: string) => readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)));

/** Transactions counted independently of the reader: lines holding a date at the start, quoted or not. */
function transactionLines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => /^"?\d{2}\.\d{2}\.\d{2}/.test(l));
}

describeOneEngine('CSV dialects', (db, engine) => {
  // Apps writing CSV for Excel start it with `sep=;`; a 2-column table's `sep=,` split into
  // 2 fields and was taken for the header: every row keyed {"sep=": …, "column_2": …}, the real header a row.
  it('Excel\'s "sep=" first line (BOM, CRLF, 2 columns): kept as the preamble, every row keyed by the real header', async () => {
    for (const [delimiter, amount] of [[';', '72,5'], [',', '72.5']] as const) {
      const stream = `sep_hint_${delimiter === ';' ? 'semicolon' : 'comma'}_${engine}`;
      const text = `\ufeffsep=${delimiter}\r\nDatum${delimiter}Gewicht\r\n01.01.2025${delimiter}"${amount}"\r\n02.01.2025${delimiter}"${amount}"\r\n`;
      const r = await run(db(), [file(`${stream}.csv`, text)]);
      expect(r).toMatchObject({ status: 'succeeded', inserted: 3, invalid: 0, warning: 0 });
      expect(r.notes.join('\n')).toContain(`${stream}.csv: source_timestamp from Datum`);
      expect((await rows(db(), stream)).map((x) => x.raw_data)).toEqual([
        { preamble: [`sep=${delimiter}`] },
        { Datum: '01.01.2025', Gewicht: amount },
        { Datum: '02.01.2025', Gewicht: amount },
      ]);
    }
  });

  // Classic Mac OS Excel saves "CSV (Macintosh)" with CR-only line ends: the preamble line was
  // taken for the header (its values in no record) and every booking stored invalid.
  it('the ING export with CR-only line ends (old Mac) stores the same records as with CRLF', async () => {
    const crlf = fixture('ing-umsatzanzeige.csv');
    const cr = Buffer.from(crlf.toString('latin1').replace(/\r\n/g, '\r'), 'latin1');
    const a = await run(db(), [file(`ing_crlf_${engine}.csv`, crlf)]);
    const b = await run(db(), [file(`ing_cr_${engine}.csv`, cr)]);
    expect(b).toMatchObject({ status: a.status, inserted: a.inserted, invalid: a.invalid, warning: a.warning });
    const shape = (rs: Awaited<ReturnType<typeof rows>>) => rs.map((x) => [x.raw_id, x.raw_data, x.validation_status, x.source_timestamp]);
    expect(shape(await rows(db(), `ing_cr_${engine}`))).toEqual(shape(await rows(db(), `ing_crlf_${engine}`)));
  });

  it('a DKB export (; quoted, BOM, 4 preamble lines, -13,98) stores every transaction valid, the preamble too; re-import adds 0', async () => {
    const bytes = fixture('dkb-girokonto.csv');
    const p = file(`dkb_${engine}.csv`, bytes);
    const stream = `dkb_${engine}`;
    const first = await run(db(), [p]);
    const expected = transactionLines(bytes.toString('utf8')).length;
    expect(expected).toBe(6);
    expect(first).toMatchObject({ status: 'succeeded', inserted: expected + 1, invalid: 0, warning: 0 });
    const stored = await rows(db(), stream);
    const preamble = stored.filter((r) => r.metadata?.role === 'preamble');
    expect(preamble).toHaveLength(1);
    expect(preamble[0].raw_data).toEqual({ preamble: ['"Girokonto";"DE88120300000012345678"', '', '"Kontostand vom 31.01.2025:";"2.093,32 €"', '""'] });
    const tx = stored.filter((r) => r.metadata?.role === undefined);
    expect(tx).toHaveLength(expected);
    expect(tx.every((r) => r.validation_status === 'valid')).toBe(true);
    expect(tx[0].raw_data).toEqual({
      Buchungsdatum: '31.01.25', Wertstellung: '31.01.25', Status: 'Gebucht', 'Zahlungspflichtige*r': 'Erika Beispiel', 'Zahlungsempfänger*in': 'Bäckerei Müller',
      Verwendungszweck: 'Kartenzahlung 29.01', Umsatztyp: 'Ausgang', IBAN: 'DE02100100100006820101', 'Betrag (€)': '-13,98', 'Gläubiger-ID': '', Mandatsreferenz: '', Kundenreferenz: '',
    });
    // The stray quote is kept as written; "" escapes and a line break inside quotes are read as CSV says.
    expect(tx.map((r) => r.raw_data['Zahlungsempfänger*in'])).toContain('Versicherung"');
    expect(tx.map((r) => r.raw_data.Verwendungszweck)).toContain('KD-Nr. 123 / RG-Nr. 456; Zahlung "Express"');
    expect(tx.map((r) => r.raw_data.Verwendungszweck)).toContain('Miete\nJanuar');
    // Two-digit years are this century's: 31.01.25 is 2025-01-31.
    expect(tx[0].source_timestamp?.toISOString()).toBe('2025-01-31T00:00:00.000Z');
    expect(first.notes).toContain(`dkb_${engine}.csv: source_timestamp from Buchungsdatum`);

    expect(await run(db(), [p], { force: true })).toMatchObject({ inserted: 0, unchanged: expected + 1 });
    expect(await rows(db(), stream)).toHaveLength(expected + 1);
  });

  it('an ING export (windows-1252, 12 preamble lines, CRLF) keeps the preamble and stores the one short row invalid', async () => {
    const bytes = fixture('ing-umsatzanzeige.csv');
    const stream = `ing_${engine}`;
    const r = await run(db(), [file(`ing_${engine}.csv`, bytes)]);
    const text = new TextDecoder('windows-1252').decode(bytes);
    const lines = transactionLines(text);
    expect(r).toMatchObject({ status: 'succeeded', inserted: lines.length + 1, invalid: 1 });
    const stored = await rows(db(), stream);
    const preamble = stored.find((x) => x.metadata?.role === 'preamble')!;
    expect(preamble.raw_data.preamble).toEqual(text.split('\r\n').slice(0, 12));
    const tx = stored.filter((x) => x.metadata?.role === undefined);
    expect(tx).toHaveLength(lines.length);
    expect(tx[0].raw_data).toMatchObject({ Buchung: '31.01.2025', 'Auftraggeber/Empfänger': 'VISA Bäckerei Müller', Betrag: '-13,98', Währung: 'EUR' });
    const short = tx.find((x) => x.validation_status === 'invalid')!;
    expect(short.error_message).toBe('line 17: 6 fields where the header has 7');
    expect(short.raw_data).toEqual({ line: 17, fields: ['27.01.2025', '27.01.2025', 'Rente', '97052181157Z00511 RV-RENTE 01.2025', '2.647,74', 'EUR'] });
  });

  it('a comma file with quoted fields (PayPal) is read with ","; Datum with --date-format DD.MM.YYYY parses', async () => {
    const bytes = fixture('paypal-aktivitaet.csv');
    const stream = `paypal_${engine}`;
    const r = await run(db(), [file(`paypal_${engine}.csv`, bytes)], { options: { dateFormat: 'DD.MM.YYYY' } });
    expect(r).toMatchObject({ status: 'succeeded', inserted: transactionLines(bytes.toString('utf8')).length, invalid: 0, warning: 0 });
    expect(r.notes).toContain(`paypal_${engine}.csv: source_timestamp from Datum`);
    const stored = await rows(db(), stream);
    expect(stored[0].raw_data).toMatchObject({ Datum: '18.06.2024', Brutto: '100,00', Typ: 'Überweisung als Zahlungsquelle' });
    expect(stored.map((x) => x.source_timestamp?.toISOString().slice(0, 10))).toEqual(['2024-06-18', '2024-06-21', '2024-07-14', '2024-11-14']);
  });

  it('tab and | are detected; --delimiter and --skip-lines override detection', async () => {
    const tsv = await run(db(), [file(`tabs_${engine}.tsv.csv`, 'a\tb\tc\n1\t2,5\t3\n4\t5\t6\n')], { options: { stream: `tabs_${engine}` } });
    expect(tsv).toMatchObject({ inserted: 2, invalid: 0 });
    expect((await rows(db(), `tabs_${engine}`))[0].raw_data).toEqual({ a: '1', b: '2,5', c: '3' });

    const piped = await run(db(), [file(`pipes_${engine}.csv`, 'x|y\n1|2\n3|4\n')]);
    expect(piped).toMatchObject({ inserted: 2, invalid: 0 });

    // Detection would take "k;v" lines as the header; the user says where the table starts.
    const odd = 'Konto;123\nStand;5,00\nDatum;Betrag;Text\n01.01.2025;1,00;a\n';
    const skipped = await run(db(), [file(`odd_${engine}.csv`, odd)], { options: { skipLines: 2, delimiter: ';' } });
    expect(skipped).toMatchObject({ inserted: 2, invalid: 0 });
    const stored = await rows(db(), `odd_${engine}`);
    expect(stored[0].raw_data).toEqual({ preamble: ['Konto;123', 'Stand;5,00'] });
    expect(stored[1].raw_data).toEqual({ Datum: '01.01.2025', Betrag: '1,00', Text: 'a' });

    const one = await run(db(), [file(`urls_${engine}.csv`, 'url\nhttps://a.example/\nhttps://b.example/\n')], { options: { delimiter: ',' } });
    expect(one).toMatchObject({ inserted: 2, invalid: 0 });
  });
});
