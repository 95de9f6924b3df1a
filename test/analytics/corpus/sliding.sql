-- Sliding windows: WINDOW clause and inline OVER (§5.7) [core]; analytic functions [common].
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT STREAM ticker_symbol,
        MIN(price) OVER W1 AS min_price,
        MAX(price) OVER W1 AS max_price,
        AVG(price) OVER W1 AS avg_price
    FROM "SOURCE_SQL_STREAM_001"
    WINDOW W1 AS (PARTITION BY ticker_symbol RANGE INTERVAL '1' MINUTE PRECEDING);

SELECT STREAM ticker_symbol, AVG(change) OVER (PARTITION BY ticker_symbol RANGE INTERVAL '10' SECOND PRECEDING) AS avg_change
    FROM "SOURCE_SQL_STREAM_001";

SELECT STREAM ticker_symbol,
        COUNT(*) OVER last_hour AS n_hour,
        SUM(price) OVER last_ten AS sum_ten,
        AVG(price) OVER same_time
    FROM "SOURCE_SQL_STREAM_001"
    WINDOW last_hour AS (PARTITION BY ticker_symbol RANGE INTERVAL '59:59.999' MINUTE TO SECOND(3) PRECEDING),
        last_ten AS (PARTITION BY ticker_symbol ROWS 10 PRECEDING),
        same_time AS (RANGE CURRENT ROW);

SELECT STREAM ticker_symbol, price,
        LAG(price, 1) OVER w AS previous_price,
        LAG(price, 2, 0.0) IGNORE NULLS OVER w AS older_price,
        FIRST_VALUE(price) RESPECT NULLS OVER w AS first_price,
        LAST_VALUE(price) OVER w AS last_price,
        NTH_VALUE(price, 2) OVER w AS second_price,
        EXP_AVG(price, INTERVAL '30' SECOND) OVER w AS smooth_price
    FROM "SOURCE_SQL_STREAM_001"
    WINDOW w AS (PARTITION BY ticker_symbol ROWS 5 PRECEDING);

SELECT STREAM ticker_symbol, COUNT(*) OVER (ROWS CURRENT ROW), SUM(price) OVER (ROWS BETWEEN 3 PRECEDING AND CURRENT ROW),
        MAX(price) OVER (PARTITION BY sector, ticker_symbol RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW),
        MIN(price) OVER (RANGE UNBOUNDED PRECEDING), SUM(price) OVER ()
    FROM "SOURCE_SQL_STREAM_001";

SELECT STREAM ROWTIME, "Price",
        "Price" - LAG("Price", 1) OVER (ROWS 1 PRECEDING) AS "Delta"
    FROM "SOURCE_SQL_STREAM_001";

-- Throttled alerts (§18.8): a sliding count feeding a tumbling window.
CREATE OR REPLACE PUMP "trigger_count_pump" AS INSERT INTO "trigger_count_stream"
    SELECT STREAM ticker_symbol, change, trigger_count
    FROM (
        SELECT STREAM ticker_symbol, change,
            COUNT(*) OVER W1 AS trigger_count
        FROM "CHANGE_STREAM"
        WINDOW W1 AS (PARTITION BY ticker_symbol RANGE INTERVAL '1' MINUTE PRECEDING)
    )
    WHERE trigger_count >= 1;
