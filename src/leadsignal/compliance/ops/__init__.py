"""Operations: error log, worker heartbeats, health figures, /metrics, the admin monitoring API
and the daily admin summary email."""
