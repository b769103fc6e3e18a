import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import type { ReactNode } from 'react';

/** Columns from [header, cell] pairs, for tables that only show values. */
export const cols = <T,>(spec: [string, (row: T) => ReactNode][]): ColumnDef<T, unknown>[] =>
  spec.map(([header, cell]) => ({ id: header, header, cell: ({ row }) => cell(row.original) }));

/** A plain, accessible table (named by `label`) over TanStack Table. */
export function DataTable<T>(props: {
  label: string;
  rows: T[];
  columns: ColumnDef<T, unknown>[];
  empty?: string;
  rowKey: (row: T) => string;
}) {
  const table = useReactTable({
    data: props.rows,
    columns: props.columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: props.rowKey,
  });
  return (
    <div className="table-wrap">
      <table aria-label={props.label}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((h) => (
                <th key={h.id} scope="col">
                  {flexRender(h.column.columnDef.header, h.getContext())}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
              ))}
            </tr>
          ))}
          {props.rows.length === 0 && (
            <tr>
              <td colSpan={props.columns.length}>{props.empty ?? 'Nothing here yet.'}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
