/**
 * Where the session's tokens live: sessionStorage, so a reload keeps the session but closing the
 * tab ends it. The access token (15 minutes) is kept there too, so a reload does not need a
 * refresh: refresh tokens rotate, and a reload that interrupted a refresh would otherwise present
 * the old token, which the server treats as reuse and answers by revoking the whole login.
 * Concurrent 401s share one refresh call for the same reason.
 */
const REFRESH_KEY = "leadsignal.refresh";
const ACCESS_KEY = "leadsignal.access";

type Listener = () => void;

export interface TokenPair {
  access_token: string;
  refresh_token: string;
}

/** Refresh this long before the access token's `exp`, for clock skew and the request's own latency. */
export const EXPIRY_MARGIN_MS = 30_000;

let inflight: Promise<boolean> | null = null;

/** A JWT's `exp` in milliseconds, or null when the token is not a JWT whose payload can be read. */
function expiresAtMs(token: string): number | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const b64 = payload.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(payload.length / 4) * 4, "=");
    const exp = (JSON.parse(atob(b64)) as { exp?: unknown }).exp;
    return typeof exp === "number" ? exp * 1000 : null;
  } catch {
    return null;
  }
}

const lostListeners = new Set<Listener>();

async function doRefresh(): Promise<boolean> {
  const refresh = sessionStorage.getItem(REFRESH_KEY);
  if (!refresh) return false;
  try {
    const res = await fetch("/api/v1/auth/refresh", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ refresh_token: refresh }),
    });
    if (!res.ok) {
      tokens.clear();
      return false;
    }
    tokens.set((await res.json()) as TokenPair);
    return true;
  } catch {
    return false;
  }
}

export const tokens = {
  access(): string | null {
    return sessionStorage.getItem(ACCESS_KEY);
  },
  refreshToken(): string | null {
    return sessionStorage.getItem(REFRESH_KEY);
  },
  hasSession(): boolean {
    return sessionStorage.getItem(REFRESH_KEY) !== null;
  },
  set(pair: TokenPair): void {
    sessionStorage.setItem(ACCESS_KEY, pair.access_token);
    sessionStorage.setItem(REFRESH_KEY, pair.refresh_token);
  },
  clear(): void {
    sessionStorage.removeItem(ACCESS_KEY);
    sessionStorage.removeItem(REFRESH_KEY);
  },
  /** Whether the stored access token may still be sent: present, and not (nearly) expired when its expiry can be read. */
  accessUsable(now = Date.now()): boolean {
    const access = sessionStorage.getItem(ACCESS_KEY);
    if (!access) return false;
    const exp = expiresAtMs(access);
    return exp === null || exp - EXPIRY_MARGIN_MS > now;
  },
  /**
   * Refresh before a request when only the refresh token is usable, so a returning user's first
   * screen does not start with a 401. Concurrent callers share the one refresh.
   */
  async ensureFresh(): Promise<void> {
    if (tokens.hasSession() && !tokens.accessUsable()) await tokens.refresh();
  },
  refresh(): Promise<boolean> {
    inflight ??= doRefresh().finally(() => {
      inflight = null;
    });
    return inflight;
  },
  /** The server refused the session even after a refresh: every screen goes back to sign-in. */
  lost(): void {
    tokens.clear();
    lostListeners.forEach((fn) => fn());
  },
  onLost(fn: Listener): () => void {
    lostListeners.add(fn);
    return () => lostListeners.delete(fn);
  },
};
