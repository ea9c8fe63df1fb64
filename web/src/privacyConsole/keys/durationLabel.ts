/** A span of seconds as people read it: 60 → "1 minute", 960 → "16 minutes", 7200 → "2 hours". */
export function durationLabel(seconds: number): string {
  const units: Array<[number, string]> = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) {
      const amount = seconds / size;
      return `${amount} ${name}${amount === 1 ? '' : 's'}`;
    }
  }
  return seconds >= 60 ? `${Math.round(seconds / 60)} minutes` : `${seconds} second${seconds === 1 ? '' : 's'}`;
}
