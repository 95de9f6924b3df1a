-- Stagger windows (§5.5) [common].
CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (event_time TIMESTAMP, ticker_symbol VARCHAR(4), ticker_count INTEGER);

CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
    SELECT STREAM
        FLOOR(event_time TO MINUTE),
        ticker_symbol,
        COUNT(*) AS ticker_count
    FROM "SOURCE_SQL_STREAM_001"
    WINDOWED BY STAGGER (
        PARTITION BY FLOOR(event_time TO MINUTE), ticker_symbol RANGE INTERVAL '1' MINUTE);

SELECT STREAM ticker_symbol, SUM(price) AS total
    FROM "SOURCE_SQL_STREAM_001"
    WHERE price > 0
    WINDOWED BY STAGGER (PARTITION BY ticker_symbol RANGE INTERVAL '30' SECOND)
    HAVING SUM(price) > 10;
