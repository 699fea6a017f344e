#!/usr/bin/env bash
# Start the local PostgreSQL, Redis and RabbitMQ used by the test suite if they are not already running.
set -uo pipefail
if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then
  if command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
if command -v redis-cli >/dev/null && ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  for _ in $(seq 1 15); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 1; done
fi
if command -v rabbitmq-server >/dev/null && ! timeout 2 bash -c '</dev/tcp/127.0.0.1/5672' 2>/dev/null; then
  rabbitmq-server -detached || true
  for _ in $(seq 1 60); do timeout 2 bash -c '</dev/tcp/127.0.0.1/5672' 2>/dev/null && break; sleep 1; done
fi
