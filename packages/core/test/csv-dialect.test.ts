import { describe, expect, it } from 'vitest';
import { detectCsvDialect } from '../src/files/csv-dialect.js';
import { dataLikeNames } from '../src/files/data-like.js';

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

  it('takes a header narrower than its rows when they only add empty fields (Sparda-Bank: every booking ends in ;"")', () => {
    const preamble = ['"Umsätze ab";"Enddatum";"Saldo"', '"01.03.2025";"31.03.2025";"2.104,37"', ''];
    const table = ['"Buchungstag";"Verwendungszweck";"Umsatz"', '"03.03.2025";"Bäckerei";"-4,80";""', '"05.03.2025";"Miete; ""März""";"-780,00";""'];
    expect(detectCsvDialect([...preamble, ...table].join('\n'), true)).toEqual({ delimiter: ';', headerLine: 4, preamble });
    // An extra field that holds text: the line above is a preamble line, not this table's header.
    expect(detectCsvDialect('Konto;1234\n03.03.2025;x;-4,80;A\n05.03.2025;y;-1,00;B\n', true)).toMatchObject({ headerLine: 2 });
    // A narrower line of values above rows with an empty tail is not a header either.
    expect(detectCsvDialect('03.03.2025;-4.80\n04.03.2025;x;-1.00;\n05.03.2025;y;-2.00;\n', true)).toMatchObject({ headerLine: 2 });
    // Nor a line separated from the rows by a blank line.
    expect(detectCsvDialect('Saldo;Datum\n\nA;B;C;\n1;2;3;\n', true)).toMatchObject({ headerLine: 3 });
  });

  it('honours Excel\'s "sep=" first line: its delimiter, and the line kept as preamble, not read as the header', () => {
    // A 2-column table: `sep=,` splits into 2 fields itself and was taken for the header.
    expect(detectCsvDialect('sep=,\nName,Amount\nA,1\nB,2\n', true)).toEqual({ delimiter: ',', headerLine: 2, preamble: ['sep=,'], separatorLine: true });
    expect(detectCsvDialect('\ufeffsep=;\r\nText;Betrag\r\nA, B;-1,00\r\n', true)).toEqual({ delimiter: ';', headerLine: 2, preamble: ['sep=;'], separatorLine: true });
    // Quoted, with a tab, above a preamble of its own.
    expect(detectCsvDialect('"sep=\t"\ncreated\t2025\n\na\tb\tc\n1\t2\t3\n', true)).toMatchObject({ delimiter: '\t', headerLine: 4, preamble: ['"sep=\t"', 'created\t2025', ''] });
    // --delimiter still decides; --skip-lines counts the sep= line as a line.
    expect(detectCsvDialect('sep=,\nName;Amount\nA;1\n', true, { delimiter: ';' })).toMatchObject({ delimiter: ';', headerLine: 2, preamble: ['sep=,'] });
    expect(detectCsvDialect('sep=,\nk,1\na,b,c\n1,2,3\n', true, { skipLines: 2 })).toMatchObject({ delimiter: ',', headerLine: 3 });
  });

  it('takes the wider table when each row is followed by a narrower continuation line (OCBC: a booking, then ,,its details)', () => {
    // The continuation lines are as many as the bookings, so the later half's most common width
    // was theirs: the first `,,15/04/18 …` became the header, the real header and first booking preamble.
    const preamble = ['Account details for:,Account 000-000000-000', 'Available Balance,"1,234.56"', '', 'Transaction History '];
    const table = ['Transaction date,Value date,Description,Withdrawals (SGD),Deposits (SGD)', '18/04/2025,18/04/2025,DEBIT PURCHASE,6.50,', ',,15/04/25  00-0000 BAKERY ', '17/04/2025,17/04/2025,CASH WITHDRAWAL  ATM,60.00,', ',,00-0000 BRANCH          S', '16/04/2025,16/04/2025,SALARY,,2500.00', ',,FOR: APRIL'];
    expect(detectCsvDialect([...preamble, ...table].join('\n'), true)).toEqual({ delimiter: ',', headerLine: 5, preamble });
    // Narrow rows of data alone (no header reads as names): the most common width still decides.
    expect(detectCsvDialect('03.03.2025,a,-4.80,b,c\n,,x\n,,y\n04.03.2025,d,-1.00,e,f\n,,z\n,,w\n', true)).toMatchObject({ headerLine: 2 });
  });

  it('passes over a title padded to the table\'s width when the next line reads as names (Knab: KNAB EXPORT;;;;…)', () => {
    const title = 'KNAB EXPORT;;;;';
    const table = ['Rekening;Datum;Bedrag;Omschrijving;', '"NL00";"03-03-2025";"42,10";"Band";', '"NL00";"05-03-2025";"1250";"Salaris";'];
    expect(detectCsvDialect([title, ...table].join('\n'), true)).toEqual({ delimiter: ';', headerLine: 2, preamble: [title] });
    expect(detectCsvDialect([';;;;', ...table].join('\n'), true)).toMatchObject({ headerLine: 2 });
    // Below the title comes data, not names: the title stays the header (the rows are all kept as rows).
    expect(detectCsvDialect([title, ...table.slice(1)].join('\n'), true)).toMatchObject({ headerLine: 1 });
    // A header naming two columns is a header.
    expect(detectCsvDialect(['Name;Notes;;;', ...table].join('\n'), true)).toMatchObject({ headerLine: 1 });
  });
});

it('counts dates, times and signed or decimal numbers as data, not years or names', () => {
  expect(dataLikeNames(['03.11.2025', 'Echtzeitüberweisung', '-5,00', '', "'DE67'"])).toEqual(['03.11.2025', '-5,00']);
  expect(dataLikeNames(['2023-06-27', '06:40', 'Last_night_sleep_time', '07h21'])).toEqual(['2023-06-27', '06:40']);
  expect(dataLikeNames(['12,50', '1.234,56', '+1.000'])).toEqual(['12,50', '1.234,56', '+1.000']);
  // Day, month name, year (UK card statements): `10 Feb 18`, `12-Dec-2019`; not a name holding a month.
  expect(dataLikeNames(['10 Feb 18', '12-Dec-2019', '3 September 2024', 'Feb 2024', '1 Mayfair St', 'Date'])).toEqual(['10 Feb 18', '12-Dec-2019', '3 September 2024']);
  // Year:month:day (Danske Bank's exports, EXIF): a date; not a time of day or a name holding colons.
  expect(dataLikeNames(['2012:03:01', '2019:08:14 10:02:33', '12:30:00', 'Ref:2012:03', '2012:03'])).toEqual(['2012:03:01', '2019:08:14 10:02:33', '12:30:00']);
  // Real headers: a pivot table's years, names with digits, an empty name.
  expect(dataLikeNames(['Category', '2023', '2024', 'Q1 2024', 'Betrag (€)', '', 'column 3', 'IBAN'])).toEqual([]);
});
