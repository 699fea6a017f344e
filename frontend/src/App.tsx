import { useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect } from "react";
import { Navigate, Route, Routes, useLocation, type Location } from "react-router-dom";
import { feedQuery } from "./api/signals";
import { useAuth } from "./auth/AuthContext";
import { can } from "./auth/roles";
import { Layout } from "./components/Layout";
import { NotAllowed, NotFound, Spinner } from "./components/States";
import { FeedPage } from "./pages/Feed";
import { IdentityReviewPage } from "./pages/IdentityReview";
import { LeadPage } from "./pages/Lead";
import { SearchPage } from "./pages/Search";
import { SignalListRedirect, SignalPage } from "./pages/Signal";
import { SignInPage } from "./pages/SignIn";

// The charting library is only loaded when someone opens Analytics.
const AnalyticsPage = lazy(() => import("./pages/Analytics"));
// Administration and compliance screens are their own chunks too: collectors never download them.
const AdminSections = lazy(() => import("./pages/AdminSections"));
const ComplianceSections = lazy(() => import("./pages/ComplianceSections"));

/** Where the signed-in user lands: the current page, or for the sign-in page the one it was sent from. */
function landingPath(location: Location): string {
  if (location.pathname !== "/signin") return location.pathname;
  return (location.state as { from?: { pathname?: string } } | null)?.from?.pathname ?? "/";
}

export function App() {
  const { user, loading } = useAuth();
  const location = useLocation();
  const queryClient = useQueryClient();
  const landing = landingPath(location);
  // Every role sees the feed, so its first page need not wait for /me: fetch both at once.
  useEffect(() => {
    if (loading && landing === "/") void queryClient.prefetchInfiniteQuery(feedQuery);
  }, [loading, landing, queryClient]);
  if (loading) return <Spinner label="Signing in…" />;
  if (!user) {
    return (
      <Routes>
        <Route path="/signin" element={<SignInPage />} />
        <Route path="*" element={<Navigate to="/signin" replace state={{ from: location }} />} />
      </Routes>
    );
  }
  return (
    <Routes>
      <Route path="/signin" element={<Navigate to="/" replace />} />
      <Route element={<Layout />}>
        <Route index element={<FeedPage />} />
        <Route path="search" element={<SearchPage />} />
        <Route path="leads/:leadId" element={<LeadPage />} />
        <Route path="signals" element={<SignalListRedirect />} />
        <Route path="signals/:signalId" element={<SignalPage />} />
        <Route
          path="analytics"
          element={
            can.viewAnalytics(user.role) ? (
              <Suspense fallback={<Spinner label="Loading charts…" />}>
                <AnalyticsPage />
              </Suspense>
            ) : (
              <NotAllowed what="analytics" />
            )
          }
        />
        <Route
          path="identity"
          element={can.viewIdentityReviews(user.role) ? <IdentityReviewPage /> : <NotAllowed what="the identity review queue" />}
        />
        <Route
          path="admin/*"
          element={
            can.administer(user.role) ? (
              <Suspense fallback={<Spinner />}>
                <AdminSections />
              </Suspense>
            ) : (
              <NotAllowed what="administration" />
            )
          }
        />
        <Route
          path="compliance/*"
          element={
            can.viewCompliance(user.role) ? (
              <Suspense fallback={<Spinner />}>
                <ComplianceSections />
              </Suspense>
            ) : (
              <NotAllowed what="the compliance pages" />
            )
          }
        />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
