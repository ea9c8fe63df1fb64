import { describe, expect, it } from 'vitest';
import { kilobytes, webTargetMet } from './webFigures.ts';

describe('web figures', () => {
  it('meets a target by the comparison it names, bound included only where it says so', () => {
    expect(webTargetMet({ value: 2, target: '<= 2' })).toBe(true);
    expect(webTargetMet({ value: 2.01, target: '<= 2' })).toBe(false);
    expect(webTargetMet({ value: 99, target: '< 100' })).toBe(true);
    expect(webTargetMet({ value: 100, target: '< 100' })).toBe(false);
    expect(webTargetMet({ value: 0.5, target: '>= 0.5' })).toBe(true);
    expect(webTargetMet({ value: 1, target: '> 1' })).toBe(false);
  });

  it('has no verdict for a figure that is only reported, and refuses a target it cannot read', () => {
    expect(webTargetMet({ value: 42, target: null })).toBeNull();
    expect(() => webTargetMet({ value: 1, target: '== 1' })).toThrow(/no known comparison/);
    expect(() => webTargetMet({ value: 1, target: '<= lots' })).toThrow(/no number/);
  });

  it('counts kilobytes in thousands of bytes, as the size target does', () => {
    expect(kilobytes(300_000)).toBe(300);
  });
});
