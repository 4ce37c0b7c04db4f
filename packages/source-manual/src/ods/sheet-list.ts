import type { XmlEvent } from '../sheets/xml-events.js';

/** A sheet as content.xml gives it: its name and whether the person hid it. */
export interface OdsSheet {
  name: string;
  hidden: boolean;
}

/**
 * Finds the sheets of content.xml in its event stream: each `table:table` that is a child of
 * `office:spreadsheet` (a table inside a cell or a chart is no sheet). A sheet is hidden when
 * its `table:style-name` names an automatic style whose `style:table-properties` say
 * `table:display="false"` (LibreOffice's Hide Sheet). The content reader and the
 * synchronous listing for streams() both use it, so they agree on the sheets.
 */
export class SheetList {
  private readonly hiddenStyles = new Set<string>();
  private tableStyle: string | undefined;
  /** Depth inside office:spreadsheet (its children are at 1), or -1 outside it. */
  private depth = -1;
  /** Seen office:spreadsheet: the document is a spreadsheet. */
  spreadsheet = false;

  /** Feed every event (or, inside a sheet, its closing one alone); a sheet that begins is returned. */
  on(e: XmlEvent): OdsSheet | undefined {
    if (e.type === 'open') {
      if (this.depth >= 0) {
        this.depth++;
        if (this.depth === 1 && e.name === 'table:table') return { name: e.attrs['table:name'] ?? '', hidden: this.hiddenStyles.has(e.attrs['table:style-name'] ?? '') };
      } else if (e.name === 'office:spreadsheet') {
        this.depth = 0;
        this.spreadsheet = true;
      } else if (e.name === 'style:style') this.tableStyle = e.attrs['style:family'] === 'table' ? e.attrs['style:name'] : undefined;
      else if (e.name === 'style:table-properties' && this.tableStyle !== undefined && e.attrs['table:display'] === 'false') this.hiddenStyles.add(this.tableStyle);
    } else if (e.type === 'close') {
      if (this.depth > 0) this.depth--;
      else if (this.depth === 0 && e.name === 'office:spreadsheet') this.depth = -1;
      else if (e.name === 'style:style') this.tableStyle = undefined;
    }
    return undefined;
  }
}
