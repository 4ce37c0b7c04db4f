import { expect, it } from 'vitest';
import { declaredXmlEncoding } from '../src/files/xml-declaration.js';

it('reads the encoding an XML declaration names, only when the declaration opens the text', () => {
  expect(declaredXmlEncoding('<?xml version="1.0" encoding="ISO-8859-1"?>\n<gpx>')).toBe('ISO-8859-1');
  expect(declaredXmlEncoding("<?xml version='1.0'\n  encoding = 'windows-1252' standalone='no' ?><a/>")).toBe('windows-1252');
  expect(declaredXmlEncoding('<?xml version="1.0"?>\n<a encoding="x"/>')).toBeUndefined();
  expect(declaredXmlEncoding('<a/><?xml version="1.0" encoding="ISO-8859-1"?>')).toBeUndefined();
  expect(declaredXmlEncoding(' <?xml version="1.0" encoding="ISO-8859-1"?>')).toBeUndefined();
  expect(declaredXmlEncoding('<?xml version="1.0" xencoding="ISO-8859-1"?>')).toBeUndefined();
});
