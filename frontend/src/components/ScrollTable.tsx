/** A data table that scrolls sideways on small screens, as a focusable, labelled region. */
import type { ReactNode } from "react";

export function ScrollTable({
  label,
  caption,
  minWidth,
  headers,
  children,
}: {
  /** Names the scrolling region, e.g. "Routing rules table". */
  label: string;
  /** For screen readers: what the rows are. */
  caption: string;
  /** A Tailwind min-width class, e.g. "min-w-[44rem]", below which the table scrolls. */
  minWidth: string;
  headers: ReactNode[];
  /** The table rows. */
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white" tabIndex={0} role="region" aria-label={`${label}, scrolls sideways on small screens`}>
      <table className={`w-full ${minWidth} text-left text-sm`}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-100">
          <tr>
            {headers.map((h, i) => (
              <th key={i} scope="col" className="px-3 py-2">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
