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

let inflight: Promise<boolean> | null = null;
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
