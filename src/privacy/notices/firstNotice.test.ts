import { describe, expect, it } from 'vitest';
import { noticeTitleOf } from './firstNotice.ts';

describe('a purpose key read as a title', () => {
  it('reads as words, with e-mail spelled out', () => {
    expect(noticeTitleOf('order_fulfilment')).toBe('Order fulfilment');
    expect(noticeTitleOf('email_marketing')).toBe('E-mail marketing');
  });

  it('says what dsr_fulfilment is for rather than its abbreviation', () => {
    expect(noticeTitleOf('dsr_fulfilment')).toBe('Answering your requests about your data');
  });
});
