-- costaudit aggregate query (clickhouse), format: costaudit analyze --aggregates.
-- Long-context thresholds from the price books: 100000, 127999, 199999, 200000, 272000.
WITH ca_raw AS (
  SELECT
    toString(ts) AS ts_text,
    NULLIF(toString(request_id), '') AS request_id,
    LOWER(COALESCE(toString(provider), '')) AS provider,
    toString(model) AS model,
    COALESCE(NULLIF(toString(workflow), ''), '(unnamed)') AS workflow,
    COALESCE(toString(source), '') AS source,
    COALESCE(toString(team), '') AS team,
    COALESCE(NULLIF(toString(mode), ''), 'sync') AS mode_text,
    CASE WHEN user_waiting IS NULL THEN -1 WHEN toString(user_waiting) IN ('true', '1') THEN 1 WHEN toString(user_waiting) IN ('false', '0') THEN 0 ELSE -2 END AS user_waiting,
    toInt64(input_tokens) AS input_tokens,
    toInt64(cache_read_tokens) AS cache_read_tokens,
    toInt64(cache_write_5m_tokens) AS cache_write_5m_tokens,
    toInt64(cache_write_1h_tokens) AS cache_write_1h_tokens,
    toInt64(output_tokens) AS output_tokens,
    toInt64(reasoning_tokens) AS reasoning_tokens,
    toInt64(max_tokens) AS max_tokens,
    toInt64(FLOOR(ttft_ms + 0.5)) AS ttft_ms,
    latency_ms AS latency_ms,
    toString(status) AS status_text,
    toString(logged_cost_usd) AS logged_text,
    toDecimal128OrNull(toString(logged_cost_usd), 18) AS logged_cost_usd,
    toString(if(mapContains(tags, 'feature'), tags['feature'], NULL)) AS tag_0
  FROM llm.requests
),
ca_ts AS (
  SELECT
    ca_raw.*,
    CASE
      WHEN match(ts_text, '^[0-9]{1,18}$') THEN CASE WHEN toInt64(ts_text) > 100000000000000000 THEN intDiv(toInt64(ts_text), 1000) WHEN toInt64(ts_text) > 100000000000000 THEN toInt64(ts_text) WHEN toInt64(ts_text) > 100000000000 THEN toInt64(ts_text) * 1000 ELSE toInt64(ts_text) * 1000000 END
      WHEN match(ts_text, '^[0-9]+[.][0-9]*$') AND toFloat64OrNull(ts_text) <= 100000000000 THEN toInt64(FLOOR(toFloat64OrNull(ts_text) * 1000000))
      WHEN match(ts_text, '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}') THEN toUnixTimestamp64Micro(parseDateTime64BestEffortOrNull(ts_text, 6, 'UTC'))
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
    formatDateTime(fromUnixTimestamp64Micro(us, 'UTC'), '%Y-%m-%d', 'UTC') AS day,
    intDiv((us) % 86400000000, 600000000) AS bin,
    intDiv(us, 60000000) AS ca_minute,
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
  toInt64(billed) AS billed,
  toInt64(logged_cost) AS logged_cost,
  day AS day,
  toInt64(input_above) AS input_above,
  '' AS source,
  '' AS team,
  toInt64(0) AS user_waiting,
  toInt64(0) AS ttft_bucket,
  '' AS tag,
  toInt64(0) AS bin,
  '' AS reason,
  '' AS group_values,
  toInt64(COUNT(*)) AS requests,
  toInt64(SUM(COALESCE(input_tokens, 0))) AS input_tokens,
  toInt64(SUM(COALESCE(cache_read_tokens, 0))) AS cache_read_tokens,
  toInt64(SUM(COALESCE(cache_write_5m_tokens, 0))) AS cache_write_5m_tokens,
  toInt64(SUM(COALESCE(cache_write_1h_tokens, 0))) AS cache_write_1h_tokens,
  toInt64(SUM(COALESCE(output_tokens, 0))) AS output_tokens,
  toInt64(SUM(COALESCE(reasoning_tokens, 0))) AS reasoning_tokens,
  toInt64(SUM(cancelled)) AS cancelled_streams,
  toInt64(SUM(CASE WHEN cancelled = 1 THEN COALESCE(output_tokens, 0) ELSE 0 END)) AS cancelled_output_tokens,
  toInt64(SUM(CASE WHEN cancelled = 1 AND max_tokens > 0 AND max_tokens <= 1000000000000 THEN 1 ELSE 0 END)) AS cancelled_with_max_tokens,
  toInt64(SUM(CASE WHEN cancelled = 1 AND max_tokens > COALESCE(output_tokens, 0) AND max_tokens <= 1000000000000 THEN max_tokens - COALESCE(output_tokens, 0) ELSE 0 END)) AS cancelled_headroom_tokens,
  COALESCE(SUM(logged_cost_usd), toDecimal128(0, 18)) AS logged_cost_usd,
  toInt64(0) AS ttft_sum_ms,
  toInt64(MIN(us)) AS first_ts_us,
  toInt64(MAX(us)) AS last_ts_us
FROM ca_rec
GROUP BY workflow, provider, model, mode, billed, logged_cost, day, input_above
UNION ALL
SELECT
  'evidence' AS kind,
  workflow AS workflow,
  '' AS provider,
  model AS model,
  mode AS mode,
  toInt64(0) AS billed,
  toInt64(0) AS logged_cost,
  '' AS day,
  toInt64(0) AS input_above,
  source AS source,
  team AS team,
  toInt64(user_waiting) AS user_waiting,
  toInt64(ttft_bucket) AS ttft_bucket,
  '' AS tag,
  toInt64(0) AS bin,
  '' AS reason,
  '' AS group_values,
  toInt64(COUNT(*)) AS requests,
  toInt64(0) AS input_tokens,
  toInt64(0) AS cache_read_tokens,
  toInt64(0) AS cache_write_5m_tokens,
  toInt64(0) AS cache_write_1h_tokens,
  toInt64(0) AS output_tokens,
  toInt64(0) AS reasoning_tokens,
  toInt64(0) AS cancelled_streams,
  toInt64(0) AS cancelled_output_tokens,
  toInt64(0) AS cancelled_with_max_tokens,
  toInt64(0) AS cancelled_headroom_tokens,
  toDecimal128(0, 18) AS logged_cost_usd,
  toInt64(SUM(CASE WHEN ttft_ms IS NULL THEN 0 ELSE ttft_ms END)) AS ttft_sum_ms,
  toInt64(0) AS first_ts_us,
  toInt64(0) AS last_ts_us
FROM ca_rec
GROUP BY workflow, source, mode, model, team, user_waiting, ttft_bucket
UNION ALL
SELECT
  'arrival' AS kind,
  workflow AS workflow,
  provider AS provider,
  model AS model,
  mode AS mode,
  toInt64(billed) AS billed,
  toInt64(0) AS logged_cost,
  day AS day,
  toInt64(input_above) AS input_above,
  '' AS source,
  '' AS team,
  toInt64(0) AS user_waiting,
  toInt64(0) AS ttft_bucket,
  '' AS tag,
  toInt64(bin) AS bin,
  '' AS reason,
  '' AS group_values,
  toInt64(COUNT(*)) AS requests,
  toInt64(SUM(COALESCE(input_tokens, 0))) AS input_tokens,
  toInt64(SUM(COALESCE(cache_read_tokens, 0))) AS cache_read_tokens,
  toInt64(SUM(COALESCE(cache_write_5m_tokens, 0))) AS cache_write_5m_tokens,
  toInt64(SUM(COALESCE(cache_write_1h_tokens, 0))) AS cache_write_1h_tokens,
  toInt64(SUM(COALESCE(output_tokens, 0))) AS output_tokens,
  toInt64(0) AS reasoning_tokens,
  toInt64(0) AS cancelled_streams,
  toInt64(0) AS cancelled_output_tokens,
  toInt64(0) AS cancelled_with_max_tokens,
  toInt64(0) AS cancelled_headroom_tokens,
  toDecimal128(0, 18) AS logged_cost_usd,
  toInt64(0) AS ttft_sum_ms,
  toInt64(MIN(us)) AS first_ts_us,
  toInt64(0) AS last_ts_us
FROM ca_rec
GROUP BY workflow, provider, model, mode, billed, day, input_above, bin, ca_minute
UNION ALL
SELECT
  'tag' AS kind,
  workflow AS workflow,
  '' AS provider,
  '' AS model,
  '' AS mode,
  toInt64(0) AS billed,
  toInt64(0) AS logged_cost,
  '' AS day,
  toInt64(0) AS input_above,
  '' AS source,
  '' AS team,
  toInt64(0) AS user_waiting,
  toInt64(0) AS ttft_bucket,
  CONCAT('feature=', tag_0) AS tag,
  toInt64(0) AS bin,
  '' AS reason,
  '' AS group_values,
  toInt64(COUNT(*)) AS requests,
  toInt64(0) AS input_tokens,
  toInt64(0) AS cache_read_tokens,
  toInt64(0) AS cache_write_5m_tokens,
  toInt64(0) AS cache_write_1h_tokens,
  toInt64(0) AS output_tokens,
  toInt64(0) AS reasoning_tokens,
  toInt64(0) AS cancelled_streams,
  toInt64(0) AS cancelled_output_tokens,
  toInt64(0) AS cancelled_with_max_tokens,
  toInt64(0) AS cancelled_headroom_tokens,
  toDecimal128(0, 18) AS logged_cost_usd,
  toInt64(0) AS ttft_sum_ms,
  toInt64(0) AS first_ts_us,
  toInt64(0) AS last_ts_us
FROM ca_rec
WHERE tag_0 IS NOT NULL
GROUP BY workflow, CONCAT('feature=', tag_0)
UNION ALL
SELECT
  'scanned' AS kind,
  '' AS workflow,
  '' AS provider,
  '' AS model,
  '' AS mode,
  toInt64(0) AS billed,
  toInt64(0) AS logged_cost,
  '' AS day,
  toInt64(0) AS input_above,
  '' AS source,
  '' AS team,
  toInt64(0) AS user_waiting,
  toInt64(0) AS ttft_bucket,
  '' AS tag,
  toInt64(0) AS bin,
  '' AS reason,
  '' AS group_values,
  toInt64(COUNT(*)) AS requests,
  toInt64(0) AS input_tokens,
  toInt64(0) AS cache_read_tokens,
  toInt64(0) AS cache_write_5m_tokens,
  toInt64(0) AS cache_write_1h_tokens,
  toInt64(0) AS output_tokens,
  toInt64(0) AS reasoning_tokens,
  toInt64(0) AS cancelled_streams,
  toInt64(0) AS cancelled_output_tokens,
  toInt64(0) AS cancelled_with_max_tokens,
  toInt64(0) AS cancelled_headroom_tokens,
  toDecimal128(0, 18) AS logged_cost_usd,
  toInt64(0) AS ttft_sum_ms,
  toInt64(0) AS first_ts_us,
  toInt64(0) AS last_ts_us
FROM ca_raw
UNION ALL
SELECT
  'duplicate' AS kind,
  '' AS workflow,
  '' AS provider,
  '' AS model,
  '' AS mode,
  toInt64(0) AS billed,
  toInt64(0) AS logged_cost,
  '' AS day,
  toInt64(0) AS input_above,
  '' AS source,
  '' AS team,
  toInt64(0) AS user_waiting,
  toInt64(0) AS ttft_bucket,
  '' AS tag,
  toInt64(0) AS bin,
  '' AS reason,
  '' AS group_values,
  toInt64(COUNT(*)) AS requests,
  toInt64(0) AS input_tokens,
  toInt64(0) AS cache_read_tokens,
  toInt64(0) AS cache_write_5m_tokens,
  toInt64(0) AS cache_write_1h_tokens,
  toInt64(0) AS output_tokens,
  toInt64(0) AS reasoning_tokens,
  toInt64(0) AS cancelled_streams,
  toInt64(0) AS cancelled_output_tokens,
  toInt64(0) AS cancelled_with_max_tokens,
  toInt64(0) AS cancelled_headroom_tokens,
  toDecimal128(0, 18) AS logged_cost_usd,
  toInt64(0) AS ttft_sum_ms,
  toInt64(0) AS first_ts_us,
  toInt64(0) AS last_ts_us
FROM ca_num WHERE request_id IS NOT NULL AND copy_no > 1
UNION ALL
SELECT
  'rejected' AS kind,
  '' AS workflow,
  '' AS provider,
  '' AS model,
  '' AS mode,
  toInt64(0) AS billed,
  toInt64(0) AS logged_cost,
  '' AS day,
  toInt64(0) AS input_above,
  '' AS source,
  '' AS team,
  toInt64(0) AS user_waiting,
  toInt64(0) AS ttft_bucket,
  '' AS tag,
  toInt64(0) AS bin,
  reason AS reason,
  '' AS group_values,
  toInt64(COUNT(*)) AS requests,
  toInt64(0) AS input_tokens,
  toInt64(0) AS cache_read_tokens,
  toInt64(0) AS cache_write_5m_tokens,
  toInt64(0) AS cache_write_1h_tokens,
  toInt64(0) AS output_tokens,
  toInt64(0) AS reasoning_tokens,
  toInt64(0) AS cancelled_streams,
  toInt64(0) AS cancelled_output_tokens,
  toInt64(0) AS cancelled_with_max_tokens,
  toInt64(0) AS cancelled_headroom_tokens,
  toDecimal128(0, 18) AS logged_cost_usd,
  toInt64(0) AS ttft_sum_ms,
  toInt64(0) AS first_ts_us,
  toInt64(0) AS last_ts_us
FROM ca_chk WHERE reason IS NOT NULL
GROUP BY reason
ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 31
SETTINGS prefer_column_name_to_alias = 1
