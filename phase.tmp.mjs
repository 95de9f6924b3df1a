import { JsonDeserializer } from './dist/src/firehose/formats/json-deserializer.js';
import { ParquetWriter, PARQUET_DEFAULTS } from './dist/src/firehose/formats/parquet-writer.js';
import { glueColumnsToHive } from './dist/src/firehose/formats/convert-to-parquet.js';
const SCHEMA = glueColumnsToHive([
  { Name: 'ticker_symbol', Type: 'string' }, { Name: 'sector', Type: 'string' }, { Name: 'change', Type: 'double' },
  { Name: 'price', Type: 'decimal(10,2)' }, { Name: 'volume', Type: 'bigint' }, { Name: 'exchange_id', Type: 'int' },
  { Name: 'active', Type: 'boolean' }, { Name: 'event_time', Type: 'timestamp' }, { Name: 'trade_date', Type: 'date' }, { Name: 'note', Type: 'string' }]);
const SECTORS = ['HEALTHCARE', 'ENERGY', 'FINANCIAL', 'TECHNOLOGY', 'RETAIL'];
const recs=[];for (let index=0;index<200000;index++){recs.push(Buffer.from(JSON.stringify({ticker_symbol: `T${(index * 7919) % 500}`, sector: SECTORS[index % 5], change: ((index % 200) - 100) / 10, price: ((index * 37) % 100_000) / 100, volume: index * 13, exchange_id: index % 12, active: index % 3 !== 0, event_time: `2026-12-07T13:${String(index % 60).padStart(2, '0')}:${String((index * 7) % 60).padStart(2, '0')}.${String(index % 1000).padStart(3, '0')}Z`, trade_date: '2026-12-07', note: index % 5 === 0 ? null : `order ${index} filled at venue ${index % 37}`})+'\n'));}
for (let rep=0;rep<3;rep++){
const d = new JsonDeserializer(SCHEMA, {kind:'openx',caseInsensitive:true,convertDotsInJsonKeysToUnderscores:false,columnToJsonKeyMappings:{}});
let t=performance.now(); let n=0; for (const r of recs) { JSON.parse(r.toString()); } const tp=performance.now()-t;
t=performance.now(); const rows=recs.map(r=>d.rows(r)); const td=performance.now()-t;
const w = new ParquetWriter(SCHEMA, PARQUET_DEFAULTS);
t=performance.now(); rows.forEach((r,i)=>w.appendRecord(r, recs[i].length)); const ts=performance.now()-t;
t=performance.now(); const body=w.finish(); const te=performance.now()-t;
console.log({parseOnly:tp|0, deserialize:td|0, shred:ts|0, encode:te|0});
}
