/**
 * The one fetch wrapper: adds the bearer token, refreshes it once on 401, and turns the API's
 * error envelope ({"error": {code, message, details}}) into an ApiError the screens can show.
 */
import { tokens } from "../auth/tokens";

export const API_BASE = "/api/v1";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details: unknown = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }

  get isForbidden(): boolean {
    return this.status === 403;
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

export type Query = Record<string, string | number | boolean | null | undefined | string[]>;

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === "") continue;
    if (Array.isArray(value)) value.forEach((v) => params.append(key, v));
    else params.set(key, String(value));
  }
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ""}`;
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy error page, an empty body): fall back to the status text below.
  }
  const err = (body as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
  if (err && typeof err.message === "string") {
    return new ApiError(res.status, err.code ?? "error", err.message, err.details ?? null);
  }
  const detail = (body as { detail?: unknown } | null)?.detail;
  const message = typeof detail === "string" ? detail : res.statusText || `Request failed (${res.status})`;
  return new ApiError(res.status, `http_${res.status}`, message);
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Login and refresh must not trigger another refresh. */
  auth?: boolean;
  /** Extra headers, e.g. an Idempotency-Key. */
  headers?: Record<string, string>;
}

export async function rawRequest(path: string, opts: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json", ...opts.headers };
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  // A stored access token that has expired (or none at all) is refreshed first, not sent to earn a 401.
  if (opts.auth !== false) await tokens.ensureFresh();
  const access = opts.auth === false ? null : tokens.access();
  if (access) headers.Authorization = `Bearer ${access}`;
  return fetch(buildUrl(path, opts.query), {
    method: opts.method ?? "GET",
    headers,
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: opts.signal,
  });
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  let res = await rawRequest(path, opts);
  if (res.status === 401 && opts.auth !== false && (await tokens.refresh())) {
    res = await rawRequest(path, opts);
  }
  if (res.status === 401 && opts.auth !== false) tokens.lost();
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A file from the API as a Blob (CSV, JSON, HTML exports): fetched with the bearer token, unlike a plain link. */
export async function requestBlob(path: string, opts: RequestOptions = {}): Promise<{ blob: Blob; filename: string | null }> {
  const withAccept = { ...opts, headers: { Accept: "*/*", ...opts.headers } };
  let res = await rawRequest(path, withAccept);
  if (res.status === 401 && (await tokens.refresh())) res = await rawRequest(path, withAccept);
  if (res.status === 401) tokens.lost();
  if (!res.ok) throw await toApiError(res);
  const disposition = res.headers.get("Content-Disposition") ?? "";
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
  return { blob: await res.blob(), filename: match?.[1] ? decodeURIComponent(match[1]) : null };
}

/** Fetch a file with the session's token and hand it to the browser as a download. */
export async function downloadFile(path: string, query: Query, fallbackName: string): Promise<void> {
  const { blob, filename } = await requestBlob(path, { query });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename ?? fallbackName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export { toApiError };
