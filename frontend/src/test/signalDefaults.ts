/** The scoring and alerting fields every signal from the API carries, for test fixtures. */
export const alertFields = {
  priority: "medium",
  priority_score: 48.5,
  score_breakdown: { type_weight: 1, confidence: 0.9, match_confidence: 0.97, freshness: 1 },
  stale: false,
  alert_status: "alerted",
  blocked_reasons: [] as string[],
  assignee_user_id: null,
  alerted_at: null,
  sentiment_label: null,
  model_version: null,
};
