// Prints the benchmark table: figure, value, target, and whether the target holds.

/** @param {{ figure: string, value: string, target: string, holds: boolean | null, note: string }[]} rows */
export function printTable(rows) {
  const cells = rows.map((row) => [
    row.figure,
    row.value,
    row.target,
    row.holds === null ? '—' : row.holds ? 'yes' : 'NO',
    row.note,
  ]);
  const header = ['figure', 'value', 'target', 'holds', 'note'];
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((row) => row[i].length)));
  const line = (row) => row.map((cell, i) => cell.padEnd(widths[i])).join(' │ ');
  console.log(`\n${line(header)}\n${widths.map((w) => '─'.repeat(w)).join('─┼─')}`);
  for (const row of cells) console.log(line(row));
}
