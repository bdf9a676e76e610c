-- costaudit aggregate query (postgres), format: costaudit analyze --aggregates.
-- Long-context thresholds from the price books: 100000, 127999, 199999, 200000, 272000.
WITH ca_raw AS (
  SELECT
    CAST(ts AS TEXT) AS ts_text,
    NULLIF(CAST(request_id AS TEXT), '') AS request_id,
    LOWER(COALESCE(CAST(provider AS TEXT), '')) AS provider,
    CAST(model AS TEXT) AS model,
    COALESCE(NULLIF(CAST(workflow AS TEXT), ''), '(unnamed)') AS workflow,
    COALESCE(CAST(source AS TEXT), '') AS source,
    COALESCE(CAST(team AS TEXT), '') AS team,
    COALESCE(NULLIF(CAST(mode AS TEXT), ''), 'sync') AS mode_text,
    CASE WHEN user_waiting IS NULL THEN -1 WHEN CAST(user_waiting AS TEXT) IN ('true', '1') THEN 1 WHEN CAST(user_waiting AS TEXT) IN ('false', '0') THEN 0 ELSE -2 END AS user_waiting,
    CAST(input_tokens AS BIGINT) AS input_tokens,
    CAST(cache_read_tokens AS BIGINT) AS cache_read_tokens,
    CAST(cache_write_5m_tokens AS BIGINT) AS cache_write_5m_tokens,
    CAST(cache_write_1h_tokens AS BIGINT) AS cache_write_1h_tokens,
    CAST(output_tokens AS BIGINT) AS output_tokens,
    CAST(reasoning_tokens AS BIGINT) AS reasoning_tokens,
    CAST(max_tokens AS BIGINT) AS max_tokens,
    CAST(FLOOR(ttft_ms + 0.5) AS BIGINT) AS ttft_ms,
    latency_ms AS latency_ms,
    CAST(status AS TEXT) AS status_text,
    CAST(logged_cost_usd AS TEXT) AS logged_text,
    CASE WHEN CAST(logged_cost_usd AS TEXT) ~ '^-?[0-9]+([.][0-9]+)?([eE][-+]?[0-9]+)?$' THEN CAST(CAST(logged_cost_usd AS TEXT) AS NUMERIC) END AS logged_cost_usd,
    CAST(tags->>'env' AS TEXT) AS tag_0
  FROM logs
),
ca_ts AS (
  SELECT
    ca_raw.*,
    CASE
      WHEN (ts_text ~ '^[0-9]{1,18}$') THEN CASE WHEN CAST(ts_text AS BIGINT) > 100000000000000000 THEN (CAST(ts_text AS BIGINT)) / 1000 WHEN CAST(ts_text AS BIGINT) > 100000000000000 THEN CAST(ts_text AS BIGINT) WHEN CAST(ts_text AS BIGINT) > 100000000000 THEN CAST(ts_text AS BIGINT) * 1000 ELSE CAST(ts_text AS BIGINT) * 1000000 END
      WHEN (ts_text ~ '^[0-9]+[.][0-9]*$') AND CAST(ts_text AS DOUBLE PRECISION) <= 100000000000 THEN CAST(FLOOR(CAST(ts_text AS DOUBLE PRECISION) * 1000000) AS BIGINT)
      WHEN (ts_text ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}') THEN CASE WHEN ts_text ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]{1,9})?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?$' AND substr(ts_text, 1, 4) <> '0000' THEN CASE WHEN CAST(substr(ts_text, 6, 2) AS INT) BETWEEN 1 AND 12 AND CAST(substr(ts_text, 12, 2) AS INT) <= 23 AND CAST(substr(ts_text, 15, 2) AS INT) <= 59 AND CAST(substr(ts_text, 18, 2) AS INT) <= 59 THEN CASE WHEN CAST(substr(ts_text, 9, 2) AS INT) BETWEEN 1 AND EXTRACT(DAY FROM make_date(CAST(substr(ts_text, 1, 4) AS INT), CAST(substr(ts_text, 6, 2) AS INT), 1) + INTERVAL '1 month' - INTERVAL '1 day') THEN (make_date(CAST(substr(ts_text, 1, 4) AS INT), CAST(substr(ts_text, 6, 2) AS INT), 1) - DATE '1970-01-01' + CAST(substr(ts_text, 9, 2) AS INT) - 1) * CAST(86400000000 AS BIGINT) + CAST(substr(ts_text, 12, 2) AS INT) * CAST(3600000000 AS BIGINT) + CAST(substr(ts_text, 15, 2) AS INT) * CAST(60000000 AS BIGINT) + CAST(substr(ts_text, 18, 2) AS INT) * CAST(1000000 AS BIGINT) + COALESCE(CAST(rpad(substr(substring(ts_text from '^.{19}[.]([0-9]+)'), 1, 6), 6, '0') AS BIGINT), 0) - COALESCE(CASE WHEN substring(ts_text from '([+-])[0-9]{2}:?[0-9]{0,2}$') = '-' THEN -1 ELSE 1 END * (COALESCE(CAST(substring(ts_text from '[+-]([0-9]{2}):?[0-9]{0,2}$') AS INT), 0) * 3600 + COALESCE(CAST(substring(ts_text from '[+-][0-9]{2}:?([0-9]{2})$') AS INT), 0) * 60) * CAST(1000000 AS BIGINT), 0) END END END
    END AS us
  FROM ca_raw
),
ca_chk AS (
  SELECT
    ca_ts.*,
    CASE WHEN mode_text IN ('sync', 'stream', 'batch', 'flex', 'priority') THEN mode_text END AS mode,
    CASE
      WHEN status_text IS NULL OR status_text IN ('', 'ok', 'success', 'succeeded', 'completed') THEN 'ok'
      WHEN status_text IN ('error', 'errored', 'failed', 'failure') THEN 'error'
      WHEN status_text IN ('cancelled', 'canceled', 'aborted') THEN 'cancelled'
      WHEN status_text = 'expired' THEN 'expired'
    END AS status,
    COALESCE(input_tokens, 0) + COALESCE(cache_read_tokens, 0) + COALESCE(cache_write_5m_tokens, 0) + COALESCE(cache_write_1h_tokens, 0) AS total_input,
    CASE
      WHEN ts_text IS NULL THEN 'missing field ts'
      WHEN us IS NULL THEN 'bad timestamp'
      WHEN model IS NULL THEN 'missing field model'
      WHEN model = '' THEN 'bad value'
      WHEN input_tokens < 0 OR cache_read_tokens < 0 OR cache_write_5m_tokens < 0 OR cache_write_1h_tokens < 0 OR output_tokens < 0 OR reasoning_tokens < 0 THEN 'negative token count'
      WHEN input_tokens IS NULL AND cache_read_tokens IS NULL AND cache_write_5m_tokens IS NULL AND cache_write_1h_tokens IS NULL AND output_tokens IS NULL THEN 'missing field tokens'
      WHEN mode_text NOT IN ('sync', 'stream', 'batch', 'flex', 'priority') THEN 'bad value'
      WHEN NOT (status_text IS NULL OR status_text IN ('', 'ok', 'success', 'succeeded', 'completed', 'error', 'errored', 'failed', 'failure', 'cancelled', 'canceled', 'aborted', 'expired')) THEN 'bad value'
      WHEN user_waiting = -2 THEN 'bad value'
      WHEN latency_ms < 0 OR ttft_ms < 0 THEN 'bad value'
      WHEN max_tokens < -1 THEN 'negative token count'
      WHEN logged_text IS NOT NULL AND logged_cost_usd IS NULL THEN 'bad value'
      WHEN us < 946684800000000 OR us >= 4102444800000000 THEN 'timestamp out of range'
      WHEN input_tokens > 1000000000000 OR cache_read_tokens > 1000000000000 OR cache_write_5m_tokens > 1000000000000 OR cache_write_1h_tokens > 1000000000000 OR output_tokens > 1000000000000 OR reasoning_tokens > 1000000000000 THEN 'token count too large'
    END AS reason
  FROM ca_ts
),
ca_num AS (
  SELECT
    ca_chk.*,
    ROW_NUMBER() OVER (PARTITION BY request_id ORDER BY total_input + COALESCE(output_tokens, 0) DESC, CASE WHEN status IN ('error', 'expired') OR (status = 'cancelled' AND mode = 'batch') THEN 0 ELSE 1 END DESC, us) AS copy_no
  FROM ca_chk
  WHERE reason IS NULL
),
ca_rec AS MATERIALIZED (
  SELECT
    ca_num.*,
    CASE WHEN status IN ('error', 'expired') OR (status = 'cancelled' AND mode = 'batch') THEN 0 ELSE 1 END AS billed,
    CASE WHEN status = 'cancelled' AND mode = 'stream' THEN 1 ELSE 0 END AS cancelled,
    CASE WHEN logged_cost_usd IS NULL THEN 0 ELSE 1 END AS logged_cost,
    to_char(to_timestamp(us / 1000000.0) AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD') AS day,
    to_char(to_timestamp(us / 1000000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS utc_day,
    CAST(json_build_array(team, COALESCE(tag_0, '')) AS TEXT) AS group_values,
    CASE WHEN us >= 1793487600000000 AND us < 1796166000000000 THEN 1 ELSE 0 END AS in_window,
    ((us) % 86400000000) / 600000000 AS bin,
    (us) / 60000000 AS ca_minute,
    CASE WHEN total_input > 272000 THEN 272000 WHEN total_input > 200000 THEN 200000 WHEN total_input > 199999 THEN 199999 WHEN total_input > 127999 THEN 127999 WHEN total_input > 100000 THEN 100000 ELSE 0 END AS input_above,
    CASE WHEN ttft_ms IS NULL THEN -1 WHEN ttft_ms < 100 THEN 0 WHEN ttft_ms < 200 THEN 1 WHEN ttft_ms < 300 THEN 2 WHEN ttft_ms < 500 THEN 3 WHEN ttft_ms < 750 THEN 4 WHEN ttft_ms < 1000 THEN 5 WHEN ttft_ms < 1500 THEN 6 WHEN ttft_ms < 2000 THEN 7 WHEN ttft_ms < 3000 THEN 8 WHEN ttft_ms < 5000 THEN 9 WHEN ttft_ms < 10000 THEN 10 WHEN ttft_ms < 30000 THEN 11 ELSE 12 END AS ttft_bucket
  FROM ca_num
  WHERE request_id IS NULL OR copy_no = 1
)
SELECT
  'row' AS kind,
  workflow AS workflow,
  provider AS provider,
  model AS model,
  mode AS mode,
  CAST(billed AS BIGINT) AS billed,
  CAST(logged_cost AS BIGINT) AS logged_cost,
  day AS day,
  CAST(input_above AS BIGINT) AS input_above,
  '' AS source,
  '' AS team,
  CAST(0 AS BIGINT) AS user_waiting,
  CAST(0 AS BIGINT) AS ttft_bucket,
  '' AS tag,
  CAST(0 AS BIGINT) AS bin,
  '' AS reason,
  group_values AS group_values,
  CAST(COUNT(*) AS BIGINT) AS requests,
  CAST(SUM(COALESCE(input_tokens, 0)) AS BIGINT) AS input_tokens,
  CAST(SUM(COALESCE(cache_read_tokens, 0)) AS BIGINT) AS cache_read_tokens,
  CAST(SUM(COALESCE(cache_write_5m_tokens, 0)) AS BIGINT) AS cache_write_5m_tokens,
  CAST(SUM(COALESCE(cache_write_1h_tokens, 0)) AS BIGINT) AS cache_write_1h_tokens,
  CAST(SUM(COALESCE(output_tokens, 0)) AS BIGINT) AS output_tokens,
  CAST(SUM(COALESCE(reasoning_tokens, 0)) AS BIGINT) AS reasoning_tokens,
  CAST(SUM(cancelled) AS BIGINT) AS cancelled_streams,
  CAST(SUM(CASE WHEN cancelled = 1 THEN COALESCE(output_tokens, 0) ELSE 0 END) AS BIGINT) AS cancelled_output_tokens,
  CAST(SUM(CASE WHEN cancelled = 1 AND max_tokens > 0 AND max_tokens <= 1000000000000 THEN 1 ELSE 0 END) AS BIGINT) AS cancelled_with_max_tokens,
  CAST(SUM(CASE WHEN cancelled = 1 AND max_tokens > COALESCE(output_tokens, 0) AND max_tokens <= 1000000000000 THEN max_tokens - COALESCE(output_tokens, 0) ELSE 0 END) AS BIGINT) AS cancelled_headroom_tokens,
  COALESCE(SUM(logged_cost_usd), CAST(0 AS NUMERIC)) AS logged_cost_usd,
  CAST(0 AS BIGINT) AS ttft_sum_ms,
  CAST(MIN(us) AS BIGINT) AS first_ts_us,
  CAST(MAX(us) AS BIGINT) AS last_ts_us
FROM ca_rec WHERE in_window = 1
GROUP BY workflow, provider, model, mode, billed, logged_cost, day, input_above, group_values
UNION ALL
SELECT
  'evidence' AS kind,
  workflow AS workflow,
  '' AS provider,
  model AS model,
  mode AS mode,
  CAST(0 AS BIGINT) AS billed,
  CAST(0 AS BIGINT) AS logged_cost,
  '' AS day,
  CAST(0 AS BIGINT) AS input_above,
  source AS source,
  team AS team,
  CAST(user_waiting AS BIGINT) AS user_waiting,
  CAST(ttft_bucket AS BIGINT) AS ttft_bucket,
  '' AS tag,
  CAST(0 AS BIGINT) AS bin,
  '' AS reason,
  '' AS group_values,
  CAST(COUNT(*) AS BIGINT) AS requests,
  CAST(0 AS BIGINT) AS input_tokens,
  CAST(0 AS BIGINT) AS cache_read_tokens,
  CAST(0 AS BIGINT) AS cache_write_5m_tokens,
  CAST(0 AS BIGINT) AS cache_write_1h_tokens,
  CAST(0 AS BIGINT) AS output_tokens,
  CAST(0 AS BIGINT) AS reasoning_tokens,
  CAST(0 AS BIGINT) AS cancelled_streams,
  CAST(0 AS BIGINT) AS cancelled_output_tokens,
  CAST(0 AS BIGINT) AS cancelled_with_max_tokens,
  CAST(0 AS BIGINT) AS cancelled_headroom_tokens,
  CAST(0 AS NUMERIC) AS logged_cost_usd,
  CAST(SUM(CASE WHEN ttft_ms IS NULL THEN 0 ELSE ttft_ms END) AS BIGINT) AS ttft_sum_ms,
  CAST(0 AS BIGINT) AS first_ts_us,
  CAST(0 AS BIGINT) AS last_ts_us
FROM ca_rec WHERE in_window = 1
GROUP BY workflow, source, mode, model, team, user_waiting, ttft_bucket
UNION ALL
SELECT
  'arrival' AS kind,
  workflow AS workflow,
  provider AS provider,
  model AS model,
  mode AS mode,
  CAST(billed AS BIGINT) AS billed,
  CAST(0 AS BIGINT) AS logged_cost,
  utc_day AS day,
  CAST(input_above AS BIGINT) AS input_above,
  '' AS source,
  '' AS team,
  CAST(0 AS BIGINT) AS user_waiting,
  CAST(0 AS BIGINT) AS ttft_bucket,
  '' AS tag,
  CAST(bin AS BIGINT) AS bin,
  '' AS reason,
  '' AS group_values,
  CAST(COUNT(*) AS BIGINT) AS requests,
  CAST(SUM(COALESCE(input_tokens, 0)) AS BIGINT) AS input_tokens,
  CAST(SUM(COALESCE(cache_read_tokens, 0)) AS BIGINT) AS cache_read_tokens,
  CAST(SUM(COALESCE(cache_write_5m_tokens, 0)) AS BIGINT) AS cache_write_5m_tokens,
  CAST(SUM(COALESCE(cache_write_1h_tokens, 0)) AS BIGINT) AS cache_write_1h_tokens,
  CAST(SUM(COALESCE(output_tokens, 0)) AS BIGINT) AS output_tokens,
  CAST(0 AS BIGINT) AS reasoning_tokens,
  CAST(0 AS BIGINT) AS cancelled_streams,
  CAST(0 AS BIGINT) AS cancelled_output_tokens,
  CAST(0 AS BIGINT) AS cancelled_with_max_tokens,
  CAST(0 AS BIGINT) AS cancelled_headroom_tokens,
  CAST(0 AS NUMERIC) AS logged_cost_usd,
  CAST(0 AS BIGINT) AS ttft_sum_ms,
  CAST(MIN(us) AS BIGINT) AS first_ts_us,
  CAST(0 AS BIGINT) AS last_ts_us
FROM ca_rec WHERE in_window = 1
GROUP BY workflow, provider, model, mode, billed, utc_day, input_above, bin, ca_minute
UNION ALL
SELECT
  'tag' AS kind,
  workflow AS workflow,
  '' AS provider,
  '' AS model,
  '' AS mode,
  CAST(0 AS BIGINT) AS billed,
  CAST(0 AS BIGINT) AS logged_cost,
  '' AS day,
  CAST(0 AS BIGINT) AS input_above,
  '' AS source,
  '' AS team,
  CAST(0 AS BIGINT) AS user_waiting,
  CAST(0 AS BIGINT) AS ttft_bucket,
  CONCAT('env=', tag_0) AS tag,
  CAST(0 AS BIGINT) AS bin,
  '' AS reason,
  '' AS group_values,
  CAST(COUNT(*) AS BIGINT) AS requests,
  CAST(0 AS BIGINT) AS input_tokens,
  CAST(0 AS BIGINT) AS cache_read_tokens,
  CAST(0 AS BIGINT) AS cache_write_5m_tokens,
  CAST(0 AS BIGINT) AS cache_write_1h_tokens,
  CAST(0 AS BIGINT) AS output_tokens,
  CAST(0 AS BIGINT) AS reasoning_tokens,
  CAST(0 AS BIGINT) AS cancelled_streams,
  CAST(0 AS BIGINT) AS cancelled_output_tokens,
  CAST(0 AS BIGINT) AS cancelled_with_max_tokens,
  CAST(0 AS BIGINT) AS cancelled_headroom_tokens,
  CAST(0 AS NUMERIC) AS logged_cost_usd,
  CAST(0 AS BIGINT) AS ttft_sum_ms,
  CAST(0 AS BIGINT) AS first_ts_us,
  CAST(0 AS BIGINT) AS last_ts_us
FROM ca_rec
WHERE in_window = 1 AND tag_0 IS NOT NULL
GROUP BY workflow, CONCAT('env=', tag_0)
UNION ALL
SELECT
  'scanned' AS kind,
  '' AS workflow,
  '' AS provider,
  '' AS model,
  '' AS mode,
  CAST(0 AS BIGINT) AS billed,
  CAST(0 AS BIGINT) AS logged_cost,
  '' AS day,
  CAST(0 AS BIGINT) AS input_above,
  '' AS source,
  '' AS team,
  CAST(0 AS BIGINT) AS user_waiting,
  CAST(0 AS BIGINT) AS ttft_bucket,
  '' AS tag,
  CAST(0 AS BIGINT) AS bin,
  '' AS reason,
  '' AS group_values,
  CAST(COUNT(*) AS BIGINT) AS requests,
  CAST(0 AS BIGINT) AS input_tokens,
  CAST(0 AS BIGINT) AS cache_read_tokens,
  CAST(0 AS BIGINT) AS cache_write_5m_tokens,
  CAST(0 AS BIGINT) AS cache_write_1h_tokens,
  CAST(0 AS BIGINT) AS output_tokens,
  CAST(0 AS BIGINT) AS reasoning_tokens,
  CAST(0 AS BIGINT) AS cancelled_streams,
  CAST(0 AS BIGINT) AS cancelled_output_tokens,
  CAST(0 AS BIGINT) AS cancelled_with_max_tokens,
  CAST(0 AS BIGINT) AS cancelled_headroom_tokens,
  CAST(0 AS NUMERIC) AS logged_cost_usd,
  CAST(0 AS BIGINT) AS ttft_sum_ms,
  CAST(0 AS BIGINT) AS first_ts_us,
  CAST(0 AS BIGINT) AS last_ts_us
FROM ca_raw
UNION ALL
SELECT
  'duplicate' AS kind,
  '' AS workflow,
  '' AS provider,
  '' AS model,
  '' AS mode,
  CAST(0 AS BIGINT) AS billed,
  CAST(0 AS BIGINT) AS logged_cost,
  '' AS day,
  CAST(0 AS BIGINT) AS input_above,
  '' AS source,
  '' AS team,
  CAST(0 AS BIGINT) AS user_waiting,
  CAST(0 AS BIGINT) AS ttft_bucket,
  '' AS tag,
  CAST(0 AS BIGINT) AS bin,
  '' AS reason,
  '' AS group_values,
  CAST(COUNT(*) AS BIGINT) AS requests,
  CAST(0 AS BIGINT) AS input_tokens,
  CAST(0 AS BIGINT) AS cache_read_tokens,
  CAST(0 AS BIGINT) AS cache_write_5m_tokens,
  CAST(0 AS BIGINT) AS cache_write_1h_tokens,
  CAST(0 AS BIGINT) AS output_tokens,
  CAST(0 AS BIGINT) AS reasoning_tokens,
  CAST(0 AS BIGINT) AS cancelled_streams,
  CAST(0 AS BIGINT) AS cancelled_output_tokens,
  CAST(0 AS BIGINT) AS cancelled_with_max_tokens,
  CAST(0 AS BIGINT) AS cancelled_headroom_tokens,
  CAST(0 AS NUMERIC) AS logged_cost_usd,
  CAST(0 AS BIGINT) AS ttft_sum_ms,
  CAST(0 AS BIGINT) AS first_ts_us,
  CAST(0 AS BIGINT) AS last_ts_us
FROM ca_num WHERE request_id IS NOT NULL AND copy_no > 1
UNION ALL
SELECT
  'rejected' AS kind,
  '' AS workflow,
  '' AS provider,
  '' AS model,
  '' AS mode,
  CAST(0 AS BIGINT) AS billed,
  CAST(0 AS BIGINT) AS logged_cost,
  '' AS day,
  CAST(0 AS BIGINT) AS input_above,
  '' AS source,
  '' AS team,
  CAST(0 AS BIGINT) AS user_waiting,
  CAST(0 AS BIGINT) AS ttft_bucket,
  '' AS tag,
  CAST(0 AS BIGINT) AS bin,
  reason AS reason,
  '' AS group_values,
  CAST(COUNT(*) AS BIGINT) AS requests,
  CAST(0 AS BIGINT) AS input_tokens,
  CAST(0 AS BIGINT) AS cache_read_tokens,
  CAST(0 AS BIGINT) AS cache_write_5m_tokens,
  CAST(0 AS BIGINT) AS cache_write_1h_tokens,
  CAST(0 AS BIGINT) AS output_tokens,
  CAST(0 AS BIGINT) AS reasoning_tokens,
  CAST(0 AS BIGINT) AS cancelled_streams,
  CAST(0 AS BIGINT) AS cancelled_output_tokens,
  CAST(0 AS BIGINT) AS cancelled_with_max_tokens,
  CAST(0 AS BIGINT) AS cancelled_headroom_tokens,
  CAST(0 AS NUMERIC) AS logged_cost_usd,
  CAST(0 AS BIGINT) AS ttft_sum_ms,
  CAST(0 AS BIGINT) AS first_ts_us,
  CAST(0 AS BIGINT) AS last_ts_us
FROM ca_chk WHERE reason IS NOT NULL
GROUP BY reason
UNION ALL
SELECT
  'filtered' AS kind,
  '' AS workflow,
  '' AS provider,
  '' AS model,
  '' AS mode,
  CAST(0 AS BIGINT) AS billed,
  CAST(0 AS BIGINT) AS logged_cost,
  '' AS day,
  CAST(0 AS BIGINT) AS input_above,
  '' AS source,
  '' AS team,
  CAST(0 AS BIGINT) AS user_waiting,
  CAST(0 AS BIGINT) AS ttft_bucket,
  '' AS tag,
  CAST(0 AS BIGINT) AS bin,
  '' AS reason,
  '' AS group_values,
  CAST(COUNT(*) AS BIGINT) AS requests,
  CAST(0 AS BIGINT) AS input_tokens,
  CAST(0 AS BIGINT) AS cache_read_tokens,
  CAST(0 AS BIGINT) AS cache_write_5m_tokens,
  CAST(0 AS BIGINT) AS cache_write_1h_tokens,
  CAST(0 AS BIGINT) AS output_tokens,
  CAST(0 AS BIGINT) AS reasoning_tokens,
  CAST(0 AS BIGINT) AS cancelled_streams,
  CAST(0 AS BIGINT) AS cancelled_output_tokens,
  CAST(0 AS BIGINT) AS cancelled_with_max_tokens,
  CAST(0 AS BIGINT) AS cancelled_headroom_tokens,
  CAST(0 AS NUMERIC) AS logged_cost_usd,
  CAST(0 AS BIGINT) AS ttft_sum_ms,
  CAST(0 AS BIGINT) AS first_ts_us,
  CAST(0 AS BIGINT) AS last_ts_us
FROM ca_rec WHERE in_window = 0
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 31
