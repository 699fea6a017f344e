/** Who is signed in. The role returned by /me decides which screens and actions are shown. */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { ApiError, request } from "../api/client";
import type { Me, TokenResponse } from "../api/types";
import { tokens } from "./tokens";

export interface AuthState {
  user: Me | null;
  loading: boolean;
  signIn: (email: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const AuthCtx = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [hasSession, setHasSession] = useState(tokens.hasSession());

  const me = useQuery({
    queryKey: ["me"],
    queryFn: () => request<Me>("/me"),
    enabled: hasSession,
    staleTime: 5 * 60_000,
    retry: false,
  });

  useEffect(
    () =>
      tokens.onLost(() => {
        setHasSession(false);
        queryClient.clear();
      }),
    [queryClient],
  );

  const signIn = useCallback(
    async (email: string, password: string) => {
      const pair = await request<TokenResponse>("/auth/login", {
        method: "POST",
        body: { email, password },
        auth: false,
      });
      tokens.set(pair);
      queryClient.clear();
      setHasSession(true);
      await queryClient.fetchQuery({ queryKey: ["me"], queryFn: () => request<Me>("/me") });
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    const refresh = tokens.refreshToken();
    try {
      // No access token needed (nor a refresh first, which would rotate the token being revoked).
      if (refresh) await request("/auth/logout", { method: "POST", body: { refresh_token: refresh }, auth: false });
    } catch (e) {
      // Signing out locally must work even when the server cannot be reached.
      if (!(e instanceof ApiError)) console.warn("logout failed", e);
    }
    tokens.clear();
    setHasSession(false);
    queryClient.clear();
  }, [queryClient]);

  const value = useMemo<AuthState>(
    () => ({
      user: hasSession ? (me.data ?? null) : null,
      loading: hasSession && me.isPending,
      signIn,
      signOut,
    }),
    [hasSession, me.data, me.isPending, signIn, signOut],
  );
  return <AuthCtx.Provider value={value}>{children}</AuthCtx.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthCtx);
  if (!ctx) throw new Error("useAuth must be used inside <AuthProvider>");
  return ctx;
}
