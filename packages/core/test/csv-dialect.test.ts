import { describe, expect, it } from 'vitest';
import { detectCsvDialect } from '../src/files/csv-dialect.js';

describe('CSV dialect detection', () => {
  it('picks , ; tab | by how alike the rows split, with quotes respected', () => {
    expect(detectCsvDialect('a,b,c\n1,2,3\n', true)).toMatchObject({ delimiter: ',', headerLine: 1, preamble: [] });
    expect(detectCsvDialect('a;b\n"x;y";2\n"p,q";3\n', true)).toMatchObject({ delimiter: ';', headerLine: 1 });
    expect(detectCsvDialect('"a","b"\n"1;2;3","x"\n', true)).toMatchObject({ delimiter: ',' });
    expect(detectCsvDialect('a\tb\n1,5\t2\n', true)).toMatchObject({ delimiter: '\t' });
    expect(detectCsvDialect('a|b\n1|2\n', true)).toMatchObject({ delimiter: '|' });
    // Two columns and a decimal comma: the ; table explains both lines.
    expect(detectCsvDialect('Text;Betrag\nUmsätze;-13,98\n', true)).toMatchObject({ delimiter: ';', headerLine: 1 });
    expect(detectCsvDialect('Text;Betrag\nA, B und C;-1,00\nD;-2,00\n', true)).toMatchObject({ delimiter: ';', headerLine: 1 });
  });

  it('finds the header below a preamble, even with only a few rows, and keeps the preamble lines as written', () => {
    const preamble = ['Umsatzanzeige;Datei erstellt am: 03.02.2025', '', 'IBAN;DE02', 'Kontoname;Girokonto', 'Bank;ING', 'Kunde;E', 'Zeitraum;01.01.2025 - 31.01.2025', '', 'Sortierung;Datum absteigend', ''];
    const table = ['Buchung;Wert;Name;Text;Zweck;Betrag;Währung', '31.01.2025;31.01.2025;A;L;Z;-13,98;EUR', '30.01.2025;30.01.2025;B;L;Z;-1,00;EUR'];
    const d = detectCsvDialect([...preamble, ...table].join('\r\n'), true);
    expect(d).toEqual({ delimiter: ';', headerLine: preamble.length + 1, preamble });
  });

  it('ignores a last line cut by the sample, and a quoted field spanning lines', () => {
    expect(detectCsvDialect('a,b\n"x\ny",2\n3,4\n5,"unfinish', false)).toMatchObject({ delimiter: ',', headerLine: 1 });
  });

  it('says what to pass when no delimiter splits the lines, and honours --delimiter and --skip-lines', () => {
    expect(() => detectCsvDialect('just text\nmore text\n', true)).toThrow(/no delimiter found: .*pass --delimiter/);
    expect(detectCsvDialect('url\nhttps://x/\n', true, { delimiter: ',' })).toMatchObject({ delimiter: ',', headerLine: 1 });
    expect(detectCsvDialect('k;1\nk;2\na;b;c\n1;2;3\n', true, { skipLines: 1 })).toEqual({ delimiter: ';', headerLine: 2, preamble: ['k;1'] });
  });
});
