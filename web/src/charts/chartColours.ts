/**
 * The series colours, in order. Each has at least 4.5:1 contrast against the chart's white
 * background (WCAG AA for text, above the 3:1 asked of graphics), so a bar, a line and the
 * legend's swatch stay distinguishable from the page for people with low vision; the table
 * carries the same numbers for those who cannot tell the colours apart.
 */
export const seriesColours = ['#2f3fb8', '#a34a00', '#1d6b36', '#8a2a8f', '#a4161a', '#0b6272'] as const;

export const chartBackground = '#ffffff';
/** Axis labels and ticks: the app's muted ink. */
export const axisInk = '#545d68';
export const gridLine = '#dde1e7';

export const colourOf = (seriesIndex: number): string => seriesColours[seriesIndex % seriesColours.length] ?? seriesColours[0];

const channel = (hex: string, start: number) => {
  const value = Number.parseInt(hex.slice(start, start + 2), 16) / 255;
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
};
const luminance = (hex: string) => 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5);

/** WCAG 2 contrast ratio of two #rrggbb colours. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}
