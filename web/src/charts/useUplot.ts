import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
// uPlot's own stylesheet, bundled by Vite as a file of the build (the CSP allows no inline style sheet).
import 'uplot/dist/uPlot.min.css';

/** The plot's height in CSS pixels; its width is the container's. */
export const plotHeight = 220;

/**
 * A uPlot chart drawn into the returned container: made on mount at the container's width,
 * resized whenever the container is (a narrower window, a sidebar opening), destroyed on
 * unmount. New options or data make a new chart — these charts have a handful of points, so
 * that costs less than working out what changed. Callers memoise both so a re-render alone
 * does not redraw.
 */
export function useUplot(optionsFor: (width: number) => uPlot.Options, data: uPlot.AlignedData) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const plot = new uPlot(optionsFor(element.clientWidth), data, element);
    const observer = new ResizeObserver(([entry]) => {
      const width = Math.floor(entry?.contentRect.width ?? 0);
      if (width > 0 && width !== plot.width) plot.setSize({ width, height: plotHeight });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [optionsFor, data]);
  return container;
}
