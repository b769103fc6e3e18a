/**
 * Reads a whitespace-aligned table written in a spec: first line, a title over the row names and
 * the column names; then one row per line, its name and one cell per column. A missing or extra
 * cell fails loudly, so the table cannot silently drift from the thing it specifies.
 */
export function readTextTable(text: string): Map<string, Map<string, string>> {
  const [[, ...header], ...rows] = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => line.split(/\s+/));
  const table = new Map<string, Map<string, string>>();
  for (const [name, ...cells] of rows) {
    if (cells.length !== header.length) {
      throw new Error(`row ${name} has ${cells.length} cells for ${header.length} columns`);
    }
    if (table.has(name)) throw new Error(`row ${name} appears twice`);
    table.set(name, new Map(header.map((column, i) => [column, cells[i]])));
  }
  return table;
}
