/** The shared loading, error and "not allowed" screens, so every page fails the same clear way. */
import { Link } from "react-router-dom";
import { ApiError } from "../api/client";

export function Spinner({ label = "Loading…" }: { label?: string }) {
  return (
    <div role="status" className="flex items-center gap-2 py-6 text-slate-700">
      <span aria-hidden="true" className="h-4 w-4 animate-spin rounded-full border-2 border-slate-400 border-t-transparent" />
      {label}
    </div>
  );
}

export function NotAllowed({ what = "this page", reason }: { what?: string; reason?: string }) {
  return (
    <section aria-labelledby="not-allowed-title" className="card mx-auto mt-8 max-w-lg p-6 text-center">
      <h1 id="not-allowed-title" className="text-xl font-semibold text-slate-900">
        Not allowed
      </h1>
      <p className="mt-2 text-slate-700">
        {reason ?? `Your role does not give you access to ${what}.`} Ask your manager if you think you should have
        access.
      </p>
      <Link to="/" className="btn-primary mt-4">
        Back to the live feed
      </Link>
    </section>
  );
}

export function NotFound({ what = "This page" }: { what?: string }) {
  return (
    <section className="card mx-auto mt-8 max-w-lg p-6 text-center">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="mt-2 text-slate-700">{what} does not exist or was removed.</p>
      <Link to="/" className="btn-primary mt-4">
        Back to the live feed
      </Link>
    </section>
  );
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  if (error instanceof ApiError && error.isForbidden) return <NotAllowed />;
  if (error instanceof ApiError && error.isNotFound) return <NotFound />;
  const message = error instanceof Error ? error.message : "Something went wrong.";
  return (
    <div role="alert" className="card my-4 border-red-300 bg-red-50 p-4 text-red-900">
      <p className="font-medium">Could not load this data.</p>
      <p className="mt-1 text-sm">{message}</p>
      {retry && (
        <button type="button" className="btn-secondary mt-3" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** Rendered for a whole page when the failure decides what the page is (403 and 404). */
export function pageErrorFor(error: unknown, what: string) {
  if (error instanceof ApiError && error.isForbidden) return <NotAllowed what={what} />;
  if (error instanceof ApiError && error.isNotFound) return <NotFound what={what.charAt(0).toUpperCase() + what.slice(1)} />;
  return null;
}
