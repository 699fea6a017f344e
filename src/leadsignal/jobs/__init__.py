"""Background work: Celery in production, the same functions inline in the embedded default."""
