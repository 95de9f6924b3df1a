/**
 * How chart values are written on axes, legends and summaries: compact counts per second, bytes
 * per second in binary units, and durations from milliseconds. Pure: no DOM.
 */

export type ChartUnit = 'count' | 'bytes' | 'milliseconds' | 'seconds';

const compact = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, notation: 'compact' });
const plain = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function formatValue(value: number, unit: ChartUnit): string {
  switch (unit) {
    case 'count':
      return Math.abs(value) < 1000 ? plain.format(value) : compact.format(value);
    case 'bytes':
      return formatBinary(value);
    case 'milliseconds':
      return value < 1000 ? `${plain.format(value)} ms` : formatValue(value / 1000, 'seconds');
    case 'seconds':
      return value < 120 ? `${plain.format(value)} s` : `${plain.format(value / 60)} min`;
  }
}

function formatBinary(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let index = 0;
  while (Math.abs(value) >= 1024 && index < units.length - 1) {
    value /= 1024;
    index++;
  }
  return `${plain.format(value)} ${units[index] ?? ''}`;
}
