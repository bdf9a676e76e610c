-- costaudit aggregate query (bigquery), format: costaudit analyze --aggregates.
-- Long-context thresholds from the price books: 100000, 127999, 199999, 200000, 272000.
WITH ca_raw AS (
  SELECT
    CAST(ts AS STRING) AS ts_text,
    NULLIF(CAST(request_id AS STRING), '') AS request_id,
    LOWER(COALESCE(CAST(provider AS STRING), '')) AS provider,
    CAST(model AS STRING) AS model,
    COALESCE(NULLIF(CAST(workflow AS STRING), ''), '(unnamed)') AS workflow,
    COALESCE(CAST(source AS STRING), '') AS source,
    COALESCE(CAST(team AS STRING), '') AS team,
    COALESCE(NULLIF(CAST(mode AS STRING), ''), 'sync') AS mode_text,
    CASE WHEN user_waiting IS NULL THEN -1 WHEN CAST(user_waiting AS STRING) IN ('true', '1') THEN 1 WHEN CAST(user_waiting AS STRING) IN ('false', '0') THEN 0 ELSE -2 END AS user_waiting,
    CAST(input_tokens AS INT64) AS input_tokens,
    CAST(cache_read_tokens AS INT64) AS cache_read_tokens,
    CAST(cache_write_5m_tokens AS INT64) AS cache_write_5m_tokens,
    CAST(cache_write_1h_tokens AS INT64) AS cache_write_1h_tokens,
    CAST(output_tokens AS INT64) AS output_tokens,
    CAST(reasoning_tokens AS INT64) AS reasoning_tokens,
    CAST(max_tokens AS INT64) AS max_tokens,
    CAST(FLOOR(ttft_ms + 0.5) AS INT64) AS ttft_ms,
    latency_ms AS latency_ms,
    CAST(status AS STRING) AS status_text,
    CAST(logged_cost_usd AS STRING) AS logged_text,
    SAFE_CAST(CAST(logged_cost_usd AS STRING) AS BIGNUMERIC) AS logged_cost_usd,
    CAST(JSON_VALUE(tags, '$.env') AS STRING) AS tag_0
  FROM logs
),
ca_ts AS (
  SELECT
    ca_raw.*,
    CASE
      WHEN REGEXP_CONTAINS(ts_text, r'^[0-9]{1,18}$') THEN CASE WHEN CAST(ts_text AS INT64) > 100000000000000000 THEN DIV(CAST(ts_text AS INT64), 1000) WHEN CAST(ts_text AS INT64) > 100000000000000 THEN CAST(ts_text AS INT64) WHEN CAST(ts_text AS INT64) > 100000000000 THEN CAST(ts_text AS INT64) * 1000 ELSE CAST(ts_text AS INT64) * 1000000 END
      WHEN REGEXP_CONTAINS(ts_text, r'^[0-9]+[.][0-9]*$') AND SAFE_CAST(ts_text AS FLOAT64) <= 100000000000 THEN CAST(FLOOR(SAFE_CAST(ts_text AS FLOAT64) * 1000000) AS INT64)
      WHEN REGEXP_CONTAINS(ts_text, r'^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}') THEN UNIX_MICROS(SAFE_CAST(ts_text AS TIMESTAMP))
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
ca_rec AS (
  SELECT
    ca_num.*,
    CASE WHEN status IN ('error', 'expired') OR (status = 'cancelled' AND mode = 'batch') THEN 0 ELSE 1 END AS billed,
    CASE WHEN status = 'cancelled' AND mode = 'stream' THEN 1 ELSE 0 END AS cancelled,
    CASE WHEN logged_cost_usd IS NULL THEN 0 ELSE 1 END AS logged_cost,
    FORMAT_TIMESTAMP('%Y-%m-%d', TIMESTAMP_MICROS(us), 'Europe/Paris') AS day,
    FORMAT_TIMESTAMP('%Y-%m-%d', TIMESTAMP_MICROS(us), 'UTC') AS utc_day,
    TO_JSON_STRING([team, COALESCE(tag_0, '')]) AS group_values,
    CASE WHEN us >= 1793487600000000 AND us < 1796166000000000 THEN 1 ELSE 0 END AS in_window,
    DIV(MOD(us, 86400000000), 600000000) AS bin,
    DIV(us, 60000000) AS ca_minute,
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
  CAST(billed AS INT64) AS billed,
  CAST(logged_cost AS INT64) AS logged_cost,
  day AS day,
  CAST(input_above AS INT64) AS input_above,
  '' AS source,
  '' AS team,
  CAST(0 AS INT64) AS user_waiting,
  CAST(0 AS INT64) AS ttft_bucket,
  '' AS tag,
  CAST(0 AS INT64) AS bin,
  '' AS reason,
  group_values AS group_values,
  CAST(COUNT(*) AS INT64) AS requests,
  CAST(SUM(COALESCE(input_tokens, 0)) AS INT64) AS input_tokens,
  CAST(SUM(COALESCE(cache_read_tokens, 0)) AS INT64) AS cache_read_tokens,
  CAST(SUM(COALESCE(cache_write_5m_tokens, 0)) AS INT64) AS cache_write_5m_tokens,
  CAST(SUM(COALESCE(cache_write_1h_tokens, 0)) AS INT64) AS cache_write_1h_tokens,
  CAST(SUM(COALESCE(output_tokens, 0)) AS INT64) AS output_tokens,
  CAST(SUM(COALESCE(reasoning_tokens, 0)) AS INT64) AS reasoning_tokens,
  CAST(SUM(cancelled) AS INT64) AS cancelled_streams,
  CAST(SUM(CASE WHEN cancelled = 1 THEN COALESCE(output_tokens, 0) ELSE 0 END) AS INT64) AS cancelled_output_tokens,
  CAST(SUM(CASE WHEN cancelled = 1 AND max_tokens > 0 AND max_tokens <= 1000000000000 THEN 1 ELSE 0 END) AS INT64) AS cancelled_with_max_tokens,
  CAST(SUM(CASE WHEN cancelled = 1 AND max_tokens > COALESCE(output_tokens, 0) AND max_tokens <= 1000000000000 THEN max_tokens - COALESCE(output_tokens, 0) ELSE 0 END) AS INT64) AS cancelled_headroom_tokens,
  COALESCE(SUM(logged_cost_usd), CAST(0 AS BIGNUMERIC)) AS logged_cost_usd,
  CAST(0 AS INT64) AS ttft_sum_ms,
  CAST(MIN(us) AS INT64) AS first_ts_us,
  CAST(MAX(us) AS INT64) AS last_ts_us
FROM ca_rec WHERE in_window = 1
GROUP BY workflow, provider, model, mode, billed, logged_cost, day, input_above, group_values
UNION ALL
SELECT
  'evidence' AS kind,
  workflow AS workflow,
  '' AS provider,
  model AS model,
  mode AS mode,
  CAST(0 AS INT64) AS billed,
  CAST(0 AS INT64) AS logged_cost,
  '' AS day,
  CAST(0 AS INT64) AS input_above,
  source AS source,
  team AS team,
  CAST(user_waiting AS INT64) AS user_waiting,
  CAST(ttft_bucket AS INT64) AS ttft_bucket,
  '' AS tag,
  CAST(0 AS INT64) AS bin,
  '' AS reason,
  '' AS group_values,
  CAST(COUNT(*) AS INT64) AS requests,
  CAST(0 AS INT64) AS input_tokens,
  CAST(0 AS INT64) AS cache_read_tokens,
  CAST(0 AS INT64) AS cache_write_5m_tokens,
  CAST(0 AS INT64) AS cache_write_1h_tokens,
  CAST(0 AS INT64) AS output_tokens,
  CAST(0 AS INT64) AS reasoning_tokens,
  CAST(0 AS INT64) AS cancelled_streams,
  CAST(0 AS INT64) AS cancelled_output_tokens,
  CAST(0 AS INT64) AS cancelled_with_max_tokens,
  CAST(0 AS INT64) AS cancelled_headroom_tokens,
  CAST(0 AS BIGNUMERIC) AS logged_cost_usd,
  CAST(SUM(CASE WHEN ttft_ms IS NULL THEN 0 ELSE ttft_ms END) AS INT64) AS ttft_sum_ms,
  CAST(0 AS INT64) AS first_ts_us,
  CAST(0 AS INT64) AS last_ts_us
FROM ca_rec WHERE in_window = 1
GROUP BY workflow, source, mode, model, team, user_waiting, ttft_bucket
UNION ALL
SELECT
  'arrival' AS kind,
  workflow AS workflow,
  provider AS provider,
  model AS model,
  mode AS mode,
  CAST(billed AS INT64) AS billed,
  CAST(0 AS INT64) AS logged_cost,
  utc_day AS day,
  CAST(input_above AS INT64) AS input_above,
  '' AS source,
  '' AS team,
  CAST(0 AS INT64) AS user_waiting,
  CAST(0 AS INT64) AS ttft_bucket,
  '' AS tag,
  CAST(bin AS INT64) AS bin,
  '' AS reason,
  '' AS group_values,
  CAST(COUNT(*) AS INT64) AS requests,
  CAST(SUM(COALESCE(input_tokens, 0)) AS INT64) AS input_tokens,
  CAST(SUM(COALESCE(cache_read_tokens, 0)) AS INT64) AS cache_read_tokens,
  CAST(SUM(COALESCE(cache_write_5m_tokens, 0)) AS INT64) AS cache_write_5m_tokens,
  CAST(SUM(COALESCE(cache_write_1h_tokens, 0)) AS INT64) AS cache_write_1h_tokens,
  CAST(SUM(COALESCE(output_tokens, 0)) AS INT64) AS output_tokens,
  CAST(0 AS INT64) AS reasoning_tokens,
  CAST(0 AS INT64) AS cancelled_streams,
  CAST(0 AS INT64) AS cancelled_output_tokens,
  CAST(0 AS INT64) AS cancelled_with_max_tokens,
  CAST(0 AS INT64) AS cancelled_headroom_tokens,
  CAST(0 AS BIGNUMERIC) AS logged_cost_usd,
  CAST(0 AS INT64) AS ttft_sum_ms,
  CAST(MIN(us) AS INT64) AS first_ts_us,
  CAST(0 AS INT64) AS last_ts_us
FROM ca_rec WHERE in_window = 1
GROUP BY workflow, provider, model, mode, billed, utc_day, input_above, bin, ca_minute
UNION ALL
SELECT
  'tag' AS kind,
  workflow AS workflow,
  '' AS provider,
  '' AS model,
  '' AS mode,
  CAST(0 AS INT64) AS billed,
  CAST(0 AS INT64) AS logged_cost,
  '' AS day,
  CAST(0 AS INT64) AS input_above,
  '' AS source,
  '' AS team,
  CAST(0 AS INT64) AS user_waiting,
  CAST(0 AS INT64) AS ttft_bucket,
  CONCAT('env=', tag_0) AS tag,
  CAST(0 AS INT64) AS bin,
  '' AS reason,
  '' AS group_values,
  CAST(COUNT(*) AS INT64) AS requests,
  CAST(0 AS INT64) AS input_tokens,
  CAST(0 AS INT64) AS cache_read_tokens,
  CAST(0 AS INT64) AS cache_write_5m_tokens,
  CAST(0 AS INT64) AS cache_write_1h_tokens,
  CAST(0 AS INT64) AS output_tokens,
  CAST(0 AS INT64) AS reasoning_tokens,
  CAST(0 AS INT64) AS cancelled_streams,
  CAST(0 AS INT64) AS cancelled_output_tokens,
  CAST(0 AS INT64) AS cancelled_with_max_tokens,
  CAST(0 AS INT64) AS cancelled_headroom_tokens,
  CAST(0 AS BIGNUMERIC) AS logged_cost_usd,
  CAST(0 AS INT64) AS ttft_sum_ms,
  CAST(0 AS INT64) AS first_ts_us,
  CAST(0 AS INT64) AS last_ts_us
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
  CAST(0 AS INT64) AS billed,
  CAST(0 AS INT64) AS logged_cost,
  '' AS day,
  CAST(0 AS INT64) AS input_above,
  '' AS source,
  '' AS team,
  CAST(0 AS INT64) AS user_waiting,
  CAST(0 AS INT64) AS ttft_bucket,
  '' AS tag,
  CAST(0 AS INT64) AS bin,
  '' AS reason,
  '' AS group_values,
  CAST(COUNT(*) AS INT64) AS requests,
  CAST(0 AS INT64) AS input_tokens,
  CAST(0 AS INT64) AS cache_read_tokens,
  CAST(0 AS INT64) AS cache_write_5m_tokens,
  CAST(0 AS INT64) AS cache_write_1h_tokens,
  CAST(0 AS INT64) AS output_tokens,
  CAST(0 AS INT64) AS reasoning_tokens,
  CAST(0 AS INT64) AS cancelled_streams,
  CAST(0 AS INT64) AS cancelled_output_tokens,
  CAST(0 AS INT64) AS cancelled_with_max_tokens,
  CAST(0 AS INT64) AS cancelled_headroom_tokens,
  CAST(0 AS BIGNUMERIC) AS logged_cost_usd,
  CAST(0 AS INT64) AS ttft_sum_ms,
  CAST(0 AS INT64) AS first_ts_us,
  CAST(0 AS INT64) AS last_ts_us
FROM ca_raw
UNION ALL
SELECT
  'duplicate' AS kind,
  '' AS workflow,
  '' AS provider,
  '' AS model,
  '' AS mode,
  CAST(0 AS INT64) AS billed,
  CAST(0 AS INT64) AS logged_cost,
  '' AS day,
  CAST(0 AS INT64) AS input_above,
  '' AS source,
  '' AS team,
  CAST(0 AS INT64) AS user_waiting,
  CAST(0 AS INT64) AS ttft_bucket,
  '' AS tag,
  CAST(0 AS INT64) AS bin,
  '' AS reason,
  '' AS group_values,
  CAST(COUNT(*) AS INT64) AS requests,
  CAST(0 AS INT64) AS input_tokens,
  CAST(0 AS INT64) AS cache_read_tokens,
  CAST(0 AS INT64) AS cache_write_5m_tokens,
  CAST(0 AS INT64) AS cache_write_1h_tokens,
  CAST(0 AS INT64) AS output_tokens,
  CAST(0 AS INT64) AS reasoning_tokens,
  CAST(0 AS INT64) AS cancelled_streams,
  CAST(0 AS INT64) AS cancelled_output_tokens,
  CAST(0 AS INT64) AS cancelled_with_max_tokens,
  CAST(0 AS INT64) AS cancelled_headroom_tokens,
  CAST(0 AS BIGNUMERIC) AS logged_cost_usd,
  CAST(0 AS INT64) AS ttft_sum_ms,
  CAST(0 AS INT64) AS first_ts_us,
  CAST(0 AS INT64) AS last_ts_us
FROM ca_num WHERE request_id IS NOT NULL AND copy_no > 1
UNION ALL
SELECT
  'rejected' AS kind,
  '' AS workflow,
  '' AS provider,
  '' AS model,
  '' AS mode,
  CAST(0 AS INT64) AS billed,
  CAST(0 AS INT64) AS logged_cost,
  '' AS day,
  CAST(0 AS INT64) AS input_above,
  '' AS source,
  '' AS team,
  CAST(0 AS INT64) AS user_waiting,
  CAST(0 AS INT64) AS ttft_bucket,
  '' AS tag,
  CAST(0 AS INT64) AS bin,
  reason AS reason,
  '' AS group_values,
  CAST(COUNT(*) AS INT64) AS requests,
  CAST(0 AS INT64) AS input_tokens,
  CAST(0 AS INT64) AS cache_read_tokens,
  CAST(0 AS INT64) AS cache_write_5m_tokens,
  CAST(0 AS INT64) AS cache_write_1h_tokens,
  CAST(0 AS INT64) AS output_tokens,
  CAST(0 AS INT64) AS reasoning_tokens,
  CAST(0 AS INT64) AS cancelled_streams,
  CAST(0 AS INT64) AS cancelled_output_tokens,
  CAST(0 AS INT64) AS cancelled_with_max_tokens,
  CAST(0 AS INT64) AS cancelled_headroom_tokens,
  CAST(0 AS BIGNUMERIC) AS logged_cost_usd,
  CAST(0 AS INT64) AS ttft_sum_ms,
  CAST(0 AS INT64) AS first_ts_us,
  CAST(0 AS INT64) AS last_ts_us
FROM ca_chk WHERE reason IS NOT NULL
GROUP BY reason
UNION ALL
SELECT
  'filtered' AS kind,
  '' AS workflow,
  '' AS provider,
  '' AS model,
  '' AS mode,
  CAST(0 AS INT64) AS billed,
  CAST(0 AS INT64) AS logged_cost,
  '' AS day,
  CAST(0 AS INT64) AS input_above,
  '' AS source,
  '' AS team,
  CAST(0 AS INT64) AS user_waiting,
  CAST(0 AS INT64) AS ttft_bucket,
  '' AS tag,
  CAST(0 AS INT64) AS bin,
  '' AS reason,
  '' AS group_values,
  CAST(COUNT(*) AS INT64) AS requests,
  CAST(0 AS INT64) AS input_tokens,
  CAST(0 AS INT64) AS cache_read_tokens,
  CAST(0 AS INT64) AS cache_write_5m_tokens,
  CAST(0 AS INT64) AS cache_write_1h_tokens,
  CAST(0 AS INT64) AS output_tokens,
  CAST(0 AS INT64) AS reasoning_tokens,
  CAST(0 AS INT64) AS cancelled_streams,
  CAST(0 AS INT64) AS cancelled_output_tokens,
  CAST(0 AS INT64) AS cancelled_with_max_tokens,
  CAST(0 AS INT64) AS cancelled_headroom_tokens,
  CAST(0 AS BIGNUMERIC) AS logged_cost_usd,
  CAST(0 AS INT64) AS ttft_sum_ms,
  CAST(0 AS INT64) AS first_ts_us,
  CAST(0 AS INT64) AS last_ts_us
FROM ca_rec WHERE in_window = 0
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 31
