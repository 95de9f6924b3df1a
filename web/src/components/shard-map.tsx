/**
 * The shard map drawn as SVG: the horizontal axis is the 128-bit hash key space, each shard a bar
 * over its hash range; each row down is a generation (a shard sits one row below its parents), so
 * splits and merges read as lineage. Open shards are filled, closed ones grey.
 */
import type { Shard } from '@aws-sdk/client-kinesis';
import { hashKeyFraction, shortShardId } from '../format.js';
import { isOpen } from '../streams.js';

const widthPx = 960;
const rowHeightPx = 44;
const barHeightPx = 30;
const axisHeightPx = 24;
const marginPx = 8;

export function ShardMap({ shards }: { shards: readonly Shard[] }) {
  const depths = generationDepths(shards);
  const rows = Math.max(1, ...Array.from(depths.values(), (depth) => depth + 1));
  const heightPx = rows * rowHeightPx + axisHeightPx;
  const usableWidthPx = widthPx - 2 * marginPx;
  const xOf = (hashKey: string | undefined, endOfRange: boolean): number =>
    marginPx + usableWidthPx * (hashKey === undefined ? (endOfRange ? 1 : 0) : hashKeyFraction(hashKey));
  return (
    <figure class="shard-map">
      <svg
        viewBox={`0 0 ${widthPx} ${heightPx}`}
        role="img"
        aria-labelledby="shard-map-title"
        preserveAspectRatio="xMinYMin meet"
      >
        <title id="shard-map-title">
          {`Shard map: ${shards.filter(isOpen).length} open and ${shards.filter((shard) => !isOpen(shard)).length} closed shards over the hash key range`}
        </title>
        <g class="lineage">
          {lineageLinks(shards, depths).map((link) => {
            const x = marginPx + usableWidthPx * link.fraction;
            const y1 = link.parentDepth * rowHeightPx + (rowHeightPx + barHeightPx) / 2;
            const y2 = link.childDepth * rowHeightPx + (rowHeightPx - barHeightPx) / 2;
            return <line key={`${link.parent}-${link.child}`} x1={x} x2={x} y1={y1} y2={y2} />;
          })}
        </g>
        {shards.map((shard) => {
          const id = shard.ShardId ?? '';
          const x0 = xOf(shard.HashKeyRange?.StartingHashKey, false);
          const x1 = xOf(shard.HashKeyRange?.EndingHashKey, true);
          const y = (depths.get(id) ?? 0) * rowHeightPx + (rowHeightPx - barHeightPx) / 2;
          const open = isOpen(shard);
          return (
            <g key={id} class={open ? 'shard shard-open' : 'shard shard-closed'} data-shard-id={id}>
              <title>{`${id} (${open ? 'open' : 'closed'})`}</title>
              <rect x={x0 + 1} y={y} width={Math.max(2, x1 - x0 - 2)} height={barHeightPx} rx={4} />
              {x1 - x0 > 40 && (
                <text x={(x0 + x1) / 2} y={y + barHeightPx / 2 + 5} text-anchor="middle">
                  {`#${shortShardId(id)}`}
                </text>
              )}
            </g>
          );
        })}
        <g class="axis">
          <line
            x1={marginPx}
            x2={widthPx - marginPx}
            y1={rows * rowHeightPx + 4}
            y2={rows * rowHeightPx + 4}
          />
          {[0, 0.25, 0.5, 0.75, 1].map((fraction) => (
            <text
              key={fraction}
              x={marginPx + usableWidthPx * fraction}
              y={rows * rowHeightPx + 18}
              text-anchor={fraction === 0 ? 'start' : fraction === 1 ? 'end' : 'middle'}
            >
              {fraction === 0 ? '0' : fraction === 1 ? '2¹²⁸ − 1' : `${fraction * 100}%`}
            </text>
          ))}
        </g>
      </svg>
      <figcaption>
        <span class="legend legend-open" /> open <span class="legend legend-closed" /> closed — rows are
        generations: a split or merge draws its children one row below their parents, joined by a line.
      </figcaption>
    </figure>
  );
}

interface LineageLink {
  readonly parent: string;
  readonly child: string;
  readonly parentDepth: number;
  readonly childDepth: number;
  /** Where to draw it: the middle of the hash range parent and child share. */
  readonly fraction: number;
}

function lineageLinks(shards: readonly Shard[], depths: ReadonlyMap<string, number>): LineageLink[] {
  const byId = new Map(shards.map((shard) => [shard.ShardId ?? '', shard]));
  const links: LineageLink[] = [];
  for (const child of shards) {
    for (const parentId of [child.ParentShardId, child.AdjacentParentShardId]) {
      const parent = parentId === undefined ? undefined : byId.get(parentId);
      if (parentId === undefined || parent === undefined) continue;
      const start = maxKey(parent.HashKeyRange?.StartingHashKey, child.HashKeyRange?.StartingHashKey);
      const end = minKey(parent.HashKeyRange?.EndingHashKey, child.HashKeyRange?.EndingHashKey);
      links.push({
        parent: parentId,
        child: child.ShardId ?? '',
        parentDepth: depths.get(parentId) ?? 0,
        childDepth: depths.get(child.ShardId ?? '') ?? 0,
        fraction: (hashKeyFraction(start) + hashKeyFraction(end)) / 2,
      });
    }
  }
  return links;
}

function maxKey(left = '0', right = '0'): string {
  return BigInt(left) > BigInt(right) ? left : right;
}

function minKey(left = '0', right = '0'): string {
  return BigInt(left) < BigInt(right) ? left : right;
}

/** Each shard's generation: 0 without a known parent, else one more than its deepest parent. */
function generationDepths(shards: readonly Shard[]): Map<string, number> {
  const byId = new Map(shards.map((shard) => [shard.ShardId ?? '', shard]));
  const depths = new Map<string, number>();
  const depthOf = (id: string, visiting: Set<string>): number => {
    const known = depths.get(id);
    if (known !== undefined) return known;
    const shard = byId.get(id);
    if (shard === undefined || visiting.has(id)) return -1;
    visiting.add(id);
    const parents = [shard.ParentShardId, shard.AdjacentParentShardId].filter(
      (parent): parent is string => parent !== undefined,
    );
    const depth = Math.max(-1, ...parents.map((parent) => depthOf(parent, visiting))) + 1;
    depths.set(id, depth);
    return depth;
  };
  for (const id of byId.keys()) depthOf(id, new Set());
  return depths;
}
