/** The end of every form dialog: the failure (if any) announced to screen readers, then Cancel and submit. */
import type { ReactNode } from "react";

export function DialogActions({
  error,
  busy,
  onCancel,
  children,
  busyLabel,
  disabled = false,
  tone = "primary",
}: {
  /** Shown in an alert when set, e.g. `Not saved: ${error.message}`. */
  error?: string | null;
  busy: boolean;
  onCancel: () => void;
  /** The submit button's label. */
  children: ReactNode;
  busyLabel?: string;
  disabled?: boolean;
  tone?: "primary" | "danger";
}) {
  return (
    <>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 p-2 text-sm text-red-900">
          {error}
        </p>
      )}
      <div className="flex justify-end gap-2">
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className={tone === "danger" ? "btn-danger" : "btn-primary"} disabled={busy || disabled}>
          {busy && busyLabel ? busyLabel : children}
        </button>
      </div>
    </>
  );
}
